"""Walk the worked example from the first step to the last with the keyboard; every figure of the
reference (tests/data/worked_example.json) must be on its element at its step."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# step id -> [(element id, data-kind, data-quantity or None, text)], from the reference's figures
# (tests/data/worked_example.json); a quantity is pinned only where the contract names it.
DOCUMENT_FIGURES = {}
for figure in json.loads((Path(__file__).parents[1] / "data" / "worked_example.json").read_text())["figures"]:
    DOCUMENT_FIGURES.setdefault(figure["step"], []).append((*figure["on"], figure["value"]))


def test_reference_trace_has_the_documents_steps(worked_trace):
    ids = [s["id"] for s in worked_trace["steps"]]
    assert set(DOCUMENT_FIGURES) <= set(ids)


def test_keyboard_walkthrough_shows_every_document_figure_at_its_step(explainer):
    page = explainer.page
    explainer.open()
    n = explainer.n_steps
    formula = page.get_by_test_id("formula")
    narration = page.get_by_test_id("narration")
    seen = []
    for k in range(1, n + 1):
        if k > 1:
            explainer.press("ArrowRight")
        explainer.expect_step(k)
        step_id = explainer.trace["steps"][k - 1]["id"]
        expect(explainer.graph).to_have_attribute("data-step-id", step_id)
        expect(formula.locator("math").first).to_be_attached()
        expect(narration).to_have_text(re.compile(r"\S"))
        for element_id, kind, quantity, text in DOCUMENT_FIGURES.get(step_id, []):
            explainer.expect_annotation(element_id, kind, text, quantity)
        seen.append(step_id)
    assert set(DOCUMENT_FIGURES) <= set(seen)

    # Past the last step nothing moves, and the picture is cumulative: every figure is still there.
    explainer.press("ArrowRight")
    explainer.expect_step(n)
    for figures in DOCUMENT_FIGURES.values():
        for element_id, kind, quantity, text in figures:
            explainer.expect_annotation(element_id, kind, text, quantity)
    # The total forward difference of w_11 is the sum of the per-output ones: -3.83999424 + (-0.95999856).
    explainer.expect_annotation("w1-0-0", "check", "-4.7999928", "fd")
