"""The matrix view (`matrix-view`): the current step for its layer as matrices whose entries are
the trace's numbers, the step's entries marked, linked both ways with the graph, reachable by
keyboard, large in lecture mode and clean under axe (normal mode: the suite's time is tight, and
lecture mode's colours are the page's own, scanned by test_accessibility). One page load per test. With
UPDATE_SCREENSHOTS=1 the backward step is saved as the README's static/screenshots/matrix-view.png."""
import os
import re
from pathlib import Path

import pytest
from conftest import SERIALIZE_SVG
from playwright.sync_api import expect

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.e2e

PRESET = "relu-3-4-2"
PANEL = '[data-testid="matrix-panel"]'
HOVERED = re.compile(r"(^|\s)hover(\s|$)")
# What the page prints for a number (C's "%.9g", "-0" as "0"): the trace is rounded to that already.
shown = lambda x: "0" if x == 0 else f"{x:.9g}"  # noqa: E731


@pytest.fixture(scope="module")
def relu_trace(api, presets):
    spec = next(p["spec"] for p in presets["presets"] if p["id"] == PRESET)
    return api.post("/api/trace", json=spec).get_json()


def open_view(page, live_server, trace, step_id):
    k = [s["id"] for s in trace["steps"]].index(step_id) + 1
    page.goto(f"{live_server}/#preset={PRESET}&step={k}")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    toggle = page.get_by_test_id("matrix-view")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(PANEL)).to_have_attribute("data-step-id", step_id)


def seek(page, trace, step_id):
    k = [s["id"] for s in trace["steps"]].index(step_id) + 1
    page.get_by_test_id("scrubber").fill(str(k))
    expect(page.locator(PANEL)).to_have_attribute("data-step-id", step_id)


def grid_texts(page, name):
    """The displayed numbers of the first block called `name`, row by row."""
    rows = page.locator(f'{PANEL} [data-name="{name}"]').first.locator("tr")
    return [row.locator("td").all_text_contents() for row in rows.all()]


def column(values):
    return [[shown(v)] for v in values]


def matrix(values):
    return [[shown(v) for v in row] for row in values]


# A point of the edge's line that no label covers, in page coordinates.
FREE_POINT_OF_EDGE = """id => {
    const line = document.querySelector(`[data-edge-id="${id}"] .edge-hit`);
    const m = line.getScreenCTM();
    for (let i = 1; i < 20; i++) {
        const p = line.getPointAtLength(line.getTotalLength() * i / 20).matrixTransform(m);
        if (document.elementFromPoint(p.x, p.y)?.closest("[data-edge-id]")?.dataset.edgeId === id) return [p.x, p.y];
    }
    return null;
}"""


def hover_edge(page, edge_id):
    point = page.evaluate(FREE_POINT_OF_EDGE, edge_id)
    assert point, f"every point of {edge_id} is covered"
    page.mouse.move(*point)


def save_screenshot(page, name):
    """The README's screenshot, once the graph has settled (two reads 100 ms apart agree)."""
    svg = page.get_by_test_id("graph").locator("svg").first
    previous = None
    for _ in range(50):
        current = svg.evaluate(SERIALIZE_SVG)
        if current == previous:
            break
        previous = current
        page.wait_for_timeout(100)
    page.screenshot(path=str(Path(__file__).resolve().parents[2] / "static" / "screenshots" / f"{name}.png"))


def axe_violations(page):
    results = axe_sync.Axe().run(page, context=PANEL)
    return [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}" for v in results.response["violations"]]


