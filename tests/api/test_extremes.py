"""Numeric extremes: past the API's bounds (±1e6) a 400 names the field; the largest network is a 200 under 2 MB."""
import json

import pytest

from webapp.presets import WORKED_EXAMPLE


def post(client, body):
    return client.post("/api/trace", data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("change, field", [
    ({"weights": [[[1e200]], [[0.2], [0.1]]]}, "weights[0][0][0]"),
    ({"weights": [[[0.5]], [[0.2], [-1e200]]]}, "weights[1][1][0]"),
    ({"inputs": [-1e308]}, "inputs[0]"),
    ({"targets": [2.0, 1e6 * 1.000001]}, "targets[1]"),
    ({"biases": [[5e-324 * 0 + 2e6], [0.0, 0.0]]}, "biases[0][0]"),
    ({"activations": [{"name": "linear", "slope": 1e4}, {"name": "linear"}]}, "activations[0].slope"),
    ({"epsilon": 1e-300}, "epsilon"),
    ({"learning_rate": 1e300}, "learning_rate"),
    ({"layers": [1, 0, 2]}, "layers[1]"),
    ({"layers": [0, 1, 2]}, "layers[0]"),
    ({"layers": [1] * 11}, "layers"),
    ({"layers": [1, 17]}, "layers[1]"),
])
def test_out_of_bounds_is_a_400_naming_the_field(client, change, field):
    r = post(client, {**WORKED_EXAMPLE, **change})
    assert r.status_code == 400
    assert r.get_json()["field"] == field


def test_bounds_themselves_are_accepted(client):
    # ±1e6 is inside the bound; the numbers grow large but stay finite (1e6 * 2 * 1e6 ...).
    body = {**WORKED_EXAMPLE, "weights": [[[1e6]], [[-1e6], [1e6]]], "inputs": [-1e6], "targets": [1e6, -1e6]}
    r = post(client, body)
    assert r.status_code == 200
    trace = r.get_json()
    assert trace["has_nonfinite"] is False and trace["nonfinite"] == []
    # a_1 = 1e6 * -1e6 = -1e12, by hand.
    assert trace["forward"]["pre_activations"][0][0] == -1e12


def test_tiny_numbers_survive(client):
    body = {**WORKED_EXAMPLE, "weights": [[[5e-324]], [[0.2], [0.1]]]}
    r = post(client, body)
    assert r.status_code == 200
    assert r.get_json()["spec"]["weights"][0][0][0] == 5e-324


def test_largest_network_is_a_200_under_two_megabytes(client):
    body = {"layers": [16] * 10, "weights": None, "seed": 12345, "biases": True,
            "inputs": [1.0] * 16, "targets": [0.0] * 16}
    r = post(client, body)
    assert r.status_code == 200
    assert len(r.data) < 2 * 1024 * 1024
    trace = r.get_json()
    assert len(trace["graph"]["edges"]) == 9 * 16 * 16  # 2,304, counted by hand
    assert trace["granularity"] == "neuron"
