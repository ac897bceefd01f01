"""Walk the worked example from the first step to the last with the keyboard; every figure of the
reference document (tests/data/worked-example.md) must be on its element at its step."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# step id -> [(element id, data-kind, data-quantity or None, text)]. The numbers are the document's,
# written as fmt prints them; a quantity is pinned only where the contract names it.
DOCUMENT_FIGURES = {
    "fwd-w1-0-0": [("w1-0-0", "forward", "product", "1.5")],        # a_1 = 0.5 * 3.0
    "sum-n1-0": [("n1-0", "forward", "a", "1.5")],
    "act-n1-0": [("n1-0", "forward", "h", "3")],                    # h_1 = 2.0 * 1.5
    "fwd-w2-0-0": [("w2-0-0", "forward", "product", "0.6")],        # a_21 = 0.2 * 3
    "sum-n2-0": [("n2-0", "forward", "a", "0.6")],
    "act-n2-0": [("n2-0", "forward", None, "1.2")],                 # o_1
    "fwd-w2-1-0": [("w2-1-0", "forward", "product", "0.3")],        # a_22 = 0.1 * 3.0
    "sum-n2-1": [("n2-1", "forward", "a", "0.3")],
    "act-n2-1": [("n2-1", "forward", None, "0.6")],                 # o_2
    "loss-e-0": [("e-0", "forward", None, "0.64")],                 # (2.0 - 1.2)^2
    "loss-e-1": [("e-1", "forward", None, "0.16")],                 # (1.0 - 0.6)^2
    "loss-total": [("E", "forward", None, "0.8")],
    "delta-n2-0": [("n2-0", "delta", None, "-3.2")],                # 2.0 * 0.8 * (-1) * 2.0
    "grad-w2-0-0": [("w2-0-0", "gradient", None, "-9.6")],
    "delta-n2-1": [("n2-1", "delta", None, "-1.6")],                # 2.0 * 0.4 * (-1) * 2.0
    "grad-w2-1-0": [("w2-1-0", "gradient", None, "-4.8")],
    "delta-n1-0": [("n1-0", "delta", None, "-1.6")],
    "gradk0-w1-0-0": [("w1-0-0", "gradient", "grad-e1", "-3.84")],
    "gradk1-w1-0-0": [("w1-0-0", "gradient", "grad-e2", "-0.96")],
    "grad-w1-0-0": [("w1-0-0", "gradient", None, "-4.8")],          # -3.84 + (-0.96)
    "check-n2-0": [("w2-0-0", "check", None, "-9.599964")],
    "check-n2-1": [("w2-1-0", "check", None, "-4.799964")],
    "check-n1-0": [("w1-0-0", "check", "fd-e1", "-3.83999424"),
                   ("w1-0-0", "check", "fd-e2", "-0.95999856")],
    "update-n2-0": [("w2-0-0", "update", None, "1.16")],            # 0.2 - 0.1 * (-9.6)
    "update-n2-1": [("w2-1-0", "update", None, "0.58")],            # 0.1 - 0.1 * (-4.8)
    "update-n1-0": [("w1-0-0", "update", None, "0.98")],            # 0.5 - 0.1 * (-4.8)
}


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
