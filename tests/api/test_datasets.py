"""GET /api/datasets and /api/datasets/<id>: the listing, the samples' shape and bytes, and every bad
query a 400 naming its field. Expected values are typed from the issue, not read from the code."""
import json
from urllib.parse import quote

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp import create_app
from webapp.contract import CONTRACT
from webapp.openapi import document

OPENAPI = document(CONTRACT)
# id -> (kind, inputs, outputs, the parameters it takes), typed from the issue.
LISTING = {
    "xor": ("logic", 2, 1, ["one_hot"]),
    "and": ("logic", 2, 1, ["one_hot"]),
    "or": ("logic", 2, 1, ["one_hot"]),
    "circle": ("classification", 2, 1, ["n", "seed", "noise", "one_hot"]),
    "gauss": ("classification", 2, 1, ["n", "seed", "noise", "one_hot"]),
    "xor2d": ("classification", 2, 1, ["n", "seed", "noise", "one_hot"]),
    "spiral": ("classification", 2, 1, ["n", "seed", "noise", "one_hot"]),
    "sine": ("regression", 1, 1, ["n", "seed", "noise"]),
}
# Each parameter's type, default and limits, as the issue sets them (the seed's as the trace API's).
PARAMETERS = {
    "n": {"type": "integer", "default": 100, "minimum": 1, "maximum": 500},
    "seed": {"type": "integer", "default": 0, "minimum": 0, "maximum": 2**32 - 1},
    "noise": {"type": "number", "default": 0, "minimum": 0, "maximum": 1},
    "one_hot": {"type": "boolean", "default": False},
}
RANDOM = [i for i, (kind, *_) in LISTING.items() if kind != "logic"]


