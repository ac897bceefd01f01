"""Shareable links: the URL hash holds the step, the mode and the network; a link opened in a fresh
browser context restores that view; a tampered hash falls back to the default network with a notice."""
import base64
import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def Explainer(explainer):
    """The conftest's Explainer class (page, base_url, trace), for pages of other contexts."""
    return type(explainer)


def b64url(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def watch_errors(page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A 400 for a rejected network is the expected answer; Chromium logs it as a failed load.
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "status of 400" not in msg.text else None)
    return errors


def open_link(page, url):
    page.goto(url)
    expect(page.get_by_test_id("graph").locator("svg [data-node-id]").first).to_be_attached()
    expect(page.locator("body[data-ready=true]")).to_be_attached()


def test_link_restores_step_and_edited_network_in_a_new_context(Explainer, new_page, live_server, api, worked_spec):
    page = new_page(reduced_motion="reduce")
    ui = Explainer(page, live_server, api.post("/api/trace", json=worked_spec).get_json()).open()
    weight = page.get_by_test_id("weight-w2-0-0")
    weight.fill("0.25")
    weight.press("Tab")
    # The edited network's trace: the product on w2-0-0 is 0.25 * h_1 = 0.25 * 3 = 0.75.
    edited = {**worked_spec, "weights": [[[0.5]], [[0.25], [0.1]]]}
    reference = api.post("/api/trace", json=edited).get_json()
    ui.trace = reference
    k = ui.step_of("grad-w2-0-0")
    ui.goto_step(k)
    ui.expect_annotation("w2-0-0", "forward", "0.75", quantity="product")
    expect(page).to_have_url(re.compile(r"#.*spec="))
    url = page.url
    step_id = ui.step_id()
    gradient = ui.annotation("w2-0-0", "gradient", "grad").first.text_content()

    fresh = new_page(reduced_motion="reduce")  # a new context: nothing shared but the URL
    errors = watch_errors(fresh)
    open_link(fresh, url)
    again = Explainer(fresh, live_server, reference)
    again.expect_step(k)
    assert again.step_id() == step_id == "grad-w2-0-0"
    expect(fresh.get_by_test_id("weight-w2-0-0")).to_have_value("0.25")
    again.expect_annotation("w2-0-0", "gradient", gradient, quantity="grad")
    again.expect_annotation("w2-0-0", "forward", "0.75", quantity="product")
    expect(fresh.get_by_test_id("notice")).to_be_hidden()
    assert errors == []


def test_unedited_preset_is_linked_by_its_id(explainer):
    explainer.open(step=5)
    expect(explainer.page).to_have_url(re.compile(r"#step=5&preset=worked-example$"))


def test_the_worked_example_spec_round_trips_through_the_hash(page, live_server, worked_spec):
    page.goto(live_server + "/")
    back = page.evaluate("""async (spec) => {
        const { encodeHash, decodeHash } = await import(new URL("urlstate.js", document.querySelector("script[type=module][src]").src));
        const hash = encodeHash({ step: 3, mode: "quiz", spec });
        return { hash, state: decodeHash(hash) };
    }""", worked_spec)
    assert back["state"]["spec"] == worked_spec
    assert back["state"]["step"] == 3 and back["state"]["mode"] == "quiz" and back["state"]["invalid"] == []
    assert len(back["hash"]) < 400, "the worked example's link should stay short"


def test_spec_link_opens_that_network(Explainer, new_page, live_server, api, presets):
    spec = next(p["spec"] for p in presets["presets"] if p["id"] == "tanh-2-2-1")
    spec = {**spec, "inputs": [0.75, 0.5]}
    reference = api.post("/api/trace", json=spec).get_json()
    page = new_page()
    open_link(page, f"{live_server}/#step=4&spec={b64url(json.dumps(spec))}")
    ui = Explainer(page, live_server, reference)
    ui.expect_step(4)
    assert ui.step_id() == reference["steps"][3]["id"]
    expect(page.get_by_test_id("input-0")).to_have_value("0.75")


def test_lecture_mode_survives_the_link(Explainer, new_page, live_server, worked_trace):
    page = new_page()
    open_link(page, f"{live_server}/#step=7&mode=lecture&preset=worked-example")
    expect(page.locator("body")).to_have_attribute("data-mode", "lecture")
    Explainer(page, live_server, worked_trace).expect_step(7)
    expect(page).to_have_url(re.compile(r"mode=lecture"))
    other = new_page()
    open_link(other, f"{live_server}/#step=2")
    expect(other.locator("body")).to_have_attribute("data-mode", "normal")
    expect(other).not_to_have_url(re.compile(r"mode="))


TAMPERED = [
    ("garbage spec", "step=3&spec=%%%not-base64!!"),
    ("base64 of no JSON", "step=3&spec=" + b64url("{'layers': [1, 2")),
    ("JSON but not a network", "step=2&spec=" + b64url(json.dumps({"layers": "many", "weights": 7}))),
    ("a JSON list", "spec=" + b64url("[1, 2, 3]")),
    ("unknown preset", "step=4&preset=no-such-net"),
    ("bad preset name", "preset=%3Cscript%3E"),
    ("huge step", "step=99999999999999999999&preset=worked-example"),
    ("step past the end", "step=500&preset=worked-example"),
    ("bad mode", "mode=party&preset=worked-example"),
]


@pytest.mark.parametrize("name, fragment", TAMPERED, ids=[t[0] for t in TAMPERED])
def test_tampered_hash_falls_back_with_a_notice(Explainer, new_page, live_server, worked_trace, name, fragment):
    page = new_page()
    errors = watch_errors(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_link(page, f"{live_server}/#{fragment}")
    notice = page.get_by_test_id("notice")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("could not be fully restored")
    # The default network is drawn (the worked example's nodes and its first product).
    ui = Explainer(page, live_server, worked_trace)
    for node in ("n0-0", "n1-0", "n2-0", "n2-1", "E"):
        expect(page.locator(f'[data-testid=graph] [data-node-id="{node}"]')).to_have_count(1)
    expect(page.get_by_test_id("preset")).to_have_value("worked-example")
    assert 1 <= ui.step_index() <= ui.n_steps
    expect(page.locator("body")).to_have_attribute("data-mode", "normal")
    # Dismissible, and nothing from the hash ever became markup.
    page.get_by_test_id("notice-dismiss").click()
    expect(notice).to_be_hidden()
    assert page.locator("script:not([src])").count() == 0
    assert errors == [] and dialogs == []


def test_server_rejected_spec_names_the_field_in_the_notice(new_page, live_server, worked_spec):
    bad = {**worked_spec, "loss": "<img src=x onerror=alert(1)>"}
    page = new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_link(page, f"{live_server}/#step=9&spec={b64url(json.dumps(bad))}")
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("loss")
    expect(notice).to_contain_text("<img src=x onerror=alert(1)>")  # shown as text
    assert page.locator("[data-testid=notice] img").count() == 0
    expect(page.get_by_test_id("graph")).to_have_attribute("data-step-index", "1")
    assert dialogs == []


def test_copy_link_puts_the_page_url_on_the_clipboard(Explainer, new_page, live_server, worked_trace):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    ui = Explainer(page, live_server, worked_trace).open(step=6)
    page.get_by_test_id("copy-link").click()
    expect(page.get_by_test_id("copy-link-status")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url
    assert "step=6" in copied and "preset=worked-example" in copied
    ui.expect_step(6)


def test_copy_link_without_clipboard_offers_the_link_selected(Explainer, new_page, live_server, worked_trace):
    page = new_page()
    Explainer(page, live_server, worked_trace).open(step=3)
    page.evaluate("Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true })")
    page.get_by_test_id("copy-link").click()
    field = page.get_by_test_id("copy-link-text")
    expect(field).to_be_visible()
    expect(field).to_have_value(page.url)
    assert page.evaluate("""() => { const f = document.querySelector('[data-testid=copy-link-text]');
        return f.readOnly && f.selectionStart === 0 && f.selectionEnd === f.value.length; }""")


def test_editing_the_hash_by_hand_follows_it(explainer):
    explainer.open(step=2)
    explainer.page.evaluate("location.hash = 'step=9&preset=sigmoid-2-2-2'")
    expect(explainer.page.get_by_test_id("preset")).to_have_value("sigmoid-2-2-2")
    expect(explainer.graph).to_have_attribute("data-step-index", "9")
