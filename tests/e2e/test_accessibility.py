"""Accessibility: axe-core finds nothing in any mode and theme; keyboard, focus ring, live narration,
reduced motion and the table view behave as a screen-reader or keyboard user needs."""
import re

import pytest
from playwright.sync_api import expect

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.e2e

FORWARD_STEP = "act-n1-0"
BACKWARD_STEP = "grad-w2-0-0"


def axe_violations(page):
    results = axe_sync.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def enter(page, mode):
    if mode == "normal":
        return
    toggle = page.get_by_test_id(f"{mode}-toggle")
    if toggle.count() == 0:
        pytest.skip(f"no {mode}-toggle button on the page yet")
    toggle.click()
    expect(page.locator("body")).to_have_attribute("data-mode", mode)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("mode, step_id", [
    ("normal", FORWARD_STEP),
    ("normal", BACKWARD_STEP),
    ("lecture", BACKWARD_STEP),
    ("quiz", BACKWARD_STEP),
])
def test_axe_finds_no_violations(themed_explainer, theme, mode, step_id):
    ex = themed_explainer(theme)
    ex.open(ex.step_of(step_id))
    expect(ex.page.locator("body")).to_have_attribute("data-theme", theme)
    enter(ex.page, mode)
    if mode == "quiz":
        expect(ex.page.get_by_test_id("quiz-answer")).to_be_visible()
    assert axe_violations(ex.page) == []
    if mode == "quiz":
        # The answered state (verdict, revealed values) is scanned as well.
        ex.page.get_by_test_id("quiz-answer").fill("+")
        ex.page.get_by_test_id("quiz-answer").press("Enter")
        expect(ex.page.get_by_test_id("quiz-verdict")).to_contain_text("Not quite")
        assert axe_violations(ex.page) == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_table_view(themed_explainer, theme):
    ex = themed_explainer(theme)
    ex.open(ex.step_of(BACKWARD_STEP))
    ex.page.get_by_test_id("table-view-toggle").click()
    expect(ex.page.get_by_test_id("trace-table")).to_be_visible()
    assert axe_violations(ex.page) == []


def test_narration_is_one_polite_live_region(calm_explainer):
    page = calm_explainer.open(3).page
    narration = page.get_by_test_id("narration")
    expect(narration).to_have_attribute("aria-live", "polite")
    expect(narration).to_have_attribute("aria-atomic", "true")
    # Nothing else that changes on every step talks: the counter and scrubber stay silent.
    expect(page.get_by_test_id("step-counter")).to_have_attribute("aria-live", "off")
    live = page.evaluate("""() => [...document.querySelectorAll('[aria-live]')]
        .filter(el => el.getAttribute('aria-live') !== 'off' && !el.closest('[hidden]'))
        .map(el => el.dataset.testid || el.className)""")
    assert live.count("narration") == 1
    # One step, one change of the region's text (no flicker of intermediate texts).
    page.evaluate("""() => {
        window.__changes = [];
        const n = document.querySelector('[data-testid=narration]');
        new MutationObserver(() => window.__changes.push(n.textContent)).observe(n, {subtree: true, childList: true, characterData: true});
    }""")
    calm_explainer.press("ArrowRight")
    calm_explainer.expect_step(4)
    # Two frames later anything the step changes after its keypress has been drawn too.
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    # Mutation records are delivered in one batch per task: one batch means one announcement.
    texts = page.evaluate("window.__changes")
    assert len(texts) == 1, texts
    assert texts[0] == page.get_by_test_id("narration").text_content()
    # The symbol as a screen reader gets it (its typeset form is aria-hidden).
    assert "w₂₁" in texts[0] and "w_21" not in texts[0]