def test_matrix_view_steps_links_and_keys(calm_page, live_server, relu_trace):
    page, t = calm_page, relu_trace
    # Forward: a = W x + b while w112 multiplies x12.
    open_view(page, live_server, t, "fwd-w1-0-1")
    panel = page.locator(PANEL)
    expect(panel).to_have_attribute("data-equation", "sum")
    assert grid_texts(page, "a") == column(t["forward"]["pre_activations"][0])
    assert grid_texts(page, "W") == matrix(t["spec"]["weights"][0])
    assert grid_texts(page, "h_in") == column(t["forward"]["activations"][0])
    assert grid_texts(page, "b") == column(t["spec"]["biases"][0])
    expect(panel.locator('[data-name="W"] td[data-for="w1-0-1"]')).to_have_class(re.compile(r"(^|\s)is-current(\s|$)"))
    expect(panel.locator('[data-name="W"] td.is-current')).to_have_count(1)

    # Backward: delta_1 = (W2^T delta_2) (.) f'(a_1) at h1's error signal.
    seek(page, t, "delta-n1-0")
    expect(panel).to_have_attribute("data-equation", "hidden_delta")
    assert grid_texts(page, "upstream") == column(t["gradients"]["upstream"][0])
    assert grid_texts(page, "W_next_T") == matrix(list(zip(*t["spec"]["weights"][1])))
    assert grid_texts(page, "delta_next") == column(t["gradients"]["deltas"][1])
    assert grid_texts(page, "fprime") == column(t["forward"]["derivatives"][0])
    assert grid_texts(page, "delta") == column(t["gradients"]["deltas"][0])
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        save_screenshot(page, "matrix-view")

    # Update: W2' = W2 - eta dE/dW2 for o2's row.
    seek(page, t, "update-n2-1")
    expect(panel).to_have_attribute("data-equation", "update")
    assert grid_texts(page, "W_new") == matrix(t["updated"]["weights"][1])
    assert grid_texts(page, "grad_W") == matrix(t["gradients"]["weights"][1])
    expect(panel.locator('[data-name="W_new"] td.is-current')).to_have_count(4)

    # An entry lights its edge, and the edge its entries.
    entry = panel.locator('[data-name="W_new"] td[data-for="w2-1-2"]')
    entry.hover()
    expect(page.locator('[data-edge-id="w2-1-2"]')).to_have_class(HOVERED)
    hover_edge(page, "w2-0-3")
    expect(panel.locator('td[data-for="w2-0-3"].is-lit')).to_have_count(3)  # W', W and dE/dW
    expect(panel.locator("td.is-lit")).to_have_count(3)
    # The keyboard's way to an edge, its weight's field in the editor, lights the entries too.
    page.mouse.move(0, 0)
    page.get_by_test_id("weight-w2-1-0").focus()
    expect(panel.locator('td[data-for="w2-1-0"].is-lit')).to_have_count(3)
    page.get_by_test_id("weight-w2-1-0").blur()
    expect(panel.locator("td.is-lit")).to_have_count(0)

    # Keyboard: one tab stop per grid, arrows move inside it (not through the walkthrough), and
    # focus lights the edge as hovering does.
    first = panel.locator('[data-name="W_new"] td[data-row="0"][data-col="0"]')
    first.focus()
    w211 = next(e for e in t["graph"]["edges"] if e["id"] == "w2-0-0")
    expect(first).to_have_attribute("aria-label", f"w₂₁₁′ = {shown(t['updated']['weights'][1][0][0])}")
    assert w211["symbol"] == "w_{211}"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    focused = panel.locator('[data-name="W_new"] td[data-row="1"][data-col="1"]')
    expect(focused).to_be_focused()
    expect(focused).to_have_attribute("tabindex", "0")
    expect(page.locator('[data-edge-id="w2-1-1"]')).to_have_class(HOVERED)
    page.keyboard.press("End")  # the row's end, as in any grid (not the walkthrough's last step)
    expect(panel.locator('[data-name="W_new"] td[data-row="1"][data-col="3"]')).to_be_focused()
    expect(page.locator(PANEL)).to_have_attribute("data-step-id", "update-n2-1")
    assert axe_violations(page) == []


def test_matrix_view_in_lecture_mode_is_large(new_page, live_server, relu_trace):
    page = new_page(viewport={"width": 1920, "height": 1080}, reduced_motion="reduce")
    open_view(page, live_server, relu_trace, "dedh-n1-0")
    page.get_by_test_id("lecture-toggle").click()
    expect(page.locator("body")).to_have_attribute("data-mode", "lecture")
    sizes = page.locator(f"{PANEL} td").evaluate_all(
        "cells => cells.map((c) => parseFloat(getComputedStyle(c).fontSize))")
    assert sizes and min(sizes) >= 24, sizes
    # The view sits beside the graph, both inside the graph's card, neither covering the other.
    card = page.locator(PANEL).bounding_box()
    graph = page.get_by_test_id("graph").bounding_box()
    assert graph["x"] + graph["width"] <= card["x"] + 1
    assert graph["width"] > 600 and card["width"] > 600
