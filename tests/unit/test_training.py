"""Training runs (issue 10, engine and API): each optimizer's first two iterations against the
formulas worked by hand, batches in order or shuffled, XOR learning, a divergent run stopping
cleanly, and bad requests named by field."""
import json
import math

import pytest

from webapp.engine.expand import expand_trace
from webapp.engine.training import batch_indices
from webapp.train_contract import parse_train

# One weight, no bias, linear: o = w x. With x = 1, t = 0 and half the squared error, E = w^2 / 2
# and dE/dw = w, so every update below can be worked by hand from w0 = 0.5.
TINY = {"network": {"layers": [1, 1], "weights": [[[0.5]]], "activation": "linear", "loss": "half_sse"},
        "dataset": {"samples": [{"inputs": [1], "targets": [0]}]}, "batch_size": 1}


def weights_after(client, optimizer, iterations):
    body = {**TINY, "optimizer": optimizer, "iterations": iterations}
    response = client.post("/api/train", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["final"]["weights"][0][0][0]


def test_sgd_by_hand(client):
    # w1 = 0.5 - 0.1 * 0.5 = 0.45; w2 = 0.45 - 0.1 * 0.45 = 0.405.
    assert weights_after(client, {"name": "sgd", "learning_rate": 0.1}, 1) == pytest.approx(0.45, abs=1e-9)
    assert weights_after(client, {"name": "sgd", "learning_rate": 0.1}, 2) == pytest.approx(0.405, abs=1e-9)


def test_momentum_by_hand(client):
    # v1 = 0.5, w1 = 0.45; v2 = 0.9 * 0.5 + 0.45 = 0.9, w2 = 0.45 - 0.1 * 0.9 = 0.36.
    optimizer = {"name": "momentum", "learning_rate": 0.1, "momentum": 0.9}
    assert weights_after(client, optimizer, 1) == pytest.approx(0.45, abs=1e-9)
    assert weights_after(client, optimizer, 2) == pytest.approx(0.36, abs=1e-9)


def test_adam_by_hand(client):
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    # t = 1: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25; m^ = 0.5, v^ = 0.25: w1 = 0.5 - 0.1 * 0.5 / (0.5 + eps).
    w1 = 0.5 - lr * 0.5 / (math.sqrt(0.25) + eps)
    # t = 2: g = w1; m = 0.9 * 0.05 + 0.1 * w1; v = 0.999 * 0.00025 + 0.001 * w1^2; corrected by 1 - b^2.
    m, v = b1 * 0.05 + (1 - b1) * w1, b2 * 0.00025 + (1 - b2) * w1 * w1
    w2 = w1 - lr * (m / (1 - b1 ** 2)) / (math.sqrt(v / (1 - b2 ** 2)) + eps)
    optimizer = {"name": "adam", "learning_rate": lr}
    assert weights_after(client, optimizer, 1) == pytest.approx(w1, abs=1e-8)
    assert weights_after(client, optimizer, 2) == pytest.approx(w2, abs=1e-8)
    assert w2 == pytest.approx(0.30119, abs=1e-4)  # the number worked out on paper


def test_the_history_records_each_iterations_batch_loss_before_its_update(client):
    body = {**TINY, "optimizer": {"name": "sgd", "learning_rate": 0.1}, "iterations": 3}
    history = client.post("/api/train", json=body).get_json()["history"]
    # E = w^2 / 2 with w = 0.5, 0.45, 0.405.
    assert history["loss"] == pytest.approx([0.125, 0.10125, 0.0820125], abs=1e-12)
    assert history["at"] == [0, 1, 2] and history["full_loss"] == pytest.approx(history["loss"], abs=1e-12)


def test_batches_go_in_order_and_wrap_around_or_are_shuffled_per_epoch():
    body = {"network": {"layers": [2, 1], "weights": None}, "dataset": {"name": "xor"}, "batch_size": 3,
            "iterations": 4}
    spec = parse_train(body)
    # Samples (k*b) mod N ... (k*b + b - 1) mod N, N = 4, b = 3.
    assert [list(batch_indices(spec, k)) for k in range(3)] == [[0, 1, 2], [3, 0, 1], [2, 3, 0]]
    shuffled = parse_train({**body, "shuffle": True, "seed": 5})
    first_epoch = [int(i) for k in range(4) for i in batch_indices(shuffled, k)][:4]
    assert sorted(first_epoch) == [0, 1, 2, 3]  # every sample once an epoch
    assert [list(batch_indices(shuffled, k)) for k in range(3)] == [list(batch_indices(shuffled, k)) for k in range(3)]


def test_xor_learns(client):
    body = {"network": {"layers": [2, 2, 1], "weights": None, "biases": True, "activation": "tanh", "loss": "mse"},
            "dataset": {"name": "xor"}, "optimizer": {"name": "adam", "learning_rate": 0.05}, "batch_size": 4,
            "iterations": 2000, "seed": 3}
    result = client.post("/api/train", json=body).get_json()
    assert result["history"]["full_loss"][-1] < 0.05
    assert result["history"]["accuracy"][-1] == 1.0
    assert result["diverged_at"] is None and len(result["snapshots"]) == 200


def test_a_divergent_run_stops_with_clean_json(client):
    body = {**TINY, "optimizer": {"name": "sgd", "learning_rate": 90}, "iterations": 500}
    response = client.post("/api/train", json=body)
    text = response.get_data(as_text=True)
    result = json.loads(text)  # strict JSON: NaN or Infinity would not parse back as numbers here
    assert "NaN" not in text and "Infinity" not in text
    # w is multiplied by (1 - 90) each iteration: w_k = 0.5 * (-89)^k, and w_k^2 passes the largest
    # double (1.8e308) when 89^(2k) / 4 does: k > (308.25 + 0.6) / (2 * log10(89)) = 79.2, so at k = 80.
    assert result["diverged_at"] == 80
    assert len(result["history"]["loss"]) == result["diverged_at"]


def test_ten_thousand_iterations_stay_under_a_megabyte(client):
    body = {"network": {"layers": [2, 8, 8, 1], "weights": None, "biases": True, "activation": "tanh"},
            "dataset": {"name": "spiral", "n": 50}, "batch_size": 10, "iterations": 10000}
    response = client.post("/api/train", json=body)
    assert response.status_code == 200 and len(response.data) < 1024 * 1024


@pytest.mark.parametrize("change, field", [
    ({"iterations": 10001}, "iterations"),
    ({"dataset": {"name": "nope"}}, "dataset.name"),
    ({"dataset": {"samples": [{"inputs": [1, 2], "targets": [0]}]}}, "dataset.samples[0].inputs"),
    ({"optimizer": {"name": "adam", "beta1": 1.0}}, "optimizer.beta1"),
    ({"optimizer": {"name": "rmsprop"}}, "optimizer.name"),
    ({"network": {"layers": [1, 1], "weights": [[[0.5, 1]]]}}, "network.weights[0][0]"),
    ({"batch_size": 0}, "batch_size"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_training_requests_name_the_field(client, change, field):
    response = client.post("/api/train", json={**TINY, **change})
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_the_cli_prints_the_loss_table(tmp_path, capsys):
    from webapp.cli import main
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [1, 1], "weights": [[[0.5]]], "activation": "linear", "loss": "half_sse",
                                "inputs": [1], "targets": [0]}))
    # A dataset of the right shape: sine has one input and one output.
    assert main(["train", "--spec", str(path), "--dataset", "sine", "--n", "4", "--iterations", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["iteration", "batch", "loss", "whole-set", "loss"]
    assert [line.split()[0] for line in lines[1:]] == ["0", "1", "2"]
    assert main(["train", "--spec", str(path), "--dataset", "xor"]) == 2  # two inputs, not one
    assert "dataset.name" in capsys.readouterr().err


TRAIN = {"network": {"layers": [2, 2, 1], "weights": None, "biases": True, "activation": "tanh", "loss": "mse"},
         "dataset": {"name": "xor"}, "optimizer": {"name": "sgd", "learning_rate": 0.3}, "batch_size": 2,
         "iterations": 50, "seed": 3}


@pytest.mark.parametrize("k", [0, 7, 49])
def test_an_iterations_walkthrough_is_its_replay(client, k):
    run = client.post("/api/train", json=TRAIN).get_json()
    trace = client.post("/api/trace", json={"train": TRAIN, "iteration": k}).get_json()
    assert trace["loss"]["total"] == pytest.approx(run["history"]["loss"][k], rel=1e-8)
    snapshot = next((s for s in run["snapshots"] if s["iteration"] == k), None)
    assert snapshot is not None  # 50 iterations: every one is a snapshot
    assert trace["spec"]["weights"] == snapshot["weights"] and trace["spec"]["biases"] == snapshot["biases"]
    # The walkthrough's update is the run's next step (sgd: w - lr g).
    following = next((s for s in run["snapshots"] if s["iteration"] == k + 1), None)
    if following:
        flat = lambda layers: [w for layer in layers for row in layer for w in row]  # noqa: E731
        assert flat(trace["updated"]["weights"]) == pytest.approx(flat(following["weights"]), rel=1e-7)
    # Batch k holds samples 2k mod 4 and 2k + 1 mod 4 (XOR's truth table, in order).
    xor = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [s["inputs"] for s in trace["spec"]["samples"]] == [xor[(2 * k) % 4], xor[(2 * k + 1) % 4]]


@pytest.mark.parametrize("body, field", [
    ({"train": TRAIN, "iteration": 50}, "iteration"),
    ({"train": TRAIN, "iteration": -1}, "iteration"),
    ({"train": {**TRAIN, "iterations": 0}, "iteration": 0}, "train.iterations"),
    ({"train": {**TRAIN, "optimizer": {"name": "nesterov"}}, "iteration": 0}, "train.optimizer.name"),
    ({"train": {**TRAIN, "batch_size": 40, "dataset": {"name": "circle", "n": 40}}, "iteration": 0},
     "train.batch_size"),
    ({"train": TRAIN, "iteration": 0, "extra": 1}, "extra"),
])
def test_bad_iteration_requests_name_the_field(client, body, field):
    response = client.post("/api/trace", json=body)
    assert response.status_code == 400 and response.get_json()["field"] == field


@pytest.mark.parametrize("optimizer", [{"name": "momentum", "learning_rate": 0.2, "momentum": 0.9},
                                       {"name": "adam", "learning_rate": 0.05}])
def test_a_momentum_or_adam_iteration_writes_out_its_state(client, optimizer):
    body = {**TRAIN, "optimizer": optimizer, "iterations": 6}
    run = client.post("/api/train", json=body).get_json()
    trace = expand_trace(client.post("/api/trace", json={"train": body, "iteration": 3}).get_json())
    updates = [s for s in trace["steps"] if s["phase"] == "update"]
    assert updates and all(s["kind"] == f"update_{optimizer['name']}" for s in updates)
    # The walkthrough's new weights are the run's at iteration 4.
    after = next(s for s in run["snapshots"] if s["iteration"] == 4)
    flat = lambda layers: [w for layer in layers for row in layer for w in row]  # noqa: E731
    assert flat(trace["updated"]["weights"]) == pytest.approx(flat(after["weights"]), rel=1e-7)
    row = updates[0]["rows"][0]
    if optimizer["name"] == "momentum":
        _, old, g, v_before, v_after, new = row
        assert v_after == pytest.approx(0.9 * v_before + g, rel=1e-8, abs=1e-12)  # v' = mu v + g, by hand
        assert new == pytest.approx(old - 0.2 * v_after, rel=1e-8, abs=1e-12)
    else:
        _, old, g, m_before, v_before, m_after, v_after, m_hat, v_hat, new = row
        assert m_after == pytest.approx(0.9 * m_before + 0.1 * g, rel=1e-7, abs=1e-12)
        assert v_after == pytest.approx(0.999 * v_before + 0.001 * g * g, rel=1e-7, abs=1e-15)
        t = 4  # iteration 3 is Adam's fourth step
        assert m_hat == pytest.approx(m_after / (1 - 0.9 ** t), rel=1e-7)
        assert new == pytest.approx(old - 0.05 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-7, abs=1e-12)