def response_validator(path, status="200"):
    """A validator for one response of the OpenAPI document, its $refs resolved within the document."""
    schema = OPENAPI["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator({**schema, "components": OPENAPI["components"]})


def test_listing(client):
    r = client.get("/api/datasets")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.get_json()
    assert [str(e) for e in response_validator("/api/datasets").iter_errors(body)] == []
    entries = body["datasets"]
    assert {e["id"]: (e["kind"], e["inputs"], e["outputs"], list(e["parameters"])) for e in entries} == LISTING
    for entry in entries:
        assert entry["title"] and entry["description"]
        for name, schema in entry["parameters"].items():
            assert {key: schema[key] for key in PARAMETERS[name]} == PARAMETERS[name]
            assert schema["description"]
    assert "two outputs" in entries[0]["parameters"]["one_hot"]["description"]


def test_listing_schema_can_fail(client):
    body = client.get("/api/datasets").get_json()
    validator = response_validator("/api/datasets")
    assert not validator.is_valid({**body, "surprise": 1})
    assert not validator.is_valid({"datasets": [{**body["datasets"][0], "kind": "poetry"}]})


@pytest.mark.parametrize("dataset_id", list(LISTING))
def test_defaults(client, dataset_id):
    r = client.get(f"/api/datasets/{dataset_id}")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.get_json()
    assert [str(e) for e in response_validator("/api/datasets/{id}").iter_errors(body)] == []
    kind, inputs, outputs, taken = LISTING[dataset_id]
    assert body["id"] == dataset_id
    assert body["parameters"] == {name: PARAMETERS[name]["default"] for name in taken}
    assert len(body["samples"]) == (4 if kind == "logic" else 100)
    assert all(len(s["inputs"]) == inputs and len(s["targets"]) == outputs for s in body["samples"])


def test_xor_over_the_api(client):
    body = client.get("/api/datasets/xor?one_hot=true").get_json()
    assert body == {"id": "xor", "parameters": {"one_hot": True}, "samples": [
        {"inputs": [0, 0], "targets": [1, 0]}, {"inputs": [0, 1], "targets": [0, 1]},
        {"inputs": [1, 0], "targets": [0, 1]}, {"inputs": [1, 1], "targets": [1, 0]}]}


def test_parameters_are_used_and_echoed(client):
    body = client.get("/api/datasets/spiral?n=7&seed=42&noise=0.25&one_hot=true").get_json()
    assert body["parameters"] == {"n": 7, "seed": 42, "noise": 0.25, "one_hot": True}
    assert len(body["samples"]) == 7 and all(sum(s["targets"]) == 1 for s in body["samples"])
    # Playground's spiral at 25 % of its 50 % noise: points within 5 + 0.25·√2 of the centre, / 6.
    assert all(max(map(abs, s["inputs"])) < 1 for s in body["samples"])


@pytest.mark.parametrize("dataset_id", list(LISTING))
def test_same_query_same_bytes(client, dataset_id):
    url = f"/api/datasets/{dataset_id}?n=500&seed=7&noise=0.5&one_hot={'false' if dataset_id == 'sine' else 'true'}"
    assert client.get(url).data == client.get(url).data


@pytest.mark.parametrize("dataset_id", RANDOM)
def test_another_seed_other_samples(client, dataset_id):
    first = client.get(f"/api/datasets/{dataset_id}?seed=1").get_json()["samples"]
    assert first != client.get(f"/api/datasets/{dataset_id}?seed=2").get_json()["samples"]


def test_logic_tables_ignore_valid_n_seed_and_noise(client):
    assert client.get("/api/datasets/and?n=500&seed=3&noise=1").get_json() == client.get("/api/datasets/and").get_json()


@pytest.mark.parametrize("query", ["n=1", "n=500", "noise=0", "noise=1", "noise=1.0", "noise=.5", "noise=5e-1",
                                   "noise=-0", "seed=0", "seed=4294967295", "one_hot=false", "n=007"])
def test_edges_of_the_ranges_are_accepted(client, query):
    r = client.get(f"/api/datasets/circle?{query}")
    assert r.status_code == 200, r.get_json()


def test_minus_zero_noise_is_echoed_as_zero(client):
    assert b'"noise":0.0' in client.get("/api/datasets/gauss?noise=-0").data


BAD = [
    ("/api/datasets/nope", "id"),
    ("/api/datasets/XOR", "id"),
    ("/api/datasets/xor/extra", "id"),
    ("/api/datasets/circle?n=501", "n"),
    ("/api/datasets/circle?n=0", "n"),
    ("/api/datasets/circle?n=-1", "n"),
    ("/api/datasets/circle?n=1.5", "n"),
    ("/api/datasets/circle?n=10.0", "n"),
    ("/api/datasets/circle?n=abc", "n"),
    ("/api/datasets/circle?n=", "n"),
    ("/api/datasets/circle?n=1e2", "n"),
    ("/api/datasets/circle?n=99999999999999999999999", "n"),
    ("/api/datasets/xor?n=501", "n"),  # ignored by the logic tables, but still checked
    ("/api/datasets/circle?noise=1.01", "noise"),
    ("/api/datasets/circle?noise=-0.1", "noise"),
    ("/api/datasets/circle?noise=nan", "noise"),
    ("/api/datasets/circle?noise=inf", "noise"),
    ("/api/datasets/circle?noise=1e400", "noise"),
    ("/api/datasets/circle?noise=abc", "noise"),
    ("/api/datasets/circle?noise=%201", "noise"),
    ("/api/datasets/sine?noise=2", "noise"),
    ("/api/datasets/circle?seed=-1", "seed"),
    ("/api/datasets/circle?seed=1.5", "seed"),
    ("/api/datasets/circle?seed=4294967296", "seed"),
    ("/api/datasets/circle?seed=x", "seed"),
    ("/api/datasets/or?seed=x", "seed"),
    ("/api/datasets/circle?one_hot=yes", "one_hot"),
    ("/api/datasets/circle?one_hot=1", "one_hot"),
    ("/api/datasets/circle?one_hot=True", "one_hot"),
    ("/api/datasets/circle?one_hot=", "one_hot"),
    ("/api/datasets/sine?one_hot=maybe", "one_hot"),
    ("/api/datasets/circle?n=5&n=5", "n"),
    ("/api/datasets/circle?one-hot=true", "one-hot"),
    ("/api/datasets/circle?=1", "query"),
]


@pytest.mark.parametrize("url, field", BAD, ids=[url.removeprefix("/api/datasets/") for url, _ in BAD])
def test_bad_input_is_a_400_naming_the_field(client, url, field):
    r = client.get(url)
    assert r.status_code == 400 and r.mimetype == "application/json"
    body = r.get_json()
    assert set(body) == {"error", "field"} and body["field"] == field and body["error"]
    assert response_validator("/api/datasets/{id}", "400").is_valid(body)


def test_the_message_says_what_is_allowed(client):
    assert client.get("/api/datasets/circle?n=501").get_json()["error"] == \
        "n must be a whole number from 1 to 500, not '501'"
    assert client.get("/api/datasets/circle?noise=2").get_json()["error"] == "noise must be a number from 0 to 1, not '2'"
    assert "xor, and, or, circle, gauss, xor2d, spiral, sine" in client.get("/api/datasets/nope").get_json()["error"]


# Any text in any parameter, the id included (control characters, newlines and slashes too): a 200 or
# a 400 naming a parameter, never a 500 or the router's 404. (An id that is empty or begins with a slash
# has no route: the documented 404.)
CLIENT = create_app({"TESTING": True}).test_client()
ids = st.sampled_from(list(LISTING)) | st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8).filter(
    lambda text: not text.startswith("/"))
queries = st.dictionaries(st.sampled_from(list(PARAMETERS)), st.text(max_size=12) | st.integers().map(str)
                          | st.floats().map(str), max_size=4)


def test_an_id_with_a_newline_is_an_unknown_dataset(client):
    # Werkzeug's path converter stops at a newline: this was the router's 404, undocumented.
    r = client.get("/api/datasets/%5D%0A%C2%B2", query_string={"n": "153"})
    assert r.status_code == 400 and r.get_json()["field"] == "id"


@given(ids, queries)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_query_is_answered(dataset_id, query):
    r = CLIENT.get(f"/api/datasets/{quote(dataset_id, safe='')}", query_string=query)
    assert r.status_code in (200, 400)
    body = json.loads(r.data)
    if r.status_code == 400:
        assert set(body) == {"error", "field"} and body["field"] in {"id", "query", *PARAMETERS}
