"""Determinism, size, non-finite handling and notation of traces."""
import json

import numpy as np
import pytest

from webapp.engine import build_trace, encode
from webapp.engine.network import LayerActivation, NetworkSpec
from webapp.engine.notation import Notation, latex_to_text
from webapp.presets import WORKED_EXAMPLE
from webapp.spec import parse_spec

LARGEST = {"layers": [16] * 10, "weights": None, "seed": 3, "biases": True, "activation": {"name": "tanh"},
           "loss": "mse", "inputs": [0.1 * i for i in range(16)], "targets": [0.5] * 16}


def dump(trace):
    return json.dumps(trace, separators=(",", ":"), allow_nan=False)


def test_same_spec_gives_byte_identical_json():
    body = dict(LARGEST, layers=[3, 4, 2], inputs=[1, 2, 3], targets=[0, 1])
    assert dump(build_trace(*parse_spec(body))) == dump(build_trace(*parse_spec(json.loads(json.dumps(body)))))


# The size limits of the issue "fast and light": every value, symbol and step is still there (the
# expanders restore the full view, tests/unit/test_expand.py), sent once.
NEAR_LIMIT = {"layers": [16] * 10, "weights": None, "seed": 1, "biases": True, "activation": "tanh",
              "inputs": [0.1] * 16, "targets": [0.2] * 16}


@pytest.mark.parametrize("body", [LARGEST, NEAR_LIMIT], ids=["tanh-mse-seed3", "tanh-sse-seed1"])
def test_largest_network_trace_stays_under_one_megabyte(body):
    trace = build_trace(*parse_spec(body))
    assert len(encode(trace)) < 1_000_000
    assert trace["granularity"] == "neuron"


def test_worked_example_trace_stays_under_ten_kilobytes():
    assert len(encode(build_trace(*parse_spec(WORKED_EXAMPLE)))) < 10_000


def test_small_networks_go_edge_by_edge():
    trace = build_trace(*parse_spec(dict(LARGEST, layers=[2, 3, 2], inputs=[1, 2], targets=[0, 1])))
    assert trace["granularity"] == "edge"
    edge_steps = [s for s in trace["steps"] if s["kind"] == "edge_product"]
    assert len(edge_steps) == 2 * 3 + 3 * 2


def test_overflow_becomes_null_with_flags():
    # The API's bounds keep values finite, so build the spec directly: 1e200 squared overflows.
    spec = NetworkSpec(layers=(1, 1), weights=(np.array([[1e200]]),), biases=None,
                       activations=(LayerActivation("linear", 1.0),), loss="sse",
                       inputs=np.array([1.0]), targets=np.array([0.0]))
    trace = build_trace(spec)
    text = dump(trace)  # allow_nan=False: raises if NaN or Infinity slipped through
    assert "Infinity" not in text and "NaN" not in text
    assert trace["has_nonfinite"] is True and "loss.total" in trace["nonfinite"]
    assert trace["loss"]["total"] is None
    flagged = [s["id"] for s in trace["steps"] if s.get("nonfinite")]
    assert "loss-total" in flagged and "fwd-w1-0-0" not in flagged


@pytest.mark.parametrize("layers, l, j, i, expected", [
    ([1, 1, 2], 2, 1, 0, "w_{22}"),
    ([2, 2, 2], 1, 0, 1, "w_{112}"),
    ([16, 16], 1, 11, 4, "w_{1,12,5}"),
    ([2] * 10, 9, 0, 0, "w_{9,1,1}"),
])
def test_weight_names(layers, l, j, i, expected):
    assert Notation(layers).weight(l, j, i) == expected


def test_hidden_and_output_names():
    nt = Notation([2, 3, 3, 1])
    assert [nt.act(0, 1), nt.act(1, 2), nt.pre(1, 2), nt.act(2, 0), nt.pre(2, 0), nt.act(3, 0), nt.delta(2, 1)] == [
        "x_{12}", "h_{3}", "a_{3}", "h_{21}", "a_{21}", "o_{1}", r"\delta_{22}"]


def test_latex_to_text():
    assert latex_to_text(r"\frac{\partial e_{1}}{\partial w_{21}} = \delta_{21} \cdot h_{1}") == "∂e₁/∂w₂₁ = δ₂₁ · h₁"
