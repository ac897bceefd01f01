"""POST /api/trace and GET /api/presets through the Flask test client."""
import copy
import json

import pytest

from webapp.presets import PRESETS, WORKED_EXAMPLE


def post(client, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/trace", data=data, content_type="application/json")


def test_worked_example_contract_keys(client):
    r = post(client, WORKED_EXAMPLE)
    assert r.status_code == 200
    t = r.get_json()
    assert t["schema_version"] == 2
    assert {n["id"] for n in t["graph"]["nodes"]} >= {"n0-0", "n1-0", "n2-0", "n2-1", "e-0", "e-1"}
    assert {(e["id"], e["from"], e["to"]) for e in t["graph"]["edges"]} == {
        ("w1-0-0", "n0-0", "n1-0"), ("w2-0-0", "n1-0", "n2-0"), ("w2-1-0", "n1-0", "n2-1")}
    assert t["forward"]["pre_activations"] == [[1.5], [0.6, 0.3]]
    assert t["forward"]["activations"][0] == [3.0]
    assert t["loss"]["total"] == pytest.approx(0.8)
    assert t["gradients"]["weights"] == [[[-4.8]], [[-9.6], [-4.8]]]
    assert t["gradients"]["biases"] is None
    # de_2/dw_11 = de_2/da_1 * x_11: the document's -0.96.
    assert t["gradients"]["per_output"][1]["deltas"][0][0] * t["forward"]["activations"][0][0] == pytest.approx(-0.96)
    assert t["numeric_gradients"]["forward"]["weights"][1][0][0] == pytest.approx(-9.599964)
    assert t["numeric_gradients"]["central"]["weights"][0][0][0] == pytest.approx(-4.8)
    assert t["updated"]["weights"] == [[[0.98]], [[1.16], [0.58]]]
    step = t["steps"][0]
    assert {"id", "kind", "elements", "symbol", "value", "factors"} <= set(step)


def test_response_is_deterministic_bytes(client):
    assert post(client, WORKED_EXAMPLE).data == post(client, copy.deepcopy(WORKED_EXAMPLE)).data


def test_presets_listed_with_full_bodies(client):
    r = client.get("/api/presets")
    assert r.status_code == 200
    body = r.get_json()
    ids = [p["id"] for p in body["presets"]]
    assert ids[0] == "worked-example" == body["default"]
    assert {"sigmoid-2-2-2", "tanh-2-2-1"} <= set(ids)
    for preset in body["presets"]:
        assert post(client, preset["spec"]).status_code == 200, preset["id"]


def test_sigmoid_preset_matches_hand_computation(client):
    # The classic 2-2-2 example: net_h1 = 0.15*0.05 + 0.2*0.1 + 0.35 = 0.3775, out_h1 = 0.593269992,
    # E_total = 0.298371109, dE/dw5 (w_211 here) = 0.082167041.
    spec = next(p["spec"] for p in PRESETS if p["id"] == "sigmoid-2-2-2")
    t = post(client, spec).get_json()
    assert t["forward"]["pre_activations"][0][0] == pytest.approx(0.3775)
    assert t["forward"]["activations"][1][0] == pytest.approx(0.593269992, rel=1e-8)
    assert t["loss"]["total"] == pytest.approx(0.298371109, rel=1e-8)
    assert t["gradients"]["weights"][1][0][0] == pytest.approx(0.082167041, rel=1e-7)


def test_single_activation_applies_to_every_layer(client):
    body = dict(WORKED_EXAMPLE)
    body.pop("activations")
    body["activation"] = {"name": "linear", "slope": 2.0}
    assert post(client, body).get_json()["gradients"]["weights"][1][0][0] == pytest.approx(-9.6)


def test_seed_draws_weights_reproducibly(client):
    body = {"layers": [2, 3, 1], "weights": None, "seed": 5, "inputs": [1, 2], "targets": [0.5]}
    a, b = post(client, body).get_json(), post(client, body).get_json()
    assert a["spec"]["weights"] == b["spec"]["weights"]
    assert len(a["spec"]["weights"][0]) == 3


def W(**changes):
    body = copy.deepcopy(WORKED_EXAMPLE)
    body.update(changes)
    return body


BAD = [
    ("{not json", "body"),
    ("[1, 2]", "body"),
    ('{"layers": [1, 1, 2], "inputs": [NaN]}', "body"),
    ("", "body"),
    (W(layers="1,1,2"), "layers"),
    (W(layers=[1]), "layers"),
    (W(layers=[1] * 11), "layers"),
    (W(layers=[1, 17, 2]), "layers[1]"),
    (W(layers=[1, 0, 2]), "layers[1]"),
    (W(layers=[1, 1.5, 2]), "layers[1]"),
    (W(weights=[[[0.5]]]), "weights"),
    (W(weights=[[[0.5]], [[0.2]]]), "weights[1]"),
    (W(weights=[[[0.5]], [[0.2, 0.3], [0.1]]]), "weights[1][0]"),
    (W(weights=[[["a"]], [[0.2], [0.1]]]), "weights[0][0][0]"),
    (W(weights=[[[1e200]], [[0.2], [0.1]]]), "weights[0][0][0]"),
    (W(weights=[[[True]], [[0.2], [0.1]]]), "weights[0][0][0]"),
    (W(biases=[[0.1]]), "biases"),
    (W(biases=[[0.1], [0.1]]), "biases[1]"),
    (W(activations=[{"name": "softsign"}, {"name": "linear"}]), "activations[0].name"),
    (W(activations=[{"name": "linear"}]), "activations"),
    (W(activations=[{"name": "sigmoid", "slope": 2}, {"name": "linear"}]), "activations[0].slope"),
    (W(loss="hinge"), "loss"),
    (W(inputs=[3.0, 1.0]), "inputs"),
    (W(inputs=[-1e308]), "inputs[0]"),
    (W(targets=[2.0]), "targets"),
    (W(targets=None), "targets"),
    (W(epsilon=0), "epsilon"),
    (W(epsilon=-1e-6), "epsilon"),
    (W(learning_rate="fast"), "learning_rate"),
    (W(learning_rate=-1), "learning_rate"),
    (W(loss="bce"), "targets[0]"),
    (W(loss="bce", targets=[1.0, 0.0]), "loss"),
    (W(colour="red"), "colour"),
    (W(weights=None), "weights"),
    (W(weights=None, seed=-3), "seed"),
    (W(granularity="pixel"), "granularity"),
]


@pytest.mark.parametrize("body, field", BAD)
def test_bad_input_is_a_400_naming_the_field(client, body, field):
    r = post(client, body)
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    payload = r.get_json()
    assert payload["field"] == field
    assert isinstance(payload["error"], str) and payload["error"]


def test_body_over_the_limit_is_a_json_400(client, app):
    big = json.dumps(W(inputs=[0.0] * 200_000))
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    r = post(client, big)
    assert r.status_code == 400
    assert r.get_json()["field"] == "body"


def test_unknown_api_route_and_method_are_json(client):
    assert client.get("/api/nothing").get_json()["field"] == "request"
    r = client.put("/api/trace")  # GET and POST are routes; PUT is not
    assert r.status_code == 405 and r.mimetype == "application/json"
    assert set(r.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_page_loads(client):
    r = client.get("/")
    assert r.status_code == 200
    assert b"<html" in r.data


@pytest.mark.parametrize("path", ["/", "/api/presets", "/api/nothing", "/static/vendor/temml/LICENSE"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
