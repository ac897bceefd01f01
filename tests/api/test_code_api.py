"""GET /api/code: the reference file, exactly, and a line map that covers every step of a trace."""
from pathlib import Path

import pytest

from webapp.engine.expand import expand_trace
from webapp.engine.templates import TEMPLATES
from webapp.presets import PRESETS

FILE = Path(__file__).resolve().parents[2] / "webapp" / "reference" / "train_step.py"
PHASES = {"forward", "loss", "backward", "accumulate", "check", "update"}
# A training iteration's momentum or Adam update: not in the reference (plain gradient descent),
# which the page shows through the update phase's lines.
OPTIMIZER_KINDS = {"update_momentum", "update_adam"}
TRAIN = {"network": {"layers": [2, 2, 1], "weights": None, "biases": True, "activation": "tanh", "loss": "mse"},
         "dataset": {"name": "xor"}, "batch_size": 2, "iterations": 3, "seed": 3}


@pytest.fixture
def code(client):
    response = client.get("/api/code")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def traces(client):
    """Traces with every kind of step: the presets edge by edge and neuron by neuron, a network
    with per-output steps (two outputs behind a hidden layer), and training iterations."""
    bodies = [p["spec"] for p in PRESETS] + [{**p["spec"], "granularity": "neuron"} for p in PRESETS]
    bodies += [{"layers": [2, 2, 2, 2], "seed": 1, "weights": None, "biases": True, "inputs": [1, 0],
                "targets": [0.5, 0.2]}]
    bodies += [{"train": {**TRAIN, "optimizer": {"name": name}}, "iteration": 1} for name in ("sgd", "momentum", "adam")]
    for body in bodies:
        response = client.post("/api/trace", json=body)
        assert response.status_code == 200, response.get_json()
        yield expand_trace(response.get_json())  # the full view: each step with its phase


def test_the_text_is_the_file(code):
    assert code["text"] == FILE.read_text(encoding="utf-8")
    assert code["path"] == "webapp/reference/train_step.py"
    assert "import webapp" not in code["text"] and "from webapp" not in code["text"]  # independent of the engine


def test_every_step_of_a_trace_has_lines(client, code):
    kinds, phases = code["lines"]["kinds"], code["lines"]["phases"]
    seen = set()
    for trace in traces(client):
        for step in trace["steps"]:
            seen.add(step["kind"])
            assert step["phase"] in phases, step["id"]
            assert step["kind"] in kinds or step["kind"] in OPTIMIZER_KINDS, step["id"]
    # The traces above did meet every kind the engine has, so the map was checked for each.
    assert seen == set(TEMPLATES) - {"back"}


def test_lines_lie_in_the_file_and_name_known_kinds(code):
    count = len(code["text"].splitlines())
    for table in ("kinds", "phases"):
        for name, lines in code["lines"][table].items():
            assert lines and lines == sorted(set(lines)), name
            assert 1 <= lines[0] and lines[-1] <= count, name
    assert set(code["lines"]["phases"]) == PHASES
    # A marker with a misspelt kind would highlight nothing: every one names a step kind of the engine.
    assert set(code["lines"]["kinds"]) <= set(TEMPLATES)


def test_a_step_kind_points_at_the_code_that_computes_it(code):
    """Spot checks by reading the file: the statement each kind names is the one that computes it."""
    text = code["text"].splitlines()
    lines = code["lines"]["kinds"]
    expected = {"node_sum": "products.sum(axis=1)", "node_activation": "hs.append(f(a, s))",
                "loss_term": "LOSSES[name][0](o, t)", "loss_grad": "LOSSES[loss_name][1](o, t)",
                "output_delta": "delta = dE_do * df", "hidden_sum": "W[l].T @ delta",
                "output_weight_grad": "np.outer(delta, hs[l])", "delta_shortcut": "delta = o - t",
                "update": "p - lr * g", "grad_check": "(E_plus - E_minus) / (2 * eps)"}
    for kind, snippet in expected.items():
        assert any(snippet in text[n - 1] for n in lines[kind]), kind
