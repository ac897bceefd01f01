"""GET /api/trace?spec=<base64url of the body>: the POST's bytes, cacheable by any HTTP cache."""
import base64
import json
import random

import pytest

from webapp import create_app
from webapp.engine.trace import SCHEMA_VERSION
from webapp.presets import WORKED_EXAMPLE

IMMUTABLE = "public, max-age=86400, immutable"  # the words, typed out


def encode(raw: bytes, padded=False) -> str:
    text = base64.urlsafe_b64encode(raw).decode("ascii")
    return text if padded else text.rstrip("=")


def get(client, raw: bytes, padded=False, **headers):
    return client.get("/api/trace?spec=" + encode(raw, padded), headers=headers)


def random_network(seed: int) -> dict:
    rng = random.Random(seed)
    layers = [rng.randint(1, 5) for _ in range(rng.randint(2, 4))]
    return {"layers": layers, "weights": None, "seed": rng.randrange(2**32), "biases": rng.random() < 0.5,
            "activation": rng.choice(["sigmoid", "tanh", "relu"]),
            "inputs": [round(rng.uniform(-1, 1), 3) for _ in range(layers[0])],
            "targets": [round(rng.uniform(0, 1), 3) for _ in range(layers[-1])]}


BODIES = {"worked example": WORKED_EXAMPLE, **{f"random {s}": random_network(s) for s in (1, 2, 3)}}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
@pytest.mark.parametrize("padded", [False, True], ids=["unpadded", "padded"])
def test_same_bytes_as_the_post(client, body, padded):
    raw = json.dumps(body).encode()
    posted = client.post("/api/trace", data=raw, content_type="application/json")
    got = get(client, raw, padded)
    assert posted.status_code == got.status_code == 200
    assert got.mimetype == "application/json"
    assert got.data == posted.data


def test_worked_example_by_get_has_the_documents_gradient(client):
    # By hand: h_1 = 2 * 0.5 * 3 = 3, o_1 = 2 * 0.2 * 3 = 1.2, de_1/dw_21 = -2 (2 - 1.2) * 2 * 3 = -9.6.
    trace = get(client, json.dumps(WORKED_EXAMPLE).encode()).get_json()
    assert trace["gradients"]["weights"][1][0][0] == pytest.approx(-9.6)


