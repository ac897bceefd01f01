"""Backprop against central differences of an independent, loop-based forward pass."""
import itertools
import json
import math
import random

import pytest

from webapp.engine import build_trace
from webapp.spec import parse_spec

ACTIVATIONS = {
    "linear": lambda a, s: s * a,
    "sigmoid": lambda a, s: 1 / (1 + math.exp(-a)),
    "tanh": lambda a, s: math.tanh(a),
    "relu": lambda a, s: max(a, 0.0),
    "leaky_relu": lambda a, s: a if a > 0 else s * a,
}
SLOPES = {"linear": 1.5, "leaky_relu": 0.1}
LOSSES = {
    "sse": lambda o, t: sum((ti - oi) ** 2 for oi, ti in zip(o, t)),
    "mse": lambda o, t: sum((ti - oi) ** 2 for oi, ti in zip(o, t)) / len(o),
    "half_sse": lambda o, t: 0.5 * sum((ti - oi) ** 2 for oi, ti in zip(o, t)),
    "bce": lambda o, t: -sum(ti * math.log(oi) + (1 - ti) * math.log(1 - oi) for oi, ti in zip(o, t)),
}


def reference_loss(body):
    """Plain-Python forward pass, written independently of the engine."""
    h = list(body["inputs"])
    for l, w in enumerate(body["weights"]):
        act = body["activations"][l]
        a = [sum(wji * hi for wji, hi in zip(row, h)) + (body["biases"][l][j] if body["biases"] else 0.0)
             for j, row in enumerate(w)]
        h = [ACTIVATIONS[act["name"]](x, act.get("slope", 0.0)) for x in a]
    return LOSSES[body["loss"]](h, body["targets"])


def random_body(rng, activation, loss, biases):
    layers = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    acts = [{"name": activation, **({"slope": SLOPES[activation]} if activation in SLOPES else {})}
            for _ in layers[1:]]
    if loss == "bce":
        acts[-1] = {"name": "sigmoid"}  # bce needs outputs in (0, 1)
    return {
        "layers": layers,
        "weights": [[[rng.uniform(-1, 1) for _ in range(a)] for _ in range(b)] for a, b in zip(layers, layers[1:])],
        "biases": [[rng.uniform(-0.5, 0.5) for _ in range(b)] for b in layers[1:]] if biases else None,
        "activations": acts,
        "loss": loss,
        "inputs": [rng.uniform(-2, 2) for _ in range(layers[0])],
        "targets": [rng.uniform(0.05, 0.95) for _ in range(layers[-1])],
    }


def central_difference(body, path, eps=1e-6):
    def at(delta):
        b = json.loads(json.dumps(body))
        target = b
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] += delta
        return reference_loss(b)
    return (at(eps) - at(-eps)) / (2 * eps)


CASES = list(itertools.product(ACTIVATIONS, LOSSES, [False, True]))


@pytest.mark.parametrize("activation, loss, biases", CASES)
def test_backprop_matches_central_differences(activation, loss, biases):
    rng = random.Random(f"{activation}-{loss}-{biases}")
    for _ in range(3):
        body = random_body(rng, activation, loss, biases)
        trace = build_trace(*parse_spec(body))
        for l, w in enumerate(body["weights"]):
            for j, row in enumerate(w):
                for i in range(len(row)):
                    expected = central_difference(body, ["weights", l, j, i])
                    got = trace["gradients"]["weights"][l][j][i]
                    assert got == pytest.approx(expected, rel=1e-6, abs=1e-7), (l, j, i)
                if biases:
                    expected = central_difference(body, ["biases", l, j])
                    assert trace["gradients"]["biases"][l][j] == pytest.approx(expected, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("activation, loss, biases", CASES[::3])
def test_engine_numeric_gradients_agree_with_backprop(activation, loss, biases):
    body = random_body(random.Random(activation + loss), activation, loss, biases)
    trace = build_trace(*parse_spec(body))
    for g, c in zip(_flat(trace["gradients"]["weights"]), _flat(trace["numeric_gradients"]["central"]["weights"])):
        assert c == pytest.approx(g, rel=1e-5, abs=1e-7)


def test_per_output_gradients_sum_to_the_total():
    body = random_body(random.Random(7), "tanh", "mse", True)
    body["layers"] = body["layers"][:-1] + [body["layers"][-1]]
    trace = build_trace(*parse_spec(body))
    per, h = trace["gradients"]["per_output"], trace["forward"]["activations"]
    for l, w in enumerate(trace["gradients"]["weights"]):
        for j, row in enumerate(w):
            for i, g in enumerate(row):
                # de_k/dw_lji = de_k/da_lj h_(l-1)i, the error signals being sent at 9 significant digits.
                assert sum(p["deltas"][l][j] * h[l][i] for p in per) == pytest.approx(g, rel=1e-7, abs=1e-12)


def _flat(nested):
    for x in nested:
        if isinstance(x, list):
            yield from _flat(x)
        else:
            yield x