def contrast(rgb1, rgb2):
    def lum(rgb):
        def ch(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (ch(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted((lum(rgb1), lum(rgb2)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rgb(css):
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_control_is_reachable_by_tab_with_a_visible_focus_ring(themed_explainer, theme):
    ex = themed_explainer(theme)
    page = ex.open(2).page
    page.locator("body").focus()
    seen = {}
    for _ in range(140):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const s = getComputedStyle(el);
            // The colour behind the ring: the first opaque background up the tree.
            let bg = 'rgb(255, 255, 255)';
            for (let p = el.parentElement; p; p = p.parentElement) {
                const c = getComputedStyle(p).backgroundColor;
                if (c && !c.endsWith(', 0)') && c !== 'transparent') { bg = c; break; }
            }
            return {id: el.dataset.testid || el.id || el.tagName, outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth), color: s.outlineColor, bg, visible: el.matches(':focus-visible')};
        }""")
        if info and info["id"] not in seen:
            seen[info["id"]] = info
    for testid in ["theme-toggle", "reduced-motion", "quiz-toggle", "table-view-toggle", "first", "prev", "play",
                   "next", "last", "scrubber", "speed", "values", "check-table", "preset", "weight-w2-0-0"]:
        assert testid in seen, f"{testid} not reached by Tab (reached: {sorted(seen)})"
    for testid, info in seen.items():
        assert info["visible"], testid
        assert info["outline"] != "none" and info["width"] >= 2, (testid, info)
        ratio = contrast(rgb(info["color"]), rgb(info["bg"]))
        assert ratio >= 3, f"{testid}: focus ring {info['color']} on {info['bg']} is {ratio:.2f}:1"


def test_every_quiz_control_works_from_the_keyboard(calm_explainer):
    ex = calm_explainer
    page = ex.open(ex.step_of(BACKWARD_STEP)).page
    page.get_by_test_id("quiz-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_have_attribute("data-mode", "quiz")
    page.get_by_test_id("quiz-answer").focus()
    page.keyboard.type("-9.6")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("quiz-score")).to_have_text("1 / 1")
    # Focus stays in the card (on the verdict), where the arrow keys step again.
    assert page.evaluate("document.activeElement.dataset.testid") == "quiz-verdict"
    page.keyboard.press("ArrowRight")
    ex.expect_step(ex.step_of(BACKWARD_STEP) + 1)
    # Escape leaves the answer field so the step keys work without the mouse.
    page.get_by_test_id("quiz-answer").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    ex.expect_step(ex.step_of(BACKWARD_STEP) + 2)
    page.get_by_test_id("table-view-toggle").focus()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("trace-table")).to_be_visible()


def no_motion(page):
    return page.evaluate("""() => document.getAnimations().filter(a => a.playState === 'running').length === 0
        && document.querySelectorAll('[data-testid=graph] .pulse').length === 0""")


def test_reduced_motion_is_honoured_from_the_system_setting(calm_explainer):
    ex = calm_explainer
    page = ex.open(12).page
    expect(page.get_by_test_id("reduced-motion")).to_be_checked()
    for k in (13, 14, 15):
        ex.press("ArrowRight")
        ex.expect_step(k)
        assert no_motion(page), f"something moves at step {k}"
    edge = page.locator('[data-edge-id="w2-0-0"] .edge-back')
    assert edge.evaluate("el => getComputedStyle(el).animationName") == "none"


def test_reduced_motion_is_honoured_from_the_checkbox(explainer):
    page = explainer.open(12).page
    page.get_by_test_id("reduced-motion").check()
    explainer.blur()
    for k in (13, 14, 15):
        explainer.press("ArrowRight")
        explainer.expect_step(k)
        assert no_motion(page), f"something moves at step {k}"


def test_graph_has_an_accessible_name_and_no_focusable_parts_inside_its_image(calm_explainer):
    page = calm_explainer.open().page
    svg = page.get_by_test_id("graph").locator("svg").first
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-label")
    # The picture is one image to assistive technology; editing a weight is done in its editor
    # field (weight-<edge id>), which is in the tab order.
    assert svg.evaluate("s => s.querySelectorAll('[tabindex], a, button, input').length") == 0
