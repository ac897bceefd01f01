"""The engine's finite differences, every parameter of a layer perturbed at once, against a loop.

The reference moves one parameter at a time by +eps and -eps (as the worked example does: the weight
becomes w + eps and the sums are recomputed), runs a plain-Python forward pass written here, and
takes the central and forward quotients of the loss (of a mini-batch: the mean or sum of its samples'
losses). Random networks of every size up to 4 layers of 4, with and without biases, elementwise
activations with squared errors, softmax with cross-entropy, one sample or a batch.
"""
import copy
import math
import random

import numpy as np
import pytest

from webapp.engine.network import compute, compute_batch
from webapp.spec import parse_spec

EPS = 1e-6
ACTIVATIONS = {
    "tanh": math.tanh,
    "sigmoid": lambda a: 1 / (1 + math.exp(-a)),
    "relu": lambda a: max(a, 0.0),
}


def softmax(a):
    top = max(a)
    e = [math.exp(x - top) for x in a]
    return [x / sum(e) for x in e]


def sample_loss(body, inputs, targets):
    h = list(inputs)
    for l, w in enumerate(body["weights"]):
        a = [sum(wji * hi for wji, hi in zip(row, h)) + (body["biases"][l][j] if body["biases"] else 0.0)
             for j, row in enumerate(w)]
        name = body["activations"][l]
        h = softmax(a) if name == "softmax" else [ACTIVATIONS[name](x) for x in a]
    if body["loss"] == "cce":
        return -sum(t * math.log(o) for o, t in zip(h, targets) if t)
    return sum((t - o) ** 2 for o, t in zip(h, targets))


def loss(body):
    if "samples" not in body:
        return sample_loss(body, body["inputs"], body["targets"])
    total = sum(sample_loss(body, s["inputs"], s["targets"]) for s in body["samples"])
    return total / len(body["samples"]) if body["reduction"] == "mean" else total


def reference(body):
    """{(kind, layer, *index): (central, forward)} one parameter at a time."""
    base, out = loss(body), {}
    for kind in ("weights", "biases") if body["biases"] else ("weights",):
        for l, array in enumerate(body[kind]):
            for index in np.ndindex(np.shape(array)):
                moved = []
                for step in (EPS, -EPS):
                    b = copy.deepcopy(body)
                    cell = b[kind][l]
                    for i in index[:-1]:
                        cell = cell[i]
                    cell[index[-1]] += step
                    moved.append(loss(b))
                out[(kind, l, *index)] = ((moved[0] - moved[1]) / (2 * EPS), (moved[0] - base) / EPS)
    return out


def random_body(rng, softmax_output, batch, biases):
    layers = [rng.randint(1, 4) for _ in range(rng.randint(2, 4))]
    if softmax_output:
        layers[-1] = max(layers[-1], 2)
    acts = [rng.choice(list(ACTIVATIONS)) for _ in layers[1:]]
    if softmax_output:
        acts[-1] = "softmax"

    def targets():
        if softmax_output:  # one-hot: a distribution, as cross-entropy asks
            hot = rng.randrange(layers[-1])
            return [1.0 if k == hot else 0.0 for k in range(layers[-1])]
        return [rng.uniform(0.05, 0.95) for _ in range(layers[-1])]

    body = {
        "layers": layers,
        "weights": [[[rng.uniform(-1, 1) for _ in range(a)] for _ in range(b)] for a, b in zip(layers, layers[1:])],
        "biases": [[rng.uniform(-0.5, 0.5) for _ in range(b)] for b in layers[1:]] if biases else None,
        "activations": acts,
        "loss": "cce" if softmax_output else "sse",
    }
    if batch:
        body["samples"] = [{"inputs": [rng.uniform(-2, 2) for _ in range(layers[0])], "targets": targets()}
                           for _ in range(rng.randint(2, 4))]
        body["reduction"] = rng.choice(["mean", "sum"])
    else:
        body["inputs"], body["targets"] = [rng.uniform(-2, 2) for _ in range(layers[0])], targets()
    return body


CASES = [(s, b, bias, seed) for s in (False, True) for b in (False, True) for bias in (False, True) for seed in range(3)]


@pytest.mark.parametrize("softmax_output, batch, biases, seed", CASES)
def test_vectorised_differences_match_one_parameter_at_a_time(softmax_output, batch, biases, seed):
    body = random_body(random.Random(f"{softmax_output}-{batch}-{biases}-{seed}"), softmax_output, batch, biases)
    spec, _ = parse_spec({**body, "activations": [{"name": a} for a in body["activations"]]})
    numeric = (compute_batch(spec) if batch else compute(spec)).numeric
    expected = reference(body)
    assert len(expected) == sum(np.size(a) for a in body["weights"]) + sum(np.size(b) for b in body["biases"] or [])
    for (kind, l, *index), (central, forward) in expected.items():
        assert numeric["central"][kind][l][tuple(index)] == pytest.approx(central, rel=1e-6, abs=1e-8)
        assert numeric["forward"][kind][l][tuple(index)] == pytest.approx(forward, rel=1e-6, abs=1e-8)


def test_a_mixed_up_parameter_would_be_caught():
    """The comparison can fail: the reference's quotients of two different weights differ by far more
    than the tolerance, so the engine perturbing the wrong weight would not pass."""
    body = random_body(random.Random("mix"), False, False, True)
    body["layers"], body["weights"] = [2, 2], [[[0.3, -0.7], [0.5, 0.2]]]
    body["biases"], body["activations"] = [[0.1, -0.1]], ["tanh"]
    body["inputs"], body["targets"] = [1.0, -2.0], [0.2, 0.8]
    ref = reference(body)
    assert ref[("weights", 0, 0, 0)][0] != pytest.approx(ref[("weights", 0, 0, 1)][0], rel=1e-6, abs=1e-8)
