"""Lecture mode at 1920x1080: toggled by its button and by L; type sizes and WCAG contrast measured
from computed styles; the editor and tables hidden; B / "." blank the screen; F asks for fullscreen.

The lecture-mode screenshots are taken in test_screenshots.py."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1920, "height": 1080}
MIN_PX = 28
# The graph's values: 30 px for the current step, 28 at rest, and never under the floor of 24 px
# that placing a crowded step may shrink them to (layout.js TYPE).
GRAPH_MIN_PX = 24
MIN_CONTRAST = 7
# A forward, a loss, two backward, a check and an update step of the worked example.
STEPS = ["fwd-w2-0-0", "loss-total", "grad-w2-0-0", "grad-w1-0-0", "check-n1-0", "update-n1-0"]

# Every rendered piece of text on the page: its colour composited over the first opaque background
# behind it (walking up the ancestors), ancestors' opacity included; SVG text is painted by `fill`.
CONTRAST_JS = """() => {
  const parse = (c) => {
    const m = String(c).match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let base = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) base = over(layer, base);
    return base;
  };
  const opacity = (el) => {
    let o = 1;
    for (let node = el; node; node = node.parentElement) o *= parseFloat(getComputedStyle(node).opacity);
    return o;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el || el.closest("title, option, script, style, .sr-only")) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) continue;
    const style = getComputedStyle(el);
    const svg = el instanceof SVGElement;
    const paint = parse(svg ? style.fill : style.color);
    if (!paint) continue;
    const bg = background(el);
    const fg = over({ ...paint, a: paint.a * opacity(el) }, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({ text: t.textContent.trim().slice(0, 40), tag: el.tagName, cls: String(el.getAttribute("class") || ""),
      ratio: (hi + 0.05) / (lo + 0.05) });
  }
  return out;
}"""

# Effective CSS px of a value on the graph: its font size times the SVG's scale on screen.
GRAPH_VALUES_JS = """() => [...document.querySelectorAll('[data-testid="graph"] .stack-line .val')]
  .filter((el) => el.checkVisibility({ checkVisibilityCSS: true }) && el.getBBox().width > 0)
  .map((el) => ({ text: el.textContent, current: !!el.closest(".current, .active"), forId: el.getAttribute("data-for"),
    px: parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a }))"""

# The formula's numbers and the math itself (sub- and superscripts are smaller by design).
FORMULA_JS = """() => {
  const root = document.querySelector('[data-testid="formula"]');
  const maths = [...root.querySelectorAll("math")].filter((m) => m.checkVisibility()).map((m) => parseFloat(getComputedStyle(m).fontSize));
  const numbers = [...root.querySelectorAll("mn")]
    .filter((mn) => mn.checkVisibility() && !mn.closest("msub, msup, msubsup, munder, mover, munderover"))
    .map((mn) => ({ text: mn.textContent, px: parseFloat(getComputedStyle(mn).fontSize) }));
  return { maths, numbers };
}"""


@pytest.fixture
def projector(new_page, live_server, worked_trace, explainer):
    """The explainer on a 1920x1080 screen, reduced motion, with page errors collected."""
    page = new_page(viewport=PROJECTOR, reduced_motion="reduce")
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    return type(explainer)(page, live_server, worked_trace)


def enter_lecture(ui):
    ui.blur()
    ui.press("l")
    expect(ui.page.locator("body")).to_have_attribute("data-mode", "lecture")
    # The graph is redrawn with projector sizes once the layout has settled.
    expect(ui.graph.locator("svg.lecture")).to_be_attached()
    ui.settled_svg()


def test_toggle_by_button_and_by_key(projector):
    ui = projector.open(step=4)
    page, body, button = ui.page, ui.page.locator("body"), ui.page.get_by_test_id("lecture-toggle")
    expect(body).to_have_attribute("data-mode", "normal")
    button.click()
    expect(body).to_have_attribute("data-mode", "lecture")
    expect(button).to_have_attribute("aria-pressed", "true")
    button.click()
    expect(body).to_have_attribute("data-mode", "normal")
    expect(button).to_have_attribute("aria-pressed", "false")
    ui.blur()
    ui.press("l")
    expect(body).to_have_attribute("data-mode", "lecture")
    ui.press("l")
    expect(body).to_have_attribute("data-mode", "normal")
    ui.expect_step(4)  # toggling never moves the walkthrough
    assert page.errors == []


def test_editor_and_tables_hidden_graph_narration_formula_and_controls_shown(projector):
    ui = projector.open(step=projector.step_of("grad-w1-0-0"))
    enter_lecture(ui)
    page = ui.page
    for testid in ["editor", "values", "check-table"]:
        expect(page.get_by_test_id(testid)).to_be_hidden()
    for testid in ["graph", "narration", "formula", "play", "next", "prev", "scrubber", "step-counter", "lecture-toggle"]:
        expect(page.get_by_test_id(testid)).to_be_visible()
    # The graph fills the screen: most of its width, more than half its height.
    box = ui.graph.bounding_box()
    assert box["width"] > 0.9 * PROJECTOR["width"] and box["height"] > 0.5 * PROJECTOR["height"], box
    # Clicker keys still step.
    for key, k in [("PageDown", 24), ("PageUp", 23), ("ArrowRight", 24), ("ArrowLeft", 23)]:
        ui.press(key)
        ui.expect_step(k)
    assert page.errors == []


@pytest.mark.parametrize("step_id", STEPS)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_projector_sizes_and_contrast(projector, step_id, theme):
    ui = projector.open(step=projector.step_of(step_id))
    if theme == "dark":
        ui.page.get_by_test_id("theme-toggle").click()
        expect(ui.page.locator("body")).to_have_attribute("data-theme", "dark")
    enter_lecture(ui)
    page = ui.page

    values = page.evaluate(GRAPH_VALUES_JS)
    current = [v for v in values if v["current"]]
    assert current, "the current step shows values on the graph"
    small = [v for v in values if v["px"] < GRAPH_MIN_PX]
    assert not small, f"graph values under {GRAPH_MIN_PX} px at {step_id}: {small}"

    narration = page.get_by_test_id("narration").locator(".narration-text")
    assert float(narration.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= MIN_PX
    formula = page.evaluate(FORMULA_JS)
    assert formula["maths"] and min(formula["maths"]) >= MIN_PX, formula
    small = [n for n in formula["numbers"] if n["px"] < MIN_PX]
    assert not small, f"formula numbers under {MIN_PX} px at {step_id}: {small}"

    texts = page.evaluate(CONTRAST_JS)
    assert len(texts) > 20
    low = [t for t in texts if t["ratio"] < MIN_CONTRAST]
    assert not low, f"text under {MIN_CONTRAST}:1 in lecture mode ({theme}) at {step_id}: {low}"
    assert page.errors == []


def test_active_edge_spotlighted_and_thick(projector):
    ui = projector.open(step=projector.step_of("fwd-w2-0-0"))
    enter_lecture(ui)
    widths = ui.page.evaluate("""() => {
      const w = (id) => parseFloat(getComputedStyle(document.querySelector(`[data-edge-id="${id}"] .edge-line`)).strokeWidth);
      const o = (id) => parseFloat(getComputedStyle(document.querySelector(`[data-edge-id="${id}"]`)).opacity);
      return { active: w("w2-0-0"), other: w("w2-1-0"), activeOpacity: o("w2-0-0"), otherOpacity: o("w2-1-0") };
    }""")
    assert widths["active"] >= 8 and widths["other"] >= 3, widths
    assert widths["activeOpacity"] == 1 and widths["otherOpacity"] < 0.5, widths


def test_blank_screen_with_b_and_dot(projector):
    ui = projector.open(step=5)
    enter_lecture(ui)
    blank = ui.page.get_by_test_id("blank")
    expect(blank).to_be_hidden()
    expect(blank).to_have_attribute("aria-hidden", "true")
    for key in ["b", "."]:
        ui.press(key)
        expect(blank).to_be_visible()
        expect(blank).not_to_have_attribute("aria-hidden", "true")
        box = blank.bounding_box()
        assert box["width"] >= PROJECTOR["width"] and box["height"] >= PROJECTOR["height"]
        assert blank.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(0, 0, 0)"
        ui.press(key)
        expect(blank).to_be_hidden()
        expect(blank).to_have_attribute("aria-hidden", "true")
    ui.expect_step(5)
    assert ui.page.errors == []


def test_f_requests_and_exits_fullscreen(projector):
    ui = projector.open(step=3)
    page = ui.page
    # Count the calls (a headless browser may refuse the real request).
    page.evaluate("""() => {
      window.fullscreenCalls = [];
      document.documentElement.requestFullscreen = function () { window.fullscreenCalls.push("enter"); return Promise.resolve(); };
    }""")
    ui.blur()
    ui.press("f")
    assert page.evaluate("window.fullscreenCalls") == ["enter"]
    expect(page.locator("body")).to_have_attribute("data-fullscreen", "requested")


def test_f_with_the_real_fullscreen_api_raises_nothing(projector):
    ui = projector.open(step=3)
    ui.blur()
    ui.press("f")
    body = ui.page.locator("body")
    expect(body).to_have_attribute("data-fullscreen", re.compile("^(on|requested|rejected|unsupported)$"))
    ui.page.wait_for_timeout(300)
    if body.get_attribute("data-fullscreen") == "on":
        ui.press("f")
        expect(body).to_have_attribute("data-fullscreen", "off")
    assert ui.page.errors == []
