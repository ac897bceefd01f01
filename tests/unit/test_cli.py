"""The console script: trace as text, --json, --spec, errors exiting 2."""
import json

from webapp.api import trace_from_body
from webapp.cli import main
from webapp.presets import WORKED_EXAMPLE


def test_trace_prints_the_walkthrough(capsys):
    assert main(["trace"]) == 0
    out = capsys.readouterr().out
    for text in ["a_1 = w_11 x_11 = 1.5", "e_1 = (t_1 - o_1)^2 = (2 - 1.2)^2 = 0.64",
                 "2 · 0.8 · (-1) · 2 · 3 = -9.6", "(-3.84) + (-0.96)", "-9.599964", "-3.83999424"]:
        assert text in out
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
    assert trace == trace_from_body(path.read_bytes())


def test_bad_spec_exits_2_with_the_api_message(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"layers": [1, 1, 2], "weights": None, "inputs": [1], "targets": [1, 2]}))
    assert main(["trace", "--spec", str(path)]) == 2
    assert "weights" in capsys.readouterr().err


def test_missing_spec_file_exits_2(tmp_path, capsys):
    assert main(["trace", "--spec", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
