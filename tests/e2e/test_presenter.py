"""Presenter view: the presenter opens an audience window and the two stay in sync through a
BroadcastChannel (two pages of one browser context share it), both ways; the presenter's notes;
closing the audience leaves the presenter working, and it can open the audience again."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def watch(page):
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    return page


@pytest.fixture
def pair(new_page, live_server, worked_trace, explainer):
    """(presenter, audience, open_audience): two Explainers in one context, the audience opened by the button."""
    Explainer = type(explainer)
    presenter = Explainer(watch(new_page(reduced_motion="reduce")), live_server, worked_trace).open(step=3)

    def open_audience():
        page = presenter.page
        with page.context.expect_page() as popup:
            page.get_by_test_id("presenter-open").click()
        audience = Explainer(watch(popup.value), live_server, worked_trace)
        expect(audience.graph.locator("svg").first).to_be_visible()
        expect(audience.page.locator("body")).to_have_attribute("data-mode", "lecture")
        return audience

    return presenter, open_audience(), open_audience


def test_audience_window_starts_in_lecture_mode_at_the_same_step(pair):
    presenter, audience, _ = pair
    url = audience.page.url
    assert "view=audience" in url and re.search(r"#.*step=3", url), url
    audience.expect_step(3)
    expect(audience.page.get_by_test_id("presenter-open")).to_be_hidden()
    expect(audience.page.get_by_test_id("presenter-notes")).to_have_count(0)
    expect(audience.page.get_by_test_id("editor")).to_be_hidden()
    # The presenter keeps its own view, with the notes.
    expect(presenter.page.locator("body")).to_have_attribute("data-mode", "normal")
    expect(presenter.page.get_by_test_id("presenter-notes")).to_be_visible()


def test_steps_follow_in_both_directions(pair):
    presenter, audience, _ = pair
    presenter.page.get_by_test_id("next").click()
    presenter.expect_step(4)
    audience.expect_step(4)
    audience.blur()
    audience.press("PageDown")  # a clicker plugged into the projector's machine
    audience.expect_step(5)
    presenter.expect_step(5)
    presenter.goto_step(20)
    audience.expect_step(20)
    audience.page.get_by_test_id("prev").click()
    presenter.expect_step(19)
    assert presenter.page.errors == [] and audience.page.errors == []


def test_play_and_pause_follow(pair):
    presenter, audience, _ = pair
    presenter.page.get_by_test_id("play").click()
    expect(audience.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    expect(audience.graph).not_to_have_attribute("data-step-index", "3", timeout=5000)
    audience.page.get_by_test_id("play").click()
    expect(presenter.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    expect(audience.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    # Both stop on the same step.
    k = audience.step_index()
    presenter.expect_step(k)


def test_theme_follows_in_both_directions(pair):
    presenter, audience, _ = pair
    before = presenter.page.locator("body").get_attribute("data-theme")
    after = "dark" if before == "light" else "light"
    presenter.page.get_by_test_id("theme-toggle").click()
    expect(audience.page.locator("body")).to_have_attribute("data-theme", after)
    audience.page.get_by_test_id("theme-toggle").click()
    expect(presenter.page.locator("body")).to_have_attribute("data-theme", before)
    expect(audience.page.locator("body")).to_have_attribute("data-theme", before)


def test_an_edit_in_the_presenter_retraces_the_audience(pair):
    presenter, audience, _ = pair
    presenter.goto_step(presenter.step_of("fwd-w2-0-0"))
    audience.expect_step(presenter.step_of("fwd-w2-0-0"))
    audience.expect_annotation("w2-0-0", "forward", "0.6", "product")  # 0.2 * 3
    presenter.page.get_by_test_id("weight-w2-0-0").fill("0.3")
    presenter.expect_annotation("w2-0-0", "forward", "0.9", "product")
    audience.expect_annotation("w2-0-0", "forward", "0.9", "product")  # 0.3 * 3, traced in the audience window
    audience.expect_step(presenter.step_of("fwd-w2-0-0"))
    # The audience's own steps keep working on the new network, and the presenter follows.
    audience.page.get_by_test_id("next").click()
    presenter.expect_step(presenter.step_of("fwd-w2-0-0") + 1)
    assert presenter.page.errors == [] and audience.page.errors == []


def test_presenter_notes_show_now_next_and_a_ticking_clock(pair):
    presenter, audience, _ = pair
    page = presenter.page
    notes = page.get_by_test_id("presenter-notes")
    expect(notes).to_contain_text("Audience window open")
    narration_now = page.get_by_test_id("narration").locator(".narration-text").inner_text()
    expect(notes).to_contain_text(narration_now)
    expect(notes.locator("math").first).to_be_attached()  # the formula, typeset
    preview = page.get_by_test_id("next-preview").inner_text()
    page.get_by_test_id("next").click()
    presenter.expect_step(4)
    assert page.get_by_test_id("narration").locator(".narration-text").inner_text() == preview
    elapsed = page.get_by_test_id("elapsed")
    expect(elapsed).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(elapsed).to_have_text(re.compile(r"^00:0[1-9]$"), timeout=5000)
    presenter.goto_step(presenter.n_steps)
    expect(page.get_by_test_id("next-preview")).to_have_text(re.compile("end", re.I))


def test_closing_the_audience_leaves_the_presenter_working_and_it_reopens(pair):
    presenter, audience, open_audience = pair
    audience.page.close()
    notes = presenter.page.get_by_test_id("presenter-notes")
    expect(notes).to_contain_text("closed")
    presenter.page.get_by_test_id("next").click()
    presenter.expect_step(4)
    presenter.blur()
    presenter.press("ArrowRight")
    presenter.expect_step(5)
    again = open_audience()
    again.expect_step(5)
    expect(notes).to_contain_text("Audience window open")
    presenter.page.get_by_test_id("next").click()
    again.expect_step(6)
    assert presenter.page.errors == [] and again.page.errors == []


def test_closing_the_presenter_leaves_the_audience_working(pair):
    presenter, audience, _ = pair
    presenter.page.close()
    audience.blur()
    audience.press("ArrowRight")
    audience.expect_step(4)
    audience.page.get_by_test_id("theme-toggle").click()
    assert audience.page.errors == []


def test_a_plain_second_tab_does_not_follow(pair, new_page, live_server, worked_trace, explainer):
    presenter, audience, _ = pair
    # Another tab of the same page in the same browser is not part of the presentation.
    other_page = watch(presenter.page.context.new_page())
    other = type(explainer)(other_page, live_server, worked_trace).open(step=2)
    presenter.page.get_by_test_id("next").click()
    audience.expect_step(4)
    other.expect_step(2)
