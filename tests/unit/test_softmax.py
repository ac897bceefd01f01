"""Softmax with categorical cross-entropy: delta_k = o_k - t_k, equal to the chain rule through the
softmax Jacobian and to central differences, for random and very large logits, without overflow.
The reference softmax and loss here are written independently of the engine (log-sum-exp)."""
import json
import math
import random

import pytest

from webapp.engine import build_trace
from webapp.engine.expand import expand_trace
from webapp.spec import parse_body


def reference_cce(logits, targets):
    """-sum t_k ln softmax(a)_k = -sum t_k (a_k - logsumexp(a)), stable for any logits."""
    top = max(logits)
    lse = top + math.log(sum(math.exp(a - top) for a in logits))
    return -sum(t * (a - lse) for a, t in zip(logits, targets) if t)


def reference_softmax(logits):
    top = max(logits)
    e = [math.exp(a - top) for a in logits]
    return [x / sum(e) for x in e]


def logit_network(logits, targets):
    """A K-K network whose weights are the identity and whose inputs are the logits: a = logits."""
    k = len(logits)
    return {"layers": [k, k], "weights": [[[1.0 if i == j else 0.0 for i in range(k)] for j in range(k)]],
            "activation": "softmax", "loss": "cce", "inputs": logits, "targets": targets}


def trace_of(body):
    return expand_trace(build_trace(*parse_body(json.dumps(body).encode())))  # every step in full


def one_hot(rng, k):
    t = [0.0] * k
    t[rng.randrange(k)] = 1.0
    return t


CASES = [(seed, scale) for seed in range(8) for scale in (1.0, 30.0, 400.0)]


@pytest.mark.parametrize("seed, scale", CASES, ids=[f"seed{s}-x{int(m)}" for s, m in CASES])
def test_delta_is_o_minus_t_and_matches_central_differences(seed, scale):
    rng = random.Random(seed)
    k = rng.randint(2, 5)
    logits = [round(rng.uniform(-1, 1) * scale, 3) for _ in range(k)]
    targets = one_hot(rng, k) if seed % 2 else [x / sum(w) for w in [[rng.random() for _ in range(k)]] for x in w]
    trace = trace_of(logit_network(logits, targets))
    # Where an output underflows to 0, de/do (a route through 1/o) may not exist; the loss, the error
    # signals, the gradients and the check stay finite.
    assert trace["loss"]["total"] is not None
    assert None not in trace["gradients"]["weights"][0][0] + trace["numeric_gradients"]["central"]["weights"][0][0]
    o = reference_softmax(logits)
    delta = trace["gradients"]["deltas"][-1]
    h = 1e-5
    for j in range(k):
        assert delta[j] == pytest.approx(o[j] - targets[j], rel=1e-7, abs=1e-12)
        up, down = list(logits), list(logits)
        up[j] += h
        down[j] -= h
        central = (reference_cce(up, targets) - reference_cce(down, targets)) / (2 * h)
        assert delta[j] == pytest.approx(central, rel=1e-4, abs=1e-7)
    assert trace["loss"]["total"] == pytest.approx(reference_cce(logits, targets), rel=1e-7, abs=1e-9)


def test_the_route_and_the_shortcut_are_steps_that_agree():
    trace = trace_of({"layers": [2, 3, 3], "weights": None, "seed": 4, "biases": True,
                      "activations": ["tanh", "softmax"], "loss": "cce", "inputs": [0.5, -0.3], "targets": [0, 1, 0]})
    steps = {s["id"]: s for s in trace["steps"]}
    o = trace["forward"]["activations"][-1]
    for k, t in enumerate([0, 1, 0]):
        route, short = steps[f"delta-n2-{k}"], steps[f"shortcut-n2-{k}"]
        assert route["kind"] == "softmax_delta" and short["kind"] == "delta_shortcut"
        assert short["value"] == pytest.approx(o[k] - t, abs=1e-9)
        assert route["value"] == pytest.approx(short["value"], rel=1e-8, abs=1e-12)
        # The route's terms: de_j/do_j * do_j/da_k, the Jacobian's column k written out.
        assert sum(term[1] for term in route["terms"]) == pytest.approx(route["value"], rel=1e-8, abs=1e-12)
    jac = steps["jacobian-softmax"]
    assert "matrix" in jac["args"] and jac["kind"] == "softmax_jacobian"
    # By hand: do_1/da_1 = o_1 (1 - o_1).
    assert jac["factors"][0][1] == pytest.approx(o[0] * (1 - o[0]), rel=1e-8)
    order = [s["id"] for s in trace["steps"]]
    assert order.index("jacobian-softmax") > max(order.index(f"dedo-n2-{k}") for k in range(3))
    assert order.index("shortcut-n2-0") == order.index("delta-n2-0") + 1
    # The check: the largest relative error between backprop and central differences.
    assert max(s["value"] for s in trace["steps"] if s["phase"] == "check") < 1e-5


def test_softmax_with_squared_error_takes_the_route_only():
    trace = trace_of({"layers": [2, 2], "weights": [[[0.3, -0.2], [0.1, 0.4]]], "activation": "softmax",
                      "loss": "sse", "inputs": [1.0, 2.0], "targets": [1, 0]})
    kinds = {s["kind"] for s in trace["steps"]}
    assert "softmax_delta" in kinds and "delta_shortcut" not in kinds
    # By hand: a = [-0.1, 0.9], o = softmax(a), e = (1 - o1)^2 + o2^2, so dE/da_1 = -2(1 - o1) o1 o2 - 2 o2 o1 o2 ...
    o1, o2 = reference_softmax([-0.1, 0.9])
    de_do = [-2 * (1 - o1), 2 * o2]
    jac = [[o1 * (1 - o1), -o1 * o2], [-o2 * o1, o2 * (1 - o2)]]
    expected = [sum(de_do[j] * jac[j][k] for j in range(2)) for k in range(2)]
    assert trace["gradients"]["deltas"][-1] == pytest.approx(expected, rel=1e-8)
    assert max(s["value"] for s in trace["steps"] if s["phase"] == "check") < 1e-5
