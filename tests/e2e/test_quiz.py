"""Quiz mode ("predict, then reveal") and the table view of the trace, on the worked example.

Reference values come from the worked example document: dE/dw_21 = -9.6 (step grad-w2-0-0),
de_2/do_2 = -0.8 (the next backward step), delta_22 = -1.6.
"""
import re

import pytest
from conftest import is_trace_response
from playwright.sync_api import expect

from webapp.engine.templates import PHASES

pytestmark = pytest.mark.e2e

MINUS = re.compile(r"[-−]9\.6(?!\d)")


def enter_quiz(explainer, step_id):
    explainer.open(explainer.step_of(step_id))
    page = explainer.page
    page.get_by_test_id("quiz-toggle").click()
    expect(page.locator("body")).to_have_attribute("data-mode", "quiz")
    expect(page.get_by_test_id("quiz-toggle")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("quiz")).to_be_visible()
    return page


def answer(page, text):
    page.get_by_test_id("quiz-answer").fill(text)
    page.get_by_test_id("quiz-answer").press("Enter")


def visible_text(page):
    return page.evaluate("document.body.innerText")


def test_predict_grade_reveal_and_score(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "grad-w2-0-0")
    grad = ex.annotation("w2-0-0", "gradient", "grad")

    # Before answering: the question is asked and -9.6 is nowhere to be seen.
    expect(page.get_by_test_id("quiz")).to_contain_text("Predict")
    expect(page.get_by_test_id("quiz")).to_contain_text("∂eₜₒₜₐₗ/∂w₂₁")
    expect(grad).to_be_attached()
    expect(grad).to_be_hidden()
    expect(page.get_by_test_id("graph").locator(".quiz-mark").first).to_have_text("?")
    assert not MINUS.search(visible_text(page))
    expect(page.get_by_test_id("narration")).to_contain_text("= ?")
    expect(page.get_by_test_id("quiz-score")).to_have_text("0 / 0")

    answer(page, "-9.6")
    expect(page.get_by_test_id("quiz-verdict")).to_have_text(re.compile(r"^Correct"))
    expect(page.get_by_test_id("quiz-score")).to_have_text("1 / 1")
    expect(grad).to_be_visible()
    expect(grad).to_have_text("-9.6")
    assert MINUS.search(page.get_by_test_id("narration").inner_text())

    # The next backward step, de_2/do_2 = -0.8: "+" has the wrong sign.
    ex.blur()
    ex.press("ArrowRight")
    ex.expect_step(ex.step_of("dedo-n2-1"))
    expect(page.get_by_test_id("graph").locator("[data-quiz-hidden]").first).to_be_attached()
    assert "-0.8" not in page.get_by_test_id("narration").inner_text()
    answer(page, "+")
    expect(page.get_by_test_id("quiz-verdict")).to_have_text("Not quite: the answer is -0.8")
    expect(page.get_by_test_id("quiz-score")).to_have_text("1 / 2")
    expect(page.get_by_test_id("graph").locator("[data-quiz-hidden]")).to_have_count(0)

    # Stepping back shows the revealed value and its verdict, and does not count it again.
    ex.blur()
    ex.press("ArrowLeft")
    ex.expect_step(ex.step_of("grad-w2-0-0"))
    expect(grad).to_be_visible()
    expect(page.get_by_test_id("quiz-answer")).to_be_hidden()
    expect(page.get_by_test_id("quiz-verdict")).to_have_text(re.compile(r"^Correct"))
    expect(page.get_by_test_id("quiz-score")).to_have_text("1 / 2")
    ex.press("ArrowRight")
    ex.press("ArrowRight")
    ex.expect_step(ex.step_of("delta-n2-1"))
    expect(page.get_by_test_id("quiz-score")).to_have_text("1 / 2")
    expect(ex.annotation("n2-1", "delta", "delta")).to_be_hidden()

    # Leaving quiz mode shows every value again.
    page.get_by_test_id("quiz-toggle").click()
    expect(page.locator("body")).to_have_attribute("data-mode", "normal")
    expect(page.get_by_test_id("quiz")).to_be_hidden()
    expect(page.get_by_test_id("graph").locator("[data-quiz-hidden]")).to_have_count(0)
    expect(page.get_by_test_id("graph").locator(".quiz-mark")).to_have_count(0)
    expect(ex.annotation("n2-1", "delta", "delta")).to_be_visible()
    ex.expect_annotation("n2-1", "delta", "-1.6")
    expect(page.get_by_test_id("narration")).to_contain_text("-1.6")
    expect(page.get_by_test_id("narration").locator(".quiz-narration")).to_have_count(0)


def test_forward_steps_are_not_questions_and_next_still_works(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "act-n1-0")
    expect(page.get_by_test_id("quiz-answer")).to_be_hidden()
    ex.expect_annotation("n1-0", "forward", "3", quantity="h")
    # An open question does not block "next"; the value of the skipped step stays unanswered.
    ex.goto_step_id("delta-n2-0")
    expect(page.get_by_test_id("quiz-answer")).to_be_visible()
    ex.blur()
    ex.press("ArrowRight")
    ex.expect_step(ex.step_of("grad-w2-0-0"))
    expect(page.get_by_test_id("quiz-score")).to_have_text("0 / 0")


