"""The code the page shows (webapp/reference/train_step.py) computes what the trace says.

The reference is written without the engine; here both run on the presets and on seeded random
networks (every activation and loss, with and without biases, one sample or a mini-batch) and
every number is compared: forward pass, loss, gradients, finite differences, update. The trace
is built at full precision (17 significant digits) so that its rounding for the page does not
hide a difference. Values computed the same way by both agree to 1e-9 relative; a finite
difference is a difference of two losses divided by epsilon, so two correct programs that round
the loss differently in its last bit disagree there by about ulp(E) / epsilon: that much more
is allowed for it (measured: at most 2.3 ulps of E on the presets).
"""
import random

import numpy as np
import pytest

from webapp.engine import build_trace, rounding, trace_json
from webapp.presets import PRESETS
from webapp.reference.train_step import train_step
from webapp.spec import parse_spec
from webapp.train_contract import parse_iteration

RELATIVE = 1e-9
ROUNDOFF_ULPS = 8  # of the loss E, in a finite difference (see above)
HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
LOSSES = ["sse", "mse", "half_sse", "bce", "cce"]


def assert_close(got, expected, what, absolute=0.0):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    assert got.shape == expected.shape, what
    allowed = RELATIVE * np.maximum(np.abs(got), np.abs(expected)) + absolute
    worst = np.max(np.abs(got - expected) - allowed, initial=-1.0)
    assert worst <= 0, f"{what}: reference {got.tolist()} against the trace {expected.tolist()}"


def split(arrays, n_weights, has_biases):
    """The reference's parameter list (weights, then biases) as the trace's two lists."""
    return list(arrays[:n_weights]), (list(arrays[n_weights:]) if has_biases else None)


def compare_arrays(got_list, expected_list, what, absolute=0.0):
    if expected_list is None:
        assert not got_list, what
        return
    assert len(got_list) == len(expected_list), what
    for l, (got, expected) in enumerate(zip(got_list, expected_list)):
        assert_close(got, expected, f"{what}[{l}]", absolute)


def compare_sample(ref, record, what):
    compare_arrays(ref["outputs"], record["forward"]["activations"], f"{what} activations h")
    compare_arrays(ref["sums"], record["forward"]["pre_activations"], f"{what} sums a")
    assert_close(ref["e"], record["loss"]["per_output"], f"{what} loss terms e_k")


def compare(spec_body, monkeypatch, parse=parse_spec):
    # The trace unrounded: the arrays (rounding.py) and what is cleaned number by number (trace_json).
    monkeypatch.setattr(rounding, "SIGNIFICANT_DIGITS", 17)
    monkeypatch.setattr(trace_json, "SIGNIFICANT_DIGITS", 17)
    trace = build_trace(*parse(spec_body))
    spec = trace["spec"]  # the validated request: defaults filled in
    ref = train_step(spec)
    n_weights, has_biases = len(spec["weights"]), spec["biases"] is not None
    if "per_sample" in trace:
        for n, (sample, record) in enumerate(zip(ref["samples"], trace["per_sample"], strict=True)):
            compare_sample(sample, record, f"sample {n}")
            weights, biases = split(sample["grads"], n_weights, has_biases)
            compare_arrays(weights, record["gradients"]["weights"], f"sample {n} dE/dW")
            compare_arrays(biases, record["gradients"]["biases"], f"sample {n} dE/db")
    else:
        compare_sample(ref["samples"][0], trace, "the sample")
    assert_close(ref["E"], trace["loss"]["total"], "loss E")
    weights, biases = split(ref["gradients"], n_weights, has_biases)
    compare_arrays(weights, trace["gradients"]["weights"], "dE/dW")
    compare_arrays(biases, trace["gradients"]["biases"], "dE/db")
    roundoff = ROUNDOFF_ULPS * np.finfo(float).eps * abs(ref["E"]) / spec["epsilon"]
    for key, name in (("forward_diff", "forward"), ("central_diff", "central")):
        weights, biases = split(ref[key], n_weights, has_biases)
        numeric = trace["numeric_gradients"][name]
        compare_arrays(weights, numeric["weights"], f"{name} difference of W", roundoff)
        compare_arrays(biases, numeric["biases"], f"{name} difference of b", roundoff)
    weights, biases = split(ref["updated"], n_weights, has_biases)
    compare_arrays(weights, trace["updated"]["weights"], "updated W")
    compare_arrays(biases, trace["updated"]["biases"], "updated b")


@pytest.mark.parametrize("preset", PRESETS, ids=[p["id"] for p in PRESETS])
def test_reference_code_matches_the_trace_on_every_preset(preset, monkeypatch):
    compare(preset["spec"], monkeypatch)


