"""A dense graph draws its resting weight edges as one combined path per look (restingedges.js):
every edge the current step touches keeps its own [data-edge-id] group, every other edge is one
segment of a combined path, drawn once, in the look its history gives it; hovering a resting
edge still finds it. Expected sets come from the trace (which edges a step names), not the page."""
import base64
import json
import re

import pytest
from playwright.sync_api import expect

from webapp.engine.expand import expand_trace

pytestmark = pytest.mark.e2e

# The 10x16 network: 2,400 weight edges.
DENSE = {"layers": [16] * 10, "weights": None, "seed": 1, "biases": True, "activation": "tanh",
         "inputs": [0.1] * 16, "targets": [0.2] * 16}
WEIGHT_EDGES = 9 * 16 * 16

# What the edges layer holds: own groups by id and where they sit, and each combined path's look
# and segment count (one "M" per edge).
EDGES_JS = """() => {
  const svg = document.querySelector('[data-testid=graph] svg');
  const segments = (d) => (d || '').split('M').length - 1;
  const looks = {};
  for (const g of svg.querySelectorAll('.edge-bundle')) looks[g.dataset.look] = segments(g.querySelector('.edge-line').getAttribute('d'));
  return {
    own: [...svg.querySelectorAll('.touched-edges > [data-edge-id]')].map((g) => g.dataset.edgeId),
    all: [...svg.querySelectorAll('[data-edge-id]')].map((g) => g.dataset.edgeId),
    looks,
    hit: segments(svg.querySelector('[data-testid=resting-edge-hit]').getAttribute('d')),
  };
}"""


@pytest.fixture(scope="module")
def dense_trace(api):
    response = api.post("/api/trace", json=DENSE)
    assert response.status_code == 200, response.get_data(as_text=True)
    return expand_trace(response.get_json())  # the full view the page draws from


def open_dense(new_page, live_server, step):
    page = new_page(reduced_motion="reduce", viewport={"width": 1600, "height": 900})
    spec = base64.urlsafe_b64encode(json.dumps(DENSE, separators=(",", ":")).encode()).decode().rstrip("=")
    page.goto(f"{live_server}/#spec={spec}&step={step}")
    # A 2 MB trace and a graph of 2,400 edges: slower than a preset on a shared machine.
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=30_000)
    expect(page.get_by_test_id("graph")).to_have_attribute("data-step-index", str(step), timeout=30_000)
    return page


def named_edges(step, trace):
    """The weight edges a step names: its elements and its rows' first entries."""
    weights = {e["id"] for e in trace["graph"]["edges"]}
    return ({*step["elements"], *(row[0] for row in step.get("rows") or [])}) & weights


def test_a_backward_step_keeps_its_edges_and_draws_the_rest_combined(new_page, live_server, dense_trace):
    steps = dense_trace["steps"]
    k = next(i for i, s in enumerate(steps) if s["kind"] == "weight_grads") + 1
    named = named_edges(steps[k - 1], dense_trace)
    assert len(named) == 16  # the output neuron's incoming edges, each with its gradient
    page = open_dense(new_page, live_server, k)
    drawn = page.evaluate(EDGES_JS)
    own = set(drawn["own"])
    assert named <= own, f"edges the step names without their own group: {sorted(named - own)[:5]}"
    assert len(drawn["own"]) == len(own), "an edge drawn twice"
    # Every other weight edge is one segment of a combined path, and of the hit path.
    resting = WEIGHT_EDGES - len(own)
    assert sum(drawn["looks"].values()) == resting
    assert drawn["hit"] == resting
    # After the forward pass every edge has carried its value: no resting edge looks plain.
    assert all("carried" in look for look, n in drawn["looks"].items() if n), drawn["looks"]
    # The loss edges (16, into the loss nodes) keep their groups too; no id appears twice.
    assert len(drawn["all"]) == len(set(drawn["all"])) == len(own) + len(dense_trace["graph"]["loss_edges"])


def test_the_first_step_draws_its_sum_edges_and_leaves_the_rest_plain(new_page, live_server, dense_trace):
    step = dense_trace["steps"][0]
    named = named_edges(step, dense_trace) | {e["id"] for e in dense_trace["graph"]["edges"] if e["to"] == step["elements"][0]}
    assert len(named) == 16
    page = open_dense(new_page, live_server, 1)
    drawn = page.evaluate(EDGES_JS)
    assert set(drawn["own"]) == named
    assert drawn["looks"]["plain"] == WEIGHT_EDGES - 16
    assert sum(drawn["looks"].values()) == WEIGHT_EDGES - 16


# Layout coordinates of resting segment n (the hit path lists them in edge order) -> a point on the
# screen a third of the way along it, with what the page has at that point.
POINT_JS = """(n) => {
  const svg = document.querySelector('[data-testid=graph] svg');
  const hit = svg.querySelector('[data-testid=resting-edge-hit]');
  const seg = hit.getAttribute('d').split('M').filter(Boolean)[n].split('L').map((p) => p.trim().split(' ').map(Number));
  const [[x1, y1], [x2, y2]] = seg;
  const p = new DOMPoint(x1 + (x2 - x1) / 3, y1 + (y2 - y1) / 3).matrixTransform(svg.getScreenCTM());
  return { x: p.x, y: p.y, over: document.elementFromPoint(p.x, p.y) === hit };
}"""


def test_hovering_a_resting_edge_gives_it_its_own_group_and_the_tip(new_page, live_server, dense_trace):
    steps = dense_trace["steps"]
    k = next(i for i, s in enumerate(steps) if s["kind"] == "weight_grads") + 1
    page = open_dense(new_page, live_server, k)
    own = set(page.evaluate(EDGES_JS)["own"])
    resting = [e["id"] for e in dense_trace["graph"]["edges"] if e["id"] not in own]
    # The first resting edge whose point is not under a node or a label.
    n, point = next((n, p) for n in range(0, 400, 7) if (p := page.evaluate(POINT_JS, n))["over"])
    edge = resting[n]
    page.mouse.move(point["x"], point["y"])
    group = page.locator(f'.touched-edges > [data-edge-id="{edge}"]')
    expect(group).to_have_class(re.compile(r"\bhover\b"))
    expect(page.get_by_test_id("graph-tip")).to_be_visible()
    drawn = page.evaluate(EDGES_JS)
    assert drawn["hit"] == len(resting) - 1
    # Away from every edge: the edge rests again, combined.
    page.mouse.move(2, 2)
    expect(group).to_have_count(0)
    expect(page.get_by_test_id("graph-tip")).to_be_hidden()
    assert page.evaluate(EDGES_JS)["hit"] == len(resting)


def test_focusing_a_resting_edges_weight_field_gives_it_its_group_and_the_tip(new_page, live_server, dense_trace):
    steps = dense_trace["steps"]
    k = next(i for i, s in enumerate(steps) if s["kind"] == "weight_grads") + 1
    page = open_dense(new_page, live_server, k)
    edge = "w1-0-0"  # into layer 1: the step (the last layer's gradients) leaves it resting
    assert edge not in page.evaluate(EDGES_JS)["own"]
    page.evaluate("document.querySelector('details.weight-layer').open = true")
    field = page.get_by_test_id(f"weight-{edge}")
    field.scroll_into_view_if_needed()
    field.focus()
    group = page.locator(f'.touched-edges > [data-edge-id="{edge}"]')
    expect(group).to_have_class(re.compile(r"\bhover\b"))
    expect(page.get_by_test_id("graph-tip")).to_be_visible()
    field.blur()
    expect(group).to_have_count(0)
