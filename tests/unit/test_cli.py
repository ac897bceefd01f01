"""The console script: trace as text, --json, --spec, errors exiting 2."""
import json

from webapp.cli import main
from webapp.engine import build_trace
from webapp.presets import WORKED_EXAMPLE
from webapp.spec import parse_body


def test_trace_prints_the_walkthrough(capsys):
    assert main(["trace"]) == 0
    out = capsys.readouterr().out
    # Symbols in Unicode: subscripts, superscripts, ∂ and δ (typed by hand from the worked example).
    for text in ["a₁ = w₁₁ x₁₁ = 1.5", "e₁ = (t₁ - o₁)² = (2 - 1.2)² = 0.64",
                 "∂e₁/∂w₂₁ = ∂e₁/∂o₁ · ∂o₁/∂a₂₁ · ∂a₂₁/∂w₂₁ = 2 · 0.8 · (-1) · 2 · 3 = -9.6",
                 "δ₁ = ∂eₜₒₜₐₗ/∂h₁ · ∂h₁/∂a₁ = (-0.8) · 2 = -1.6", "(-3.84) + (-0.96)", "-9.599964", "-3.83999424",
                 "w₂₁ | -9.6 | (0.7999904 - 0.8)/1e-06 = -9.599964 | -9.6 | 5.62624021e-12"]:
        assert text in out
    # No LaTeX left over: no underscores, braces or backslashes.
    assert not set("_{}\\") & set(out)
    assert "== Backward pass ==" in out


def test_trace_json_is_the_api_json(capsys, client):
    assert main(["trace", "--json"]) == 0
    out = capsys.readouterr().out
    api = client.post("/api/trace", json=WORKED_EXAMPLE).data.decode()
    assert out == api


def test_trace_spec_file(tmp_path, capsys):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"layers": [2, 1], "weights": [[[0.5, -0.5]]], "activation": "sigmoid",
                                "loss": "half_sse", "inputs": [1, 2], "targets": [1]}))
    assert main(["trace", "--spec", str(path), "--json"]) == 0
    trace = json.loads(capsys.readouterr().out)
    assert trace == build_trace(*parse_body(path.read_bytes()))


def test_bad_spec_exits_2_with_the_api_message(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"layers": [1, 1, 2], "weights": None, "inputs": [1], "targets": [1, 2]}))
    assert main(["trace", "--spec", str(path)]) == 2
    assert "weights" in capsys.readouterr().err


def test_missing_spec_file_exits_2(tmp_path, capsys):
    assert main(["trace", "--spec", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_trace_takes_a_mini_batch_and_names_each_samples_steps(tmp_path, capsys):
    body = {"layers": [2, 1], "weights": [[[1.0, -1.0]]], "activation": "linear", "loss": "half_sse",
            "samples": [{"inputs": [1, 0], "targets": [0]}, {"inputs": [0, 1], "targets": [0]}]}
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(body))
    assert main(["trace", "--spec", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(sample 1)" in out and "(sample 2)" in out and "== Batch gradient" in out
    # By hand: o = x1 - x2 is 1 and -1, E_n = o^2 / 2 = 0.5 each, E = their mean 0.5; dE/dw_111 is
    # the mean of o * x1: (1 * 1 + (-1) * 0) / 2 = 0.5 (w_111: layer 1, neuron 1, input 1).
    assert "Total loss 0.5;" in out
    assert "∂E/∂w₁₁₁ = 1/2(∂E₁/∂w₁₁₁ + ∂E₂/∂w₁₁₁) = 1/2(1 + 0) = 0.5" in out