def test_reference_code_matches_a_training_iterations_walkthrough(monkeypatch):
    """An iteration of a training run (plain SGD on a batch of XOR): the weights it starts from."""
    train = {"network": {"layers": [2, 3, 1], "weights": None, "biases": True, "activation": "tanh", "loss": "mse"},
             "dataset": {"name": "xor"}, "optimizer": {"name": "sgd", "learning_rate": 0.3}, "batch_size": 4,
             "iterations": 5, "seed": 3}
    compare({"train": train, "iteration": 4}, monkeypatch, parse=parse_iteration)


def activation(rng, name):
    slope = {"linear": rng.choice([1.0, 2.0, -0.5]), "leaky_relu": rng.choice([0.01, 0.2])}.get(name)
    return {"name": name} if slope is None or rng.random() < 0.3 else {"name": name, "slope": slope}


def targets(rng, loss, n):
    if loss == "cce":
        weights = [rng.random() for _ in range(n)]
        return [w / sum(weights) for w in weights] if rng.random() < 0.5 else [float(k == 0) for k in range(n)]
    if loss == "bce":
        return [rng.choice([0.0, 1.0, rng.random()]) for _ in range(n)]
    return [rng.uniform(-1, 1) for _ in range(n)]


def random_body(rng, loss, biases, batch):
    """A valid request: a random shape and activations, the output layer the loss needs."""
    layers = [rng.randint(1, 4) for _ in range(rng.randint(2, 4))]
    acts = [activation(rng, rng.choice(HIDDEN)) for _ in layers[1:]]
    if loss == "bce":
        acts[-1] = {"name": "sigmoid"}  # outputs in (0, 1)
    if loss == "cce" or (loss in ("sse", "mse", "half_sse") and rng.random() < 0.3):
        layers[-1] = max(layers[-1], 2)
        acts[-1] = {"name": "softmax"}
    body = {
        "layers": layers, "activations": acts, "loss": loss,
        "weights": [[[rng.uniform(-1, 1) for _ in range(a)] for _ in range(b)] for a, b in zip(layers, layers[1:])],
        "biases": [[rng.uniform(-0.5, 0.5) for _ in range(b)] for b in layers[1:]] if biases else None,
        "epsilon": rng.choice([1e-6, 1e-5, 1e-4]), "learning_rate": rng.choice([0.1, 0.5]),
    }
    samples = [{"inputs": [rng.uniform(-2, 2) for _ in range(layers[0])], "targets": targets(rng, loss, layers[-1])}
               for _ in range(rng.randint(2, 4) if batch else 1)]
    if batch:
        return {**body, "samples": samples, "reduction": rng.choice(["mean", "sum"])}
    return {**body, **samples[0]}


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("biases", [False, True], ids=["no-biases", "biases"])
@pytest.mark.parametrize("batch", [False, True], ids=["one-sample", "batch"])
def test_reference_code_matches_the_trace_on_random_networks(loss, biases, batch, monkeypatch):
    rng = random.Random(f"reference-{loss}-{biases}-{batch}")
    for _ in range(4):
        compare(random_body(rng, loss, biases, batch), monkeypatch)


def test_the_comparison_can_fail(monkeypatch):
    """A reference with a wrong derivative must not pass (the comparison is not vacuous)."""
    from webapp.reference import train_step as module
    wrong = dict(module.ACTIVATIONS, tanh=(module.ACTIVATIONS["tanh"][0], lambda a, s: 1 - np.tanh(a)))
    monkeypatch.setattr(module, "ACTIVATIONS", wrong)
    with pytest.raises(AssertionError, match="dE/dW"):
        compare(next(p["spec"] for p in PRESETS if p["id"] == "tanh-2-2-1"), monkeypatch)


# The marker rules on a small file; the expected lines are counted by hand.
MARKED = '''\
def forward(x):
    a = x * 2  # step: node_sum
    # step: node_activation
    # step: edge_product
    h = a + 1
    h = h * 3

    return h


def check(x):
    for i in x:  # step: grad_check
        x = i
    # step: update
    y = x
    z = y  # step: loss_total
    return z
'''


def test_line_map_reads_the_markers_and_the_phase_functions():
    from webapp.reference.source import line_map
    assert line_map(MARKED) == {
        # Trailing: its own statement (a loop with its body). On its own line: the comment block and
        # the paragraph below it, stopping at a blank line or a statement with its own marker.
        "kinds": {"edge_product": [3, 4, 5, 6], "grad_check": [12, 13], "loss_total": [16],
                  "node_activation": [3, 4, 5, 6], "node_sum": [2], "update": [14, 15]},
        "phases": {"forward": [1, 2, 3, 4, 5, 6, 7, 8], "check": [11, 12, 13, 14, 15, 16, 17]},
    }
