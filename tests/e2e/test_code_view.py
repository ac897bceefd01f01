"""The code view: the reference code beside the graph, the lines of each step marked as the
walkthrough moves (as GET /api/code's line map says), kept in view, large in lecture mode, and
clean for axe in both themes. Two tests, one page load each (the suite's time is tight).

With UPDATE_SCREENSHOTS=1 the second also saves the README's static/screenshots/code-view.png."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.e2e

SCREENSHOT = Path(__file__).resolve().parents[2] / "static" / "screenshots" / "code-view.png"
MARKED = '[data-testid="code-view"] .code-line[aria-current="true"]'


@pytest.fixture(scope="module")
def line_map(api):
    return api.get("/api/code").get_json()["lines"]


def marked_lines(page):
    return page.locator(MARKED).evaluate_all("rows => rows.map(r => Number(r.dataset.line))")


def expect_lines_of(ex, line_map, k):
    """Step k (1-based) marks exactly the lines its kind maps to."""
    ex.expect_step(k)
    kind = ex.trace["steps"][k - 1]["kind"]
    expect(ex.page.locator(MARKED).first).to_be_attached()
    assert marked_lines(ex.page) == line_map["kinds"][kind], f"step {k} ({kind})"


def in_view(page):
    """The first marked line lies inside the code's own scroll box."""
    return page.locator(MARKED).first.evaluate("""row => {
        const box = row.closest('.code-scroll').getBoundingClientRect(), r = row.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }""")


def test_the_code_follows_the_walkthrough(calm_explainer, line_map):
    ex = calm_explainer.open(2)  # node_sum, a forward step
    page = ex.page
    toggle = page.get_by_test_id("code-view-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # Keyboard: the toggle opens the panel, and the arrow keys still step the walkthrough.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    panel = page.get_by_test_id("code-view")
    expect(panel).to_be_visible()
    text = panel.locator(".code-line").evaluate_all("rows => rows.map(r => r.textContent).join('')")
    assert text.startswith('"""One training step') and "def backward(" in text
    expect_lines_of(ex, line_map, 2)
    ex.press("ArrowRight")
    expect_lines_of(ex, line_map, 3)  # node_activation
    ex.press("ArrowLeft")
    expect_lines_of(ex, line_map, 2)
    # Far down the file: the check's loop, then back up to the backward pass, each scrolled into view.
    for k in (ex.step_of("check-n2-0"), ex.step_of("delta-n1-0"), 1):
        ex.goto_step(k)
        expect_lines_of(ex, line_map, k)
        assert in_view(page), f"step {k}: the marked lines are scrolled out of view"
    # The panel's lines at step k depend on k only: the same step after a detour marks the same.
    k = ex.step_of("delta-n1-0")
    ex.goto_step(k)
    expect_lines_of(ex, line_map, k)
    assert page.locator(MARKED).count() == len(line_map["kinds"]["hidden_delta"])
    toggle.click()
    expect(panel).to_be_hidden()


def axe_violations(page):
    results = axe_sync.Axe().run(page, context='[data-testid="code-view"]')
    return [f"{v['id']}: {v['help']} -> " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"]]


def test_the_code_view_is_legible_in_both_themes_and_in_lecture_mode(calm_explainer, line_map, tmp_path):
    ex = calm_explainer.open(calm_explainer.step_of("delta-n1-0"))  # a backward step: h1's error signal
    page = ex.page
    page.get_by_test_id("code-view-toggle").click()
    expect(page.locator(MARKED).first).to_be_visible()
    ex.settled_svg()  # the graph re-laid out beside the panel
    path = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path / SCREENSHOT.name
    page.screenshot(path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code = page.get_by_test_id("code-view").locator(".code")
    normal_size = float(code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    for theme in ("light", "dark"):
        if page.locator("body").get_attribute("data-theme") != theme:
            page.get_by_test_id("theme-toggle").click()
        expect(page.locator("body")).to_have_attribute("data-theme", theme)
        assert axe_violations(page) == [], theme
    page.get_by_test_id("lecture-toggle").click()
    expect(page.locator("body")).to_have_attribute("data-mode", "lecture")
    lecture_size = float(code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))
    assert lecture_size >= 1.25 * normal_size, (normal_size, lecture_size)
    assert marked_lines(page) == line_map["kinds"]["hidden_delta"]
    assert in_view(page)
    for theme in ("dark", "light"):
        if page.locator("body").get_attribute("data-theme") != theme:
            page.get_by_test_id("theme-toggle").click()
        expect(page.locator("body")).to_have_attribute("data-theme", theme)
        assert axe_violations(page) == [], f"lecture, {theme}"
