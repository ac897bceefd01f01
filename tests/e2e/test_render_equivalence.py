"""The graph drawn incrementally (stepping forward one step at a time, then back) is the graph a
fresh page load at #step=k draws from scratch: the picture at step k depends on (trace, k) only.

Covers a small preset, the worked example in quiz mode (its hidden values are an input of the
render), a preset in lecture mode, a seeded 6-6-6 network and a dense one (7 layers, neuron by
neuron), where render() visits only what changed between two steps. Normalised: class token order only (it
depends on classList history and means nothing to CSS); reduced motion, so no pulse is in flight.
"""
import base64
import json

import pytest
from conftest import SERIALIZE_SVG
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SEEDED = {"layers": [6, 6, 6], "weights": None, "seed": 3, "biases": True, "activation": "tanh",
          "inputs": [0.5, -0.25, 0.1, 0.9, -0.6, 0.3], "targets": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}
DENSE = {"layers": [3] * 7, "weights": None, "seed": 5, "biases": True, "activation": "tanh",
         "inputs": [0.5, -0.25, 0.1], "targets": [0.1, 0.2, 0.3], "granularity": "neuron"}


def spec_hash(spec):
    text = base64.urlsafe_b64encode(json.dumps(spec, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"spec={text}"


NETWORKS = {
    "sigmoid-2-2-2": ("preset=sigmoid-2-2-2", None),
    # Quiz mode: an unanswered backward step shows "?" for its values, drawn by the same render.
    "worked-example-quiz": ("preset=worked-example&mode=quiz", "worked-example"),
    "relu-3-4-2-lecture": ("preset=relu-3-4-2&mode=lecture", "relu-3-4-2"),
    "seeded-6-6-6": (spec_hash(SEEDED), SEEDED),
    "dense-7x3": (spec_hash(DENSE), DENSE),
}


def checkpoints(n):
    """A spread of steps over every phase, first and last included."""
    return sorted({1, 2, 3, n // 5, n // 3, n // 2, (2 * n) // 3, (4 * n) // 5, n - 2, n - 1, n} - {0})


@pytest.mark.parametrize("name", list(NETWORKS))
def test_incremental_render_equals_full_render(new_page, live_server, api, presets, name):
    network, spec = NETWORKS[name]
    if spec is None or isinstance(spec, str):
        spec = {p["id"]: p["spec"] for p in presets["presets"]}[spec or name]
    response = api.post("/api/trace", json=spec)
    assert response.status_code == 200, response.get_data(as_text=True)
    n = len(response.get_json()["steps"])
    page = new_page(reduced_motion="reduce")
    graph = page.get_by_test_id("graph")
    svg = graph.locator("svg").first

    def at(k):
        expect(graph).to_have_attribute("data-step-index", str(k))
        expect(page.get_by_test_id("step-counter")).to_have_text(f"{k} / {n}")
        return svg.evaluate(SERIALIZE_SVG)

    ks = checkpoints(n)
    full = {}
    for k in ks:
        page.goto("about:blank")
        page.goto(f"{live_server}/#{network}&step={k}")
        full[k] = at(k)

    page.goto("about:blank")
    page.goto(f"{live_server}/#{network}&step=1")
    at(1)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = []
    for k in range(1, n + 1):
        if k > 1:
            page.keyboard.press("ArrowRight")
        if k in full:
            seen.append((f"forward to {k}", k, at(k)))
    for k in range(n, 0, -1):
        if k < n:
            page.keyboard.press("ArrowLeft")
        if k in full:
            seen.append((f"back to {k}", k, at(k)))
    for how, k, html in seen:
        assert html == full[k], f"{name}: {how} differs from a fresh load at #step={k}:\n" + diff(full[k], html)


def diff(a, b, limit=40):
    import difflib
    lines = difflib.unified_diff(a.replace(">", ">\n").splitlines(), b.replace(">", ">\n").splitlines(),
                                 "full", "incremental", lineterm="", n=1)
    return "\n".join(line[:200] for line in list(lines)[:limit])
