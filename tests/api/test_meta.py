"""GET /api/meta: what the editor offers and enforces, from the engine's tables, in the shape META_SCHEMA says."""
import jsonschema_rs

from webapp.contract import FIELDS, META_SCHEMA, build_contract
from webapp.engine.activations import ACTIVATIONS
from webapp.engine.losses import LOSSES


def test_meta_is_served_and_keeps_to_its_schema(client):
    r = client.get("/api/meta")
    assert r.status_code == 200 and r.mimetype == "application/json"
    errors = [str(e) for e in jsonschema_rs.Draft202012Validator(META_SCHEMA).iter_errors(r.get_json())]
    assert errors == []


def test_meta_schema_can_fail(client):
    meta = client.get("/api/meta").get_json()
    validator = jsonschema_rs.Draft202012Validator(META_SCHEMA)
    assert not validator.is_valid({**meta, "surprise": 1})
    assert not validator.is_valid({**meta, "activations": [{"name": "relu"}]})


def test_meta_lists_the_tables_in_their_order(client):
    meta = client.get("/api/meta").get_json()
    assert [a["name"] for a in meta["activations"]] == list(ACTIVATIONS)
    assert [loss["name"] for loss in meta["losses"]] == list(LOSSES)
    # By hand: the two activations that take a slope, and their defaults.
    assert {a["name"]: a["default_slope"] for a in meta["activations"] if a["default_slope"] is not None} == {
        "linear": 1.0, "leaky_relu": 0.01}
    assert [loss["name"] for loss in meta["losses"] if loss["domain"]] == ["bce", "cce"]
    # Softmax: the output layer only, two neurons or more; cross-entropy needs it.
    assert [(a["name"], a["min_outputs"]) for a in meta["activations"] if a["output_only"]] == [("softmax", 2)]
    assert [(loss["name"], loss["needs_activation"], loss["distribution"]) for loss in meta["losses"]
            if loss["needs_activation"]] == [("cce", "softmax", True)]
    assert meta["reductions"] == ["mean", "sum"] and meta["limits"]["samples"] == {"min": 1, "max": 32}
    assert meta["limits"]["layers"] == {"min": 2, "max": 10}
    assert meta["limits"]["neurons"] == {"min": 1, "max": 16}
    assert meta["defaults"]["activation"] == "sigmoid" and meta["defaults"]["loss"] == "sse"


def test_meta_is_what_the_request_schema_enforces():
    contract = build_contract()
    props = contract.request["properties"]
    assert props["loss"]["enum"] == [loss["name"] for loss in contract.meta["losses"]]
    assert props["activation"]["then"]["enum"] == [a["name"] for a in contract.meta["activations"]]
    assert props["layers"]["maxItems"] == contract.meta["limits"]["layers"]["max"]
    assert props["epsilon"]["minimum"] == contract.meta["limits"]["epsilon"]["min"]
    assert props["granularity"]["enum"] == contract.meta["granularities"]
    assert props["reduction"]["enum"] == contract.meta["reductions"]
    assert props["samples"]["maxItems"] == contract.meta["limits"]["samples"]["max"]
    assert tuple(props) == FIELDS == ("layers", "weights", "biases", "activations", "activation", "loss", "inputs",
                                      "targets", "samples", "reduction", "epsilon", "learning_rate", "seed",
                                      "granularity")