def test_etag_is_strong_stable_and_tells_traces_apart():
    raw = json.dumps(WORKED_EXAMPLE).encode()
    first = get(create_app({"TESTING": True}).test_client(), raw)
    again = get(create_app({"TESTING": True}).test_client(), raw)  # another process, in effect
    other = get(create_app({"TESTING": True}).test_client(), json.dumps(random_network(1)).encode())
    tag = first.headers["ETag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) > 10  # strong: no W/ prefix
    assert again.headers["ETag"] == tag
    assert other.headers["ETag"] != tag
    # A hash of the bytes, not of the query: the padded spelling of the same body has the same tag.
    assert get(create_app({"TESTING": True}).test_client(), raw, padded=True).headers["ETag"] == tag
    assert first.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("header", ["{tag}", '"elsewhere", {tag}', "W/{tag}", '"a",W/"b" , W/{tag}', "*"],
                         ids=["exact", "in a list", "weak form", "weak, in a list", "any"])
def test_if_none_match_gives_304(client, header):
    raw = json.dumps(WORKED_EXAMPLE).encode()
    tag = get(client, raw).headers["ETag"]
    r = get(client, raw, **{"If-None-Match": header.format(tag=tag)})
    assert r.status_code == 304
    assert r.data == b""
    assert r.headers["ETag"] == tag and r.headers["Cache-Control"] == IMMUTABLE


def test_a_cache_holding_the_brotli_copy_gets_a_304_naming_it(client):
    # The 304 names the representation it validates: a cache that stored the Brotli copy under
    # "X-br" gets "X-br" back; one that stored the identity bytes but now accepts Brotli gets it anew.
    raw = json.dumps(WORKED_EXAMPLE).encode()
    identity = get(client, raw).headers["ETag"]
    coded = get(client, raw, **{"Accept-Encoding": "br"})
    assert coded.headers["Content-Encoding"] == "br" and coded.headers["ETag"] == identity[:-1] + '-br"'
    again = get(client, raw, **{"Accept-Encoding": "br", "If-None-Match": coded.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == coded.headers["ETag"]
    assert get(client, raw, **{"Accept-Encoding": "br", "If-None-Match": identity}).status_code == 200


@pytest.mark.parametrize("header", ['"elsewhere"', 'W/"elsewhere", "other"', "garbage", ""])
def test_other_tags_get_the_trace(client, header):
    raw = json.dumps(WORKED_EXAMPLE).encode()
    r = get(client, raw, **{"If-None-Match": header})
    assert r.status_code == 200 and r.get_json()["schema_version"] == SCHEMA_VERSION


def test_another_networks_tag_does_not_match(client):
    raw = json.dumps(WORKED_EXAMPLE).encode()
    tag = get(client, raw).headers["ETag"]
    changed = json.dumps({**WORKED_EXAMPLE, "inputs": [2.0]}).encode()
    assert get(client, changed, **{"If-None-Match": tag}).status_code == 200


BAD_SPECS = {
    "missing": None,
    "empty": "",
    "standard alphabet": base64.b64encode(b'{"a":">?>?"}').decode(),  # + and / are not base64url
    "one char too many": encode(json.dumps(WORKED_EXAMPLE).encode()) + "A",  # 4k+1 characters
    "spaces": "eyJ sYXllcnMiOls",
    "not JSON": encode(b"{layers: [1, 2]}"),
    "not UTF-8": encode(b'{"layers": "\xff"}'),
    "NaN": encode(b'{"layers": NaN}'),
    "a list": encode(b"[1, 2]"),
}


@pytest.mark.parametrize("spec", BAD_SPECS.values(), ids=BAD_SPECS.keys())
def test_bad_specs_are_400s_naming_spec(client, spec):
    r = client.get("/api/trace" if spec is None else f"/api/trace?spec={spec}")
    assert r.status_code == 400
    body = r.get_json()
    assert body["field"] == "spec" and body["error"]
    assert set(body) == {"error", "field"}
    assert r.headers["Cache-Control"] == "no-store"
    assert "ETag" not in r.headers


def test_a_bad_network_names_its_field_as_the_post_does(client):
    raw = json.dumps({**WORKED_EXAMPLE, "layers": [1]}).encode()
    posted = client.post("/api/trace", data=raw, content_type="application/json").get_json()
    r = get(client, raw)
    assert r.status_code == 400 and r.get_json() == posted and posted["field"] == "layers"
    assert r.headers["Cache-Control"] == "no-store"
    assert get(client, raw, **{"If-None-Match": "*"}).status_code == 400  # no 304 for an error


def test_the_post_body_limit_applies_once_decoded():
    # A small limit makes the edge cheap to reach: the same network, padded with spaces to it.
    limit = 2048
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": limit}).test_client()
    text = json.dumps(WORKED_EXAMPLE)
    at_limit = (text + " " * (limit - len(text))).encode()
    assert get(client, at_limit).status_code == 200
    over = get(client, at_limit + b" ")
    assert over.status_code == 400 and over.get_json()["field"] == "spec"
    assert "2 KiB" in over.get_json()["error"]
    # Far over: refused on its length, before decoding.
    far = client.get("/api/trace?spec=" + "A" * 100_000)
    assert far.status_code == 400 and far.get_json()["field"] == "spec"


def test_the_default_limit_is_the_posts_256_kib(client):
    over = json.dumps({**WORKED_EXAMPLE, "pad": " " * (256 * 1024)}).encode()
    r = get(client, over)
    assert r.status_code == 400 and r.get_json()["field"] == "spec" and "256 KiB" in r.get_json()["error"]


def test_the_get_is_documented(client):
    doc = client.get("/api/openapi.json").get_json()
    operation = doc["paths"]["/api/trace"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["required"]] == ["spec"]
    assert set(operation["responses"]) == {"200", "304", "400"}
