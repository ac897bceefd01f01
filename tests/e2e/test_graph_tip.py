"""Values the picture leaves off stay one hover or focus away: the graph's tip lists everything
known about an element so far. Expected numbers are the presets' own weights (their spec)."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def spec_of(presets, preset_id):
    return {p["id"]: p["spec"] for p in presets["presets"]}[preset_id]


def test_focusing_a_weight_field_shows_its_value_in_the_tip(calm_page, live_server, presets):
    # relu-3-4-2 has more weights than fit as resting labels: its first layer's are left off.
    spec = spec_of(presets, "relu-3-4-2")
    page = calm_page
    page.goto(f"{live_server}/#step=1&preset=relu-3-4-2")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    tip = page.get_by_test_id("graph-tip")
    expect(tip).to_be_hidden()
    field = page.get_by_test_id("weight-w1-1-0")
    field.scroll_into_view_if_needed()
    field.focus()
    expect(tip).to_be_visible()
    # weights[0][1][0]: into neuron 2 of layer 1 from input 1, the symbol w₁₂₁.
    expect(tip).to_contain_text("w₁₂₁")
    expect(tip).to_contain_text(str(spec["weights"][0][1][0]))
    field.blur()
    expect(tip).to_be_hidden()


def test_hovering_an_edge_lists_what_it_has_carried(calm_page, live_server):
    page = calm_page
    # Step 15 of the worked example: the gradient of w₂₁ (-9.6) has just been computed.
    page.goto(f"{live_server}/#step=15")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    page.locator('[data-edge-id="w2-0-0"] .edge-hit').hover(force=True)
    tip = page.get_by_test_id("graph-tip")
    expect(tip).to_be_visible()
    rows = tip.locator("tr")
    # the weight 0.2, the product w₂₁h₁ = 0.6 and the gradient -9.6, in the order they were reached
    expect(rows.nth(0)).to_contain_text("0.2")
    expect(rows.nth(1)).to_contain_text("0.6")
    expect(tip).to_contain_text("-9.6")
    # The tip stays inside the graph.
    box, graph = tip.bounding_box(), page.get_by_test_id("graph").bounding_box()
    assert box["x"] >= graph["x"] - 1 and box["x"] + box["width"] <= graph["x"] + graph["width"] + 1
