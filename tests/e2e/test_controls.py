"""Player controls: buttons, keyboard, play/pause, scrubber, the #step=k URL, and a picture that depends
only on the step, however it was reached."""
import difflib
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def hash_pattern(k):
    # The hash may carry more state than the step; only step=k is the contract.
    return re.compile(rf"#(.*&)?step={k}(&.*)?$")


def click_at_the_end(explainer, testid, k):
    """At either end the button may be disabled; if it is not, clicking it must not move the step."""
    button = explainer.page.get_by_test_id(testid)
    if button.is_enabled():
        button.click()
    explainer.expect_step(k)


def test_buttons_step_seek_and_clamp(explainer):
    page = explainer.page
    n = explainer.open().n_steps
    page.get_by_test_id("next").click()
    explainer.expect_step(2)
    page.get_by_test_id("next").click()
    explainer.expect_step(3)
    page.get_by_test_id("prev").click()
    explainer.expect_step(2)
    page.get_by_test_id("last").click()
    explainer.expect_step(n)
    click_at_the_end(explainer, "next", n)
    page.get_by_test_id("first").click()
    explainer.expect_step(1)
    click_at_the_end(explainer, "prev", 1)


@pytest.mark.parametrize("key, start, expected", [
    ("ArrowRight", 5, 6),
    ("PageDown", 5, 6),
    ("ArrowLeft", 5, 4),
    ("PageUp", 5, 4),
    ("Home", 5, 1),
    ("End", 5, "last"),
])
def test_keyboard(explainer, key, start, expected):
    explainer.open(step=start)
    explainer.blur()
    explainer.press(key)
    explainer.expect_step(explainer.n_steps if expected == "last" else expected)


def expect_playing(page, playing):
    button = page.get_by_test_id("play")
    if button.get_attribute("aria-pressed") is not None:
        expect(button).to_have_attribute("aria-pressed", "true" if playing else "false")


def assert_stays_put(explainer, k, ms=1500):
    """Paused: at speed 4 a step lasts well under a second, so 1.5 s would show any drift."""
    explainer.page.wait_for_timeout(ms)
    assert explainer.step_index() == k


@pytest.mark.parametrize("toggle", ["button", "space"])
def test_play_advances_and_pause_stops(explainer, toggle):
    page = explainer.page
    explainer.open()
    page.get_by_test_id("speed").select_option("4")
    explainer.blur()

    def press_play():
        if toggle == "button":
            page.get_by_test_id("play").click()
        else:
            explainer.blur()
            explainer.press("Space")

    press_play()
    expect_playing(page, True)
    expect(explainer.graph).not_to_have_attribute("data-step-index", re.compile(r"^[12]$"))
    press_play()
    expect_playing(page, False)
    k = explainer.step_index()
    assert 3 <= k <= explainer.n_steps
    assert_stays_put(explainer, k)


def test_fast_playback_shows_the_formula_as_text_and_pausing_typesets_it(explainer):
    """At 4x the side column takes its quick form (plain-text formula, no chips, the values table
    left as it was); pausing draws the step in full: MathML, chips, the step's row in the table."""
    page = explainer.page
    explainer.open()
    formula = page.get_by_test_id("formula")
    page.get_by_test_id("speed").select_option("4")
    page.get_by_test_id("play").click()
    expect(explainer.graph).to_have_attribute("data-step-index", re.compile(r"^([3-9]|\d\d)$"))
    assert formula.locator("math").count() == 0 and formula.locator(".factor-chips > *").count() == 0
    assert "_{" not in formula.inner_text()
    page.get_by_test_id("play").click()
    expect_playing(page, False)
    k = explainer.step_index()
    step_id = explainer.trace["steps"][k - 1]["id"]
    expect(formula).to_have_attribute("data-step-id", step_id)
    expect(formula.locator(".formula-math math").first).to_be_visible()
    expect(page.locator(f'[data-testid=values] tr.is-current[data-step-id="{step_id}"]')).to_have_count(1)


def test_scrubber_jumps(explainer):
    page = explainer.page
    explainer.open()
    scrubber = page.get_by_test_id("scrubber")
    expect(scrubber).to_have_attribute("min", "1")
    expect(scrubber).to_have_attribute("max", str(explainer.n_steps))
    explainer.goto_step(12)
    expect(explainer.graph).to_have_attribute("data-step-id", explainer.trace["steps"][11]["id"])
    explainer.goto_step(3)
    expect(scrubber).to_have_value("3")


def test_hash_opens_step_and_survives_reload(explainer):
    page = explainer.page
    explainer.open(step=12)
    expect(explainer.graph).to_have_attribute("data-step-id", explainer.trace["steps"][11]["id"])
    page.reload()
    explainer.expect_step(12)
    explainer.blur()
    explainer.press("ArrowRight")
    explainer.expect_step(13)
    expect(page).to_have_url(hash_pattern(13))
    page.get_by_test_id("first").click()
    expect(page).to_have_url(hash_pattern(1))


def test_bad_hash_falls_back_to_step_one(explainer):
    explainer.page.goto(explainer.base_url + "/#step=banana")
    explainer.expect_step(1)


@pytest.mark.parametrize("k", [3, 15, 26])
def test_picture_depends_only_on_the_step(calm_explainer, k):
    """Seeking to k, stepping up to k, and overshooting then coming back draw the same svg."""
    ui = calm_explainer
    ui.open(step=k)
    sought = ui.settled_svg()

    ui.open()
    ui.blur()
    for _ in range(k - 1):
        ui.press("ArrowRight")
    ui.expect_step(k)
    stepped = ui.settled_svg()

    over = min(k + 3, ui.n_steps)
    for _ in range(over - k):
        ui.press("ArrowRight")
    ui.expect_step(over)
    for _ in range(over - k):
        ui.press("ArrowLeft")
    ui.expect_step(k)
    returned = ui.settled_svg()

    ui.goto_step(1)
    ui.goto_step(k)
    scrubbed = ui.settled_svg()

    for how, svg in [("stepped", stepped), ("overshot and back", returned), ("scrubbed", scrubbed)]:
        assert svg == sought, f"step {k} {how} differs from seeking directly:\n" + svg_diff(sought, svg)


def svg_diff(a, b, limit=40):
    lines = difflib.unified_diff(a.replace(">", ">\n").splitlines(), b.replace(">", ">\n").splitlines(),
                                 "sought", "other", lineterm="", n=1)
    return "\n".join(line[:160] for line in list(lines)[:limit])
