"""GET and POST /api/solution: the worked solution as Markdown or LaTeX; bad input is a 400 JSON
error naming the field (format, spec, or the network's own field as /api/trace names it)."""
import base64
import json
import re

import pytest

from webapp.presets import WORKED_EXAMPLE

TYPES = {"markdown": "text/markdown", "latex": "application/x-latex"}
FIRST = {"markdown": "# Worked solution: one training step of a 1-1-2 network", "latex": r"\documentclass{article}"}


def encoded(body, padding=False) -> str:
    text = base64.urlsafe_b64encode(json.dumps(body).encode()).decode()
    return text if padding else text.rstrip("=")


@pytest.mark.parametrize("format_", ["markdown", "latex"])
def test_post_and_get_give_the_same_document(client, format_):
    posted = client.post(f"/api/solution?format={format_}", json=WORKED_EXAMPLE)
    got = client.get(f"/api/solution?format={format_}&spec={encoded(WORKED_EXAMPLE)}")
    padded = client.get(f"/api/solution?format={format_}&spec={encoded(WORKED_EXAMPLE, padding=True)}")
    assert posted.status_code == got.status_code == padded.status_code == 200
    assert posted.mimetype == TYPES[format_] and posted.mimetype_params == {"charset": "utf-8"}
    assert posted.data == got.data == padded.data
    text = posted.data.decode()
    assert text.splitlines()[0] == FIRST[format_]
    for figure in ["1.5", "-9.599964", "-3.83999424", "-0.95999856", "0.98"]:  # the reference's (and its update)
        assert figure in text


def test_a_training_iterations_walkthrough_is_written_with_its_optimizer(client):
    body = {"train": {"network": {"layers": [2, 2, 1], "weights": None, "seed": 1, "activation": "sigmoid",
                                  "loss": "sse"},
                      "dataset": {"name": "xor"}, "iterations": 2, "batch_size": 4,
                      "optimizer": {"name": "momentum", "learning_rate": 0.5}},
            "iteration": 1}
    r = client.post("/api/solution?format=markdown", json=body)
    assert r.status_code == 200, r.get_json()
    text = r.data.decode()
    assert "mini-batch of 4 samples" in text
    update = text.split("## 7. The update")[1].split("## 8.")[0]
    assert "optimizer step, with learning rate $\\eta = 0.5$, momentum" in update
    assert len(re.findall(r"v_\{(w_\{\d+\})\}' = 0\.9 .*?\\\\ \1' = ", update)) == 6  # 2-2-1: six weights


@pytest.mark.parametrize("query, field", [
    ("format=pdf&spec={spec}", "format"),
    ("spec={spec}", "format"),
    ("format=markdown", "spec"),
    ("format=markdown&spec=", "spec"),
    ("format=latex&spec=bm90IGpzb24", "spec"),  # base64url of "not json"
    ("format=latex&spec=%C3%A9t%C3%A9", "spec"),  # not ASCII
    ("format=markdown&spec=" + "A" * 400_000, "spec"),  # larger than any body
    ("format=markdown&spec={bad_layers}", "layers"),  # the network's own field, as /api/trace names it
])
def test_get_errors_name_the_field(client, query, field):
    query = query.format(spec=encoded(WORKED_EXAMPLE), bad_layers=encoded({**WORKED_EXAMPLE, "layers": [1]}))
    r = client.get(f"/api/solution?{query}")
    assert r.status_code == 400 and r.mimetype == "application/json"
    assert r.get_json()["field"] == field, r.get_json()
    assert r.get_json()["error"]


@pytest.mark.parametrize("query, data, field", [
    ("format=html", json.dumps(WORKED_EXAMPLE), "format"),
    ("", json.dumps(WORKED_EXAMPLE), "format"),
    ("format=markdown", "{not json", "body"),
    ("format=latex", json.dumps({**WORKED_EXAMPLE, "inputs": ["x"]}), "inputs[0]"),
])
def test_post_errors_name_the_field(client, query, data, field):
    r = client.post(f"/api/solution?{query}", data=data, content_type="application/json")
    trace = client.post("/api/trace", data=data, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["field"] == field, r.get_json()
    if field != "format":  # the same error as the trace route's: one contract
        assert r.get_json() == trace.get_json()


def test_other_methods_are_refused_as_json(client):
    r = client.put("/api/solution?format=markdown", json=WORKED_EXAMPLE)
    assert r.status_code == 405 and r.get_json()["field"] == "request"
