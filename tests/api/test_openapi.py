"""The OpenAPI document at /api/openapi.json: it is served, it matches the README, and the app keeps to it."""
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from webapp import create_app
from webapp.contract import CONTRACT, FIELDS
from webapp.openapi import document
from webapp.presets import PRESETS, WORKED_EXAMPLE

# The README's field table, typed out by hand: the document must list exactly these.
README_FIELDS = {"layers", "weights", "biases", "activations", "activation", "loss", "inputs", "targets", "samples",
                 "reduction",
                 "epsilon", "learning_rate", "seed", "granularity"}
README_TRACE_KEYS = {"schema_version", "spec", "graph", "forward", "loss", "gradients", "numeric_gradients",
                     "updated", "granularity", "per_output_steps", "steps", "nonfinite", "has_nonfinite"}
OPENAPI = document(CONTRACT)
BIG = {"layers": [16] * 10, "weights": None, "seed": 7, "biases": True, "inputs": [0.5] * 16, "targets": [0.1] * 16}


def validator(name):
    """A JSON Schema 2020-12 validator for one component, its $refs resolved within the document."""
    return jsonschema_rs.Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                               "components": OPENAPI["components"]})


def test_document_is_served_as_json(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/api/trace", "/api/presets", "/api/meta", "/api/openapi.json", "/api/datasets",
                                 "/api/datasets/{id}", "/api/train", "/api/boundary",
                                 "/api/solution", "/api/code", "/api/sessions", "/api/sessions/{id}",
                                 "/api/sessions/{id}/state", "/api/sessions/{id}/events", "/api/sessions/{id}/polls",
                                 "/api/sessions/{id}/polls/{poll_id}", "/api/sessions/{id}/polls/{poll_id}/reveal",
                                 "/api/sessions/{id}/polls/{poll_id}/answers",
                                 "/api/sessions/{id}/polls/{poll_id}/answers/{client}"}
    assert set(doc["paths"]["/api/trace"]["post"]["responses"]) == {"200", "400", "503"}


def test_request_schema_lists_the_readme_fields():
    assert set(OPENAPI["components"]["schemas"]["TraceRequest"]["properties"]) == README_FIELDS == set(FIELDS)
    assert set(OPENAPI["components"]["schemas"]["Trace"]["required"]) == README_TRACE_KEYS


@pytest.mark.parametrize("body", [p["spec"] for p in PRESETS] + [BIG], ids=[p["id"] for p in PRESETS] + ["10x16"])
def test_real_traces_conform(client, body):
    assert validator("TraceRequest").is_valid(body)
    r = client.post("/api/trace", json=body)
    assert r.status_code == 200
    errors = [str(e) for e in validator("Trace").iter_errors(r.get_json())]
    assert errors == []


def test_trace_schema_can_fail(client):
    # Guard against a schema so loose it accepts anything.
    trace = client.post("/api/trace", json=WORKED_EXAMPLE).get_json()
    assert not validator("Trace").is_valid({**trace, "surprise": 1})
    trace["steps"][0] = {**trace["steps"][0], "phase": "sideways"}
    assert not validator("Trace").is_valid(trace)
    assert not validator("TraceRequest").is_valid({**WORKED_EXAMPLE, "activation": "relu"})  # both given


def test_presets_and_errors_conform(client):
    assert validator("Presets").is_valid(client.get("/api/presets").get_json())
    r = client.post("/api/trace", json={**WORKED_EXAMPLE, "inputs": ["x"]})
    assert r.status_code == 400
    assert validator("Error").is_valid(r.get_json())


# schemathesis generates requests from the document, valid and invalid, and checks every
# response against it. positive_data_acceptance is left out on purpose: the document
# cannot say "weights match layers", so schema-valid bodies are mostly (correctly) 400s.
# The calls ask for the identity coding: the WSGI transport passes a Brotli body on undecoded, where
# an HTTP client would decode it (tests/api/test_delivery.py checks the codings).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", create_app({"TESTING": True}))
IDENTITY = {"Accept-Encoding": "identity"}


@schema.exclude(path=["/api/train", "/api/boundary"]).parametrize()
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_app_keeps_to_its_document(case):
    case.call_and_validate(headers=IDENTITY, excluded_checks=[schemathesis.checks.positive_data_acceptance])


# A valid training request runs up to 10,000 iterations: fewer examples keep this quick, and the
# bad ones (most of them) are as many as the rest get.
@schema.include(path=["/api/train", "/api/boundary"]).parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_training_keeps_to_its_document(case):
    case.call_and_validate(headers=IDENTITY, excluded_checks=[schemathesis.checks.positive_data_acceptance])
