"""The graph drawn incrementally (stepping forward one step at a time, and for two networks back
again) is the graph a fresh page load at #step=k draws from scratch: the picture at step k depends
on (trace, k) only.

Covers a small preset, the worked example in quiz mode (its hidden values are an input of the
render), a preset in lecture mode, a seeded 3-4-2 network, a dense one (7 layers, neuron by
neuron) and the XOR mini-batch, where render() visits only what changed between two steps. Normalised: class token order only (it
depends on classList history and means nothing to CSS); reduced motion, so no pulse is in flight.
"""
import base64
import json

import pytest
from conftest import SERIALIZE_SVG
from playwright.sync_api import expect

from webapp.engine.expand import expand_trace

pytestmark = pytest.mark.e2e

SEEDED = {"layers": [3, 4, 2], "weights": None, "seed": 3, "biases": True, "activation": "tanh",
          "inputs": [0.5, -0.25, 0.9], "targets": [0.1, 0.3]}
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
    "seeded-3-4-2": (spec_hash(SEEDED), SEEDED),
    # A mini-batch: the graph shows one sample's values, so walking from one sample into the next
    # must leave nothing of the last one behind.
    "xor-batch": ("preset=xor-batch", None),
    "dense-7x3": (spec_hash(DENSE), DENSE),
}


WALK_JS = """({n, checkpoints, serialize, back}) => {
  const toHtml = eval(serialize);
  const graph = document.querySelector('[data-testid=graph]');
  const svg = () => graph.querySelector('svg');
  const press = (key) => document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
  document.activeElement && document.activeElement.blur();
  const seen = [];
  const visit = (how, k) => {
    const shown = Number(graph.dataset.stepIndex);
    if (checkpoints.includes(k)) seen.push([`${how} ${k}` + (shown === k ? '' : ` (the graph shows ${shown})`), k, toHtml(svg())]);
  };
  for (let k = 1; k <= n; k++) { if (k > 1) press('ArrowRight'); visit('forward to', k); }
  if (!back) return seen;
  for (let k = n; k >= 1; k--) { if (k < n) press('ArrowLeft'); visit('back to', k); }
  return seen;
}"""
# Stepping back draws each step by folding the steps up to it, as a fresh load does; it is walked
# where history is longest or switches between samples.
WALKED_BACK = {"dense-7x3", "xor-batch"}


def checkpoints(steps):
    """1-based steps: where each phase begins (entered from the phase before), the middle of the
    backward pass (deep in its history) and the last step."""
    phases = [s["phase"] for s in steps]
    starts = [k + 1 for k in range(len(phases)) if k == 0 or phases[k] != phases[k - 1]]
    backward = [k + 1 for k, phase in enumerate(phases) if phase == "backward"]
    return sorted(set(starts) | {backward[len(backward) // 2], len(phases)})


@pytest.mark.parametrize("name", list(NETWORKS))
def test_incremental_render_equals_full_render(new_page, live_server, api, presets, name):
    network, spec = NETWORKS[name]
    if spec is None or isinstance(spec, str):
        spec = {p["id"]: p["spec"] for p in presets["presets"]}[spec or name]
    response = api.post("/api/trace", json=spec)
    assert response.status_code == 200, response.get_data(as_text=True)
    steps = expand_trace(response.get_json())["steps"]  # every step in full, as the page reads it
    n = len(steps)
    page = new_page(reduced_motion="reduce")
    graph = page.get_by_test_id("graph")
    svg = graph.locator("svg").first

    def at(k):
        # Ready: every feature module wired and the link's mode applied (lecture mode lays out anew).
        expect(page.locator("body[data-ready=true]")).to_be_attached()
        expect(graph).to_have_attribute("data-step-index", str(k))
        expect(page.get_by_test_id("step-counter")).to_have_text(f"{k} / {n}")
        return svg.evaluate(SERIALIZE_SVG)

    ks = checkpoints(steps)
    full = {}
    for k in ks:
        page.goto("about:blank")
        page.goto(f"{live_server}/#{network}&step={k}")
        full[k] = at(k)

    page.goto("about:blank")
    page.goto(f"{live_server}/#{network}&step=1")
    at(1)
    # One evaluate steps through the whole trace with the arrow keys (the keydown handler renders
    # synchronously), forward (and back), and serialises the picture at each checkpoint.
    seen = page.evaluate(WALK_JS, {"n": n, "checkpoints": ks, "serialize": SERIALIZE_SVG, "back": name in WALKED_BACK})
    for how, k, html in seen:
        assert html == full[k], f"{name}: {how} differs from a fresh load at #step={k}:\n" + diff(full[k], html)


def diff(a, b, limit=40):
    import difflib
    lines = difflib.unified_diff(a.replace(">", ">\n").splitlines(), b.replace(">", ">\n").splitlines(),
                                 "full", "incremental", lineterm="", n=1)
    return "\n".join(line[:200] for line in list(lines)[:limit])
