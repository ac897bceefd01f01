"""Mini-batches: the batch gradient is the mean (or sum) of the samples' own gradients and equals
central differences of the batch loss E, computed by a plain-Python forward pass written
independently of the engine; each sample's record is that sample's one-sample trace; the
walkthrough goes forward, loss, backward per sample, then accumulate, check, update."""
import json
import math
import random

import pytest

from webapp.engine import build_trace
from webapp.engine.expand import expand_trace
from webapp.spec import parse_body

ACT = {"sigmoid": lambda a: 1 / (1 + math.exp(-a)), "tanh": math.tanh, "linear": lambda a: a}
LOSS = {"sse": lambda o, t: sum((ti - oi) ** 2 for oi, ti in zip(o, t)),
        "half_sse": lambda o, t: 0.5 * sum((ti - oi) ** 2 for oi, ti in zip(o, t))}


def reference_batch_loss(body, weights, biases):
    """E = (1/N) sum_n E_n (or the sum) by loops, from the body's network with the given parameters."""
    total = 0.0
    for sample in body["samples"]:
        h = sample["inputs"]
        for l, w in enumerate(weights):
            a = [sum(wj * hi for wj, hi in zip(row, h)) + (biases[l][j] if biases else 0.0) for j, row in enumerate(w)]
            h = [ACT[body["activation"]](x) for x in a]
        total += LOSS[body["loss"]](h, sample["targets"])
    return total / len(body["samples"]) if body.get("reduction", "mean") == "mean" else total


def random_batch(rng, reduction):
    layers = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    return {
        "layers": layers,
        "weights": [[[round(rng.uniform(-1, 1), 2) for _ in range(a)] for _ in range(b)]
                    for a, b in zip(layers, layers[1:])],
        "biases": [[round(rng.uniform(-0.5, 0.5), 2) for _ in range(b)] for b in layers[1:]],
        "activation": rng.choice(list(ACT)), "loss": rng.choice(list(LOSS)), "reduction": reduction,
        "samples": [{"inputs": [round(rng.uniform(-1, 1), 2) for _ in range(layers[0])],
                     "targets": [round(rng.uniform(0, 1), 2) for _ in range(layers[-1])]}
                    for _ in range(rng.randint(1, 6))],
    }


def trace_of(body):
    return expand_trace(build_trace(*parse_body(json.dumps(body).encode())))  # every step in full


def one_sample(body, n):
    out = {k: v for k, v in body.items() if k not in ("samples", "reduction")}
    return {**out, **body["samples"][n]}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_batch_gradient_is_the_reduced_sample_gradients_and_central_differences_of_E(seed, reduction):
    body = random_batch(random.Random(seed), reduction)
    trace = trace_of(body)
    count = len(body["samples"])
    scale = 1 / count if reduction == "mean" else 1.0
    singles = [trace_of(one_sample(body, n)) for n in range(count)]
    assert trace["loss"]["total"] == pytest.approx(reference_batch_loss(body, body["weights"], body["biases"]),
                                                   rel=1e-8, abs=1e-12)
    h = 1e-6
    for kind in ("weights", "biases"):
        for l, array in enumerate(body[kind]):
            for idx in ([(j, i) for j in range(len(array)) for i in range(len(array[0]))] if kind == "weights"
                        else [(j,) for j in range(len(array))]):
                got = trace["gradients"][kind][l]
                mean = sum(get(s["gradients"][kind][l], idx) for s in singles) * scale
                assert get(got, idx) == pytest.approx(mean, rel=1e-7, abs=1e-9)
                plus, minus = (reference_batch_loss(body, *nudged(body, kind, l, idx, d)) for d in (h, -h))
                assert get(got, idx) == pytest.approx((plus - minus) / (2 * h), rel=1e-4, abs=1e-7)
                central = get(trace["numeric_gradients"]["central"][kind][l], idx)
                assert central == pytest.approx((plus - minus) / (2 * h), rel=1e-4, abs=1e-7)


def get(array, idx):
    for i in idx:
        array = array[i]
    return array


def nudged(body, kind, l, idx, d):
    weights = json.loads(json.dumps(body["weights"]))
    biases = json.loads(json.dumps(body["biases"]))
    target = (weights if kind == "weights" else biases)[l]
    if kind == "weights":
        target[idx[0]][idx[1]] += d
    else:
        target[idx[0]] += d
    return weights, biases


