"""`backprop-explainer datasets`: the list as text, one dataset's samples as the API's, errors exiting 2."""
import json

import pytest

from webapp.cli import main


def test_datasets_lists_every_dataset(capsys):
    assert main(["datasets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # By hand: id, title, inputs → outputs, kind, in the API's order.
    rows = [line.split() for line in lines[1:9]]
    assert [(row[0], row[-1]) for row in rows] == [
        ("xor", "logic"), ("and", "logic"), ("or", "logic"), ("circle", "classification"), ("gauss", "classification"),
        ("xor2d", "classification"), ("spiral", "classification"), ("sine", "regression")]
    assert "2 → 1 (one-hot: 2)" in lines[1] and "Two Gaussians" in lines[5]
    assert "1 → 1" in lines[8] and "one-hot" not in lines[8]
    assert lines[0].split()[:2] == ["id", "title"]
    assert "backprop-explainer datasets ID" in lines[-1]


def test_samples_are_the_apis_samples(capsys, client):
    assert main(["datasets", "spiral", "--n", "30", "--seed", "5", "--noise", "0.2", "--one-hot"]) == 0
    out = capsys.readouterr().out
    api = client.get("/api/datasets/spiral?n=30&seed=5&noise=0.2&one_hot=true").get_json()
    assert out == json.dumps(api["samples"], separators=(",", ":")) + "\n"


def test_xor_samples(capsys):
    assert main(["datasets", "xor"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"inputs": [0, 0], "targets": [0]}, {"inputs": [0, 1], "targets": [1]},
        {"inputs": [1, 0], "targets": [1]}, {"inputs": [1, 1], "targets": [0]}]


@pytest.mark.parametrize("argv, field", [
    (["nope"], "id"), (["circle", "--n", "501"], "n"), (["circle", "--n", "x"], "n"),
    (["circle", "--noise", "-0.1"], "noise"), (["circle", "--seed", "-1"], "seed"), (["xor", "--noise", "2"], "noise"),
])
def test_bad_options_exit_2_with_the_api_message(capsys, argv, field):
    assert main(["datasets", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"error: {field}: {field if field != 'id' else 'no dataset'}")


def test_help_shows_the_limits(capsys):
    with pytest.raises(SystemExit):
        main(["datasets", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "from 1 to 500, default 100" in out and "from 0 to 1, default 0" in out and "50 %" in out
