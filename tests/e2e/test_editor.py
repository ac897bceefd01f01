"""Editing the network: a changed weight re-traces, a bad value is refused inline, presets switch."""
import copy
import re

import pytest
from conftest import TRACE_URL, is_trace_response
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

FIELD_W21 = "weights[1][0][0]"  # w2-0-0: layer 2, neuron 0, from neuron 0


def set_field(page, testid, text):
    """Type a value the way a person would, then leave the field; returns the /api/trace response."""
    field = page.get_by_test_id(testid)
    with page.expect_response(is_trace_response) as info:
        field.fill(text)
        field.blur()
    return info.value


def test_changed_weight_retraces_to_the_hand_computed_gradient(explainer, api, worked_spec):
    # By hand with w21 = 0.4: o_1 = 2 * (0.4 * 3) = 2.4, de1/do1 = -2 * (2 - 2.4) = 0.8,
    # de1/dw21 = 0.8 * 2 * 3 = 4.8 (e_2 does not depend on w21).
    by_hand = -2 * (2.0 - 2 * 0.4 * 3.0) * 2.0 * 3.0
    assert by_hand == pytest.approx(4.8)

    spec = copy.deepcopy(worked_spec)
    spec["weights"][1][0][0] = 0.4
    answer = api.post("/api/trace", json=spec)
    assert answer.status_code == 200
    steps = answer.get_json()["steps"]
    api_grad = next(s["value"] for s in steps if s["id"] == "grad-w2-0-0")
    assert api_grad == pytest.approx(by_hand, rel=1e-12)

    page = explainer.page
    explainer.open()
    explainer.goto_step_id("grad-w2-0-0")
    explainer.expect_annotation("w2-0-0", "gradient", "-9.6")

    response = set_field(page, "weight-w2-0-0", "0.4")
    assert response.ok
    expect(page.get_by_test_id("weight-w2-0-0")).to_have_value("0.4")
    k = [s["id"] for s in steps].index("grad-w2-0-0") + 1
    explainer.goto_step(k)
    expect(explainer.graph).to_have_attribute("data-step-id", "grad-w2-0-0")
    explainer.expect_annotation("w2-0-0", "gradient", "4.8")


def type_bad_number(field):
    """Type text that is not a finite number. A type=number input refuses letters, so there use 1e400
    (parses to infinity); elsewhere "abc"."""
    field.fill("")
    if field.get_attribute("type") == "number":
        field.press_sequentially("1e400")
        return "1e400"
    field.fill("abc")
    return "abc"


def test_invalid_weight_is_refused_inline_and_the_network_stays(explainer):
    page = explainer.page
    explainer.open()
    explainer.goto_step_id("grad-w2-0-0")
    explainer.expect_annotation("w2-0-0", "gradient", "-9.6")

    field = page.get_by_test_id("weight-w2-0-0")
    typed = type_bad_number(field)
    field.blur()

    error = page.locator(f'[data-error-for="{FIELD_W21}"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text(FIELD_W21)
    expect(field).to_have_attribute("aria-invalid", "true")

    # The typed text stays: a number input keeps it as "bad input" (its value reads ""), a text input as is.
    kept = field.evaluate("e => e.type === 'number' ? e.validity.badInput : e.value")
    assert kept is True or kept == typed

    # The last valid network is still drawn at the same step.
    expect(explainer.graph).to_have_attribute("data-step-id", "grad-w2-0-0")
    explainer.expect_annotation("w2-0-0", "gradient", "-9.6")
    explainer.expect_annotation("w2-0-0", "forward", "0.6", "product")

    # A good value clears the error.
    set_field(page, "weight-w2-0-0", "0.4")
    expect(error).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")


def test_preset_switch_draws_the_sigmoid_network_with_biases(explainer, api, presets):
    spec = next(p["spec"] for p in presets["presets"] if p["id"] == "sigmoid-2-2-2")
    graph = api.post("/api/trace", json=spec).get_json()["graph"]
    bias_ids = sorted(b["id"] for b in graph["biases"])
    assert len(bias_ids) == 4  # two hidden and two output neurons, each with a bias

    page = explainer.page
    explainer.open()
    expect(page.locator('[data-node-id="n0-1"]')).to_have_count(0)
    with page.expect_response(is_trace_response):
        page.get_by_test_id("preset").select_option("sigmoid-2-2-2")
    for node_id in ("n0-0", "n0-1", "n1-0", "n1-1", "n2-0", "n2-1"):
        expect(explainer.graph.locator(f'[data-node-id="{node_id}"]').first).to_be_attached()
    for bias_id in bias_ids:
        expect(explainer.graph.locator(f'[data-bias-id="{bias_id}"]').first).to_be_attached()
    expect(explainer.graph.locator('[data-edge-id="w1-1-1"]').first).to_be_attached()
    expect(page.get_by_test_id("weight-w1-1-1")).to_have_value("0.3")


def test_an_edit_keeps_the_step_the_user_moved_to_while_it_was_traced(explainer):
    """The edited network's trace arrives after the user has moved on: the page stays where the
    user is, not where it was when the edit was sent."""
    page = explainer.page
    explainer.open(step=3)
    held = []
    page.route(TRACE_URL, lambda route: held.append(route))  # answered below, by hand
    field = page.get_by_test_id("weight-w2-0-0")
    field.fill("0.25")
    field.blur()
    page.wait_for_function("document.body.classList.contains('is-loading')")
    k = explainer.step_of("grad-w2-0-0")
    explainer.goto_step(k)
    assert len(held) == 1
    held[0].continue_()
    page.unroute(TRACE_URL)
    # The new trace is shown (0.25 * h1 = 0.25 * 3 = 0.75 on the edge) at the step moved to.
    explainer.expect_annotation("w2-0-0", "forward", "0.75", quantity="product")
    expect(page.locator("body.is-loading")).to_have_count(0)
    explainer.expect_step(k)
    expect(page).to_have_url(re.compile(rf"#step={k}&spec="))