def test_each_samples_record_is_its_own_one_sample_trace():
    body = random_batch(random.Random(99), "mean")
    body["samples"] = body["samples"] + [body["samples"][0]]
    trace = trace_of(body)
    assert len(trace["per_sample"]) == len(body["samples"])
    for n, record in enumerate(trace["per_sample"]):
        single = trace_of(one_sample(body, n))
        assert record["forward"]["activations"] == single["forward"]["activations"]
        assert record["forward"]["pre_activations"] == single["forward"]["pre_activations"]
        assert record["loss"]["per_output"] == single["loss"]["per_output"]
        assert record["loss"]["total"] == single["loss"]["total"]
        assert record["gradients"]["weights"] == single["gradients"]["weights"]
        assert record["gradients"]["biases"] == single["gradients"]["biases"]
    # Top level: sample 0's forward pass and loss terms, the batch's loss and gradient.
    assert trace["forward"] == trace["per_sample"][0]["forward"]
    assert trace["loss"]["per_output"] == trace["per_sample"][0]["loss"]["per_output"]
    assert trace["loss"]["reduction"] == "mean"


XOR = {"layers": [2, 2, 1], "weights": [[[0.5, -0.4], [0.3, 0.8]], [[0.7, -0.6]]], "biases": True,
       "activation": "sigmoid", "loss": "sse",
       "samples": [{"inputs": [0, 0], "targets": [0]}, {"inputs": [0, 1], "targets": [1]},
                   {"inputs": [1, 0], "targets": [1]}, {"inputs": [1, 1], "targets": [0]}]}


def test_phases_run_forward_loss_backward_per_sample_then_accumulate_check_update():
    trace = trace_of(XOR)
    phases = [s["phase"] for s in trace["steps"]]
    order = [p for n, p in enumerate(phases) if n == 0 or p != phases[n - 1]]
    assert order == ["forward", "loss", "backward", "accumulate", "check", "update"]
    for phase in ("forward", "backward"):
        samples = [s["sample"] for s in trace["steps"] if s["phase"] == phase]
        assert samples == sorted(samples) and set(samples) == {0, 1, 2, 3}
    assert all("sample" not in s for s in trace["steps"] if s["phase"] in ("accumulate", "check", "update"))
    ids = [s["id"] for s in trace["steps"]]
    assert len(ids) == len(set(ids))
    assert "s2-fwd-w1-0-0" in ids and "loss-batch" in ids and "acc-w2-0-0" in ids


def test_batch_loss_and_accumulate_steps_add_up_by_hand():
    trace = trace_of(XOR)
    steps = {s["id"]: s for s in trace["steps"]}
    batch = steps["loss-batch"]
    losses = [steps[f"s{n}-loss-total"]["value"] for n in range(4)]
    assert [f[1] for f in batch["factors"]] == losses and batch["samples"] == [0, 1, 2, 3]
    assert batch["value"] == pytest.approx(sum(losses) / 4, rel=1e-9)
    # One accumulate step per parameter (6 weights, 3 biases), its terms the samples' own gradients.
    accumulate = [s for s in trace["steps"] if s["phase"] == "accumulate"]
    assert len(accumulate) == 9
    w = steps["acc-w2-0-0"]
    own = [steps[f"s{n}-grad-w2-0-0"]["value"] for n in range(4)]
    assert [f[1] for f in w["factors"]] == own
    # The terms are rounded to 9 significant digits (about 1e-10 here) and partly cancel.
    assert w["value"] == pytest.approx(sum(own) / 4, abs=1e-9)
    assert w["value"] == pytest.approx(trace["gradients"]["weights"][1][0][0], rel=1e-8)


def test_the_update_and_the_check_use_the_batch_gradient():
    trace = trace_of({**XOR, "reduction": "sum", "learning_rate": 0.5})
    g = trace["gradients"]["weights"][0][1][0]
    assert trace["updated"]["weights"][0][1][0] == pytest.approx(0.3 - 0.5 * g, rel=1e-9)
    check = next(s for s in trace["steps"] if s["id"] == "check-n1-1")
    row = next(r for r in check["rows"] if r[0] == "w1-1-0")
    assert row[1] == pytest.approx(g, rel=1e-9) and row[4] < 1e-5
    assert check["args"]["E"] == trace["loss"]["total"]


def test_a_one_sample_request_is_answered_as_before():
    body = one_sample(XOR, 1)
    trace = trace_of(body)
    assert "per_sample" not in trace and "reduction" not in trace["loss"]
    assert all("sample" not in s and s["phase"] != "accumulate" for s in trace["steps"])
    assert "samples" not in trace["spec"]


def test_a_full_batch_of_a_2_4_4_2_network_stays_lean():
    rng = random.Random(5)
    body = {"layers": [2, 4, 4, 2], "weights": None, "seed": 3, "biases": True, "activation": "tanh",
            "samples": [{"inputs": [rng.uniform(-1, 1), rng.uniform(-1, 1)], "targets": [rng.random(), rng.random()]}
                        for _ in range(32)]}
    text = json.dumps(trace_of(body), separators=(",", ":"))
    assert len(text.encode()) < 2 * 1024 * 1024
