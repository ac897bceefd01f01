"""Adding an activation is one engine entry (and its tests): the contract, /api/meta, the validation
and so the editor (which reads /api/meta) follow, with nothing else to edit.

The contract is built from the engine's tables when an app is made (api.py calls
contract.build_contract() as its blueprint is registered), so an app made after the entry is
added serves it; no module is reloaded.
"""
import numpy as np
import pytest

from webapp import create_app
from webapp.engine import activations
from webapp.presets import WORKED_EXAMPLE

SOFTSIGN = activations.Activation(
    f=lambda a, s: a / (1.0 + np.abs(a)),
    df=lambda a, s: 1.0 / (1.0 + np.abs(a)) ** 2,
    default_slope=None,
    latex=r"\frac{{a}}{1 + |{a}|}",
    latex_df=r"\frac{1}{(1 + |{a}|)^2}",
    title="softsign",
)
BODY = {**WORKED_EXAMPLE, "activations": [{"name": "softsign"}, {"name": "linear", "slope": 2.0}]}


@pytest.fixture
def client_with_softsign(monkeypatch):
    monkeypatch.setitem(activations.ACTIVATIONS, "softsign", SOFTSIGN)
    return create_app({"TESTING": True}).test_client()


def test_before_the_entry_softsign_is_refused(client):
    r = client.post("/api/trace", json=BODY)
    assert r.status_code == 400 and r.get_json()["field"] == "activations[0].name"


def test_meta_lists_the_new_activation(client_with_softsign):
    meta = client_with_softsign.get("/api/meta").get_json()
    assert {"name": "softsign", "title": "softsign", "default_slope": None, "output_only": False,
            "min_outputs": 1} in meta["activations"]


def test_the_published_schema_accepts_it(client_with_softsign):
    schema = client_with_softsign.get("/api/openapi.json").get_json()["components"]["schemas"]["TraceRequest"]
    assert "softsign" in schema["properties"]["activations"]["items"]["else"]["properties"]["name"]["enum"]


def test_trace_accepts_it_and_its_gradient_passes_the_check(client_with_softsign):
    r = client_with_softsign.post("/api/trace", json=BODY)
    assert r.status_code == 200, r.get_json()
    trace = r.get_json()
    # By hand: a_1 = 0.5 * 3 = 1.5, h_1 = 1.5 / 2.5 = 0.6.
    assert trace["forward"]["activations"][1] == pytest.approx([0.6])
    np.testing.assert_allclose(trace["gradients"]["weights"][0], trace["numeric_gradients"]["central"]["weights"][0],
                               rtol=1e-6)


def test_it_takes_no_slope_because_its_entry_has_none(client_with_softsign):
    body = {**BODY, "activations": [{"name": "softsign", "slope": 2.0}, {"name": "linear"}]}
    r = client_with_softsign.post("/api/trace", json=body)
    assert r.status_code == 400 and r.get_json()["field"] == "activations[0].slope"
