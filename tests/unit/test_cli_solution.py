"""`backprop-explainer trace --format`: text, json (also --json), markdown and latex; the documents
are the API's for the same network."""
import base64
import json

import pytest

from webapp.cli import main
from webapp.engine.trace import SCHEMA_VERSION
from webapp.presets import PRESETS, WORKED_EXAMPLE


@pytest.mark.parametrize("format_", ["markdown", "latex"])
def test_trace_format_prints_the_apis_document(format_, capsys, client):
    assert main(["trace", "--format", format_]) == 0
    out = capsys.readouterr().out
    assert out == client.post(f"/api/solution?format={format_}", json=WORKED_EXAMPLE).data.decode()
    first = {"markdown": "# Worked solution: one training step of a 1-1-2 network", "latex": r"\documentclass{article}"}
    assert out.splitlines()[0] == first[format_]
    assert "-3.83999424" in out  # the reference's per-output check of w_11


def test_format_json_and_json_flag_agree(capsys):
    assert main(["trace", "--format", "json"]) == 0
    by_format = capsys.readouterr().out
    assert main(["trace", "--json"]) == 0
    assert capsys.readouterr().out == by_format and json.loads(by_format)["schema_version"] == SCHEMA_VERSION


def test_format_text_is_the_default(capsys):
    assert main(["trace", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert main(["trace"]) == 0
    assert capsys.readouterr().out == text and "== Backward pass ==" in text


def test_spec_file_with_format(tmp_path, capsys, client):
    body = next(p["spec"] for p in PRESETS if p["id"] == "softmax-2-3-3")
    path = tmp_path / "net.json"
    path.write_text(json.dumps(body))
    assert main(["trace", "--spec", str(path), "--format", "markdown"]) == 0
    spec = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
    assert capsys.readouterr().out == client.get(f"/api/solution?format=markdown&spec={spec}").data.decode()


def test_unknown_format_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["trace", "--format", "pdf"])
    assert exit_.value.code == 2 and "invalid choice: 'pdf'" in capsys.readouterr().err