def test_reveal_counts_as_not_correct(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "grad-w2-0-0")
    page.get_by_test_id("quiz-reveal").click()
    expect(page.get_by_test_id("quiz-verdict")).to_have_text("Revealed: the answer is -9.6")
    expect(page.get_by_test_id("quiz-score")).to_have_text("0 / 1")
    ex.expect_annotation("w2-0-0", "gradient", "-9.6", quantity="grad")


def test_a_malformed_answer_is_not_graded(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "grad-w2-0-0")
    answer(page, "minus nine")
    expect(page.get_by_test_id("quiz-verdict")).to_contain_text("Type a number")
    expect(page.get_by_test_id("quiz-answer")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("quiz-score")).to_have_text("0 / 0")
    expect(ex.annotation("w2-0-0", "gradient", "grad")).to_be_hidden()


@pytest.mark.parametrize("given, value, correct", [
    ("-9.6", -9.6, True),
    ("-9.45", -9.6, True),     # within 2 %
    ("-9.4", -9.6, False),     # 2.1 % off
    ("−9.6", -9.6, True),      # a typographic minus
    ("-", -9.6, True),
    ("negative", -9.6, True),
    ("+", -9.6, False),
    ("positive", 0.8, True),
    ("0.0005", 0, True),       # the absolute floor, 1e-3
    ("+", 0, False),           # an exact 0 has no sign
    ("0", 0, True),
    ("0.0009", 0.0001, True),
])
def test_grading_rule(calm_explainer, given, value, correct):
    page = calm_explainer.open().page
    result = page.evaluate("async ([a, v]) => (await import(new URL('quiz.js', document.querySelector('script[type=module][src]').src))).grade(a, v)", [given, value])
    assert result["valid"] and result["correct"] is correct


def test_a_new_trace_resets_the_score(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "grad-w2-0-0")
    answer(page, "-9.6")
    expect(page.get_by_test_id("quiz-score")).to_have_text("1 / 1")
    field = page.get_by_test_id("weight-w2-0-0")
    with page.expect_response(is_trace_response):
        field.fill("0.4")
        field.blur()
    expect(page.get_by_test_id("quiz-score")).to_have_text("0 / 0")
    expect(ex.annotation("w2-0-0", "gradient", "grad")).to_be_hidden()


def test_playing_pauses_at_an_open_question(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "loss-total")
    page.get_by_test_id("speed").select_option("4")
    page.get_by_test_id("play").click()
    ex.expect_step(ex.step_of("dedo-n2-0"))
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")


def test_table_view_lists_every_step(calm_explainer):
    ex = calm_explainer
    ex.open(ex.step_of("grad-w2-0-0"))
    page = ex.page
    toggle = page.get_by_test_id("table-view-toggle")
    expect(page.get_by_test_id("trace-table")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    table = page.get_by_test_id("trace-table")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text(f"{ex.n_steps} steps")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(ex.n_steps)
    assert table.locator("thead th[scope=col]").count() == 5
    assert table.locator("tbody th[scope=row]").count() == ex.n_steps
    for k, step in enumerate(ex.trace["steps"], start=1):
        row = rows.nth(k - 1)
        assert row.get_attribute("data-step-id") == step["id"]
        assert row.locator("th").inner_text() == str(k)
        assert row.locator("td").nth(0).inner_text() == PHASES[step["kind"]]
    current = table.locator('tr[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("data-step-id", "grad-w2-0-0")
    # The symbol typeset with real subscripts, and read as ∂eₜₒₜₐₗ/∂w₂₁.
    symbol = current.locator("td").nth(1)
    expect(symbol.locator("sub")).to_have_text(["total", "21"])
    expect(symbol.locator(".sr-only")).to_have_text("∂eₜₒₜₐₗ/∂w₂₁")
    expect(current.locator("td").nth(2)).to_have_text("-9.6")
    ex.blur()
    ex.press("ArrowRight")
    expect(table.locator('tr[aria-current="step"]')).to_have_attribute("data-step-id", "dedo-n2-1")

    # In quiz mode the table does not give away what the quiz has not revealed.
    page.get_by_test_id("quiz-toggle").click()
    row = table.locator('tr[data-step-id="grad-w2-0-0"]')
    expect(row.locator("td").nth(2)).to_contain_text("?")
    ex.blur()
    ex.press("ArrowLeft")
    answer(page, "-9.6")
    expect(row.locator("td").nth(2)).to_have_text("-9.6")
    expect(table.locator("tbody tr")).to_have_count(ex.n_steps)


def test_the_answer_stays_hidden_when_the_graph_is_redrawn(calm_explainer):
    ex = calm_explainer
    page = enter_quiz(ex, "grad-w2-0-0")
    # A narrower window re-lays the graph out (a new SVG): the mask must follow.
    page.evaluate("document.querySelector('[data-testid=graph] svg').dataset.old = '1'")
    page.set_viewport_size({"width": 1200, "height": 800})
    expect(page.locator("[data-testid=graph] svg[data-old]")).to_have_count(0)
    expect(ex.annotation("w2-0-0", "gradient", "grad")).to_be_attached()
    expect(ex.annotation("w2-0-0", "gradient", "grad")).to_be_hidden()
    expect(page.get_by_test_id("graph").locator(".quiz-mark").first).to_be_visible()
