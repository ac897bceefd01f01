"""Exports: the current step as an SVG and a PNG slide, the trace and the network as JSON (the
network re-importable by file and by paste), the printable handout, and no script from imported text."""
import json
import re
import struct
import xml.etree.ElementTree as ET

import pytest
from conftest import downloaded
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SVG_NS = "{http://www.w3.org/2000/svg}"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def ui(calm_explainer):
    return calm_explainer


def page_trace(page, tmp_path):
    _, path = downloaded(page, "export-trace-json", tmp_path)
    return json.loads(path.read_text())


def test_svg_slide_is_standalone_xml_with_graph_formula_and_narration(ui, tmp_path):
    k = ui.step_of("grad-w1-0-0")
    ui.open(step=k)
    name, path = downloaded(ui.page, "export-svg", tmp_path)
    assert name == f"backprop-step-{k}.svg"
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("1600", "900", "0 0 1600 900")
    # The graph, with the engine's ids, styled inline (no class-based CSS needed).
    node_ids = {el.get("data-node-id") for el in root.iter() if el.get("data-node-id")}
    assert node_ids == {n["id"] for n in ui.trace["graph"]["nodes"]}
    edge_ids = {el.get("data-edge-id") for el in root.iter() if el.get("data-edge-id")}
    assert {e["id"] for e in ui.trace["graph"]["edges"]} <= edge_ids
    circles = [el for el in root.iter(f"{SVG_NS}circle") if "node-circle" in (el.get("class") or "")]
    assert circles and all("fill:" in (c.get("style") or "") for c in circles)
    assert not list(root.iter(f"{SVG_NS}style")) and not list(root.iter(f"{SVG_NS}script"))
    # The narration as SVG text (wrapped into lines, a <tspan> each) with real subscripts, and as
    # plain Unicode text in the <title>; typed by hand from the worked example.
    text_of = {el.get("data-role"): " ".join("".join(t.itertext()).replace("\u200a", "") for t in el.findall(f"{SVG_NS}tspan"))
               for el in root.iter() if el.get("data-role") in ("narration", "step")}
    assert " ".join(text_of["narration"].split()) == (
        "w11 reaches every output, so its gradient is the sum of the per-output parts, (-3.84) + (-0.96) = -4.8, "
        "the same as the error signal times the input, δ1 · x11 = (-1.6) · 3.")
    narration = next(el for el in root.iter() if el.get("data-role") == "narration")
    scripts = [t.text.replace("\u200a", "") for t in narration.iter(f"{SVG_NS}tspan") if t.get("baseline-shift") == "-22%"]
    assert scripts == ["11", "1", "11"]
    assert root.find(f"{SVG_NS}title").text.endswith(
        ": w₁₁ reaches every output, so its gradient is the sum of the per-output parts, (-3.84) + (-0.96) = -4.8, "
        "the same as the error signal times the input, δ₁ · x₁₁ = (-1.6) · 3.")
    assert text_of["step"].startswith(f"Step {k} / {ui.n_steps}")
    formula_text = "".join(next(el for el in root.iter() if el.get("data-role") == "formula").itertext())
    assert "-3.84" in formula_text.replace("−", "-") and "-0.96" in formula_text.replace("−", "-")
    assert list(root.iter("{http://www.w3.org/1998/Math/MathML}math")), "the formula as MathML"
    # The current step's values are on it.
    values = {el.text for el in root.iter(f"{SVG_NS}text") if el.get("data-for") == "w1-0-0"}
    assert "-4.8" in values


def test_png_slide_is_1600_by_900(ui, tmp_path):
    k = ui.step_of("delta-n1-0")
    ui.open(step=k)
    name, path = downloaded(ui.page, "export-png", tmp_path)
    assert name == f"backprop-step-{k}.png"
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1600, 900)
    assert len(data) > 20_000, "a slide with a graph and text, not a blank picture"


def test_trace_json_is_the_api_trace(ui, tmp_path, worked_trace):
    ui.open(step=4)
    name, path = downloaded(ui.page, "export-trace-json", tmp_path)
    assert name == "backprop-trace.json"
    assert json.loads(path.read_text()) == worked_trace


def edit_and_export_spec(ui, tmp_path):
    weight = ui.page.get_by_test_id("weight-w2-1-0")
    weight.fill("-0.35")
    weight.press("Tab")
    expect(ui.page).to_have_url(re.compile(r"#.*spec="))
    name, path = downloaded(ui.page, "export-spec-json", tmp_path)
    assert name == "backprop-network.json"
    spec = json.loads(path.read_text())
    assert spec["weights"][1][1][0] == -0.35
    return spec, path


def export_edited_and_reopen(ui, tmp_path, api):
    """Edit a weight, export the spec, reload the default network and open the import dialog.
    Returns the exported file and the API's trace of the edited spec."""
    ui.open()
    spec, path = edit_and_export_spec(ui, tmp_path)
    reference = api.post("/api/trace", json=spec).get_json()
    ui.page.goto("about:blank")
    ui.page.goto(ui.base_url + "/")
    expect(ui.page.get_by_test_id("weight-w2-1-0")).to_have_value("0.1")
    expect(ui.page.locator("body[data-ready=true]")).to_be_attached()  # the import button is wired
    ui.page.get_by_test_id("import-spec").click()
    return path, reference


def expect_edited_network(ui, tmp_path, reference):
    expect(ui.page.get_by_test_id("import-dialog")).to_be_hidden()
    expect(ui.page.get_by_test_id("weight-w2-1-0")).to_have_value("-0.35")
    expect(ui.graph).to_have_attribute("data-step-index", "1")
    assert page_trace(ui.page, tmp_path) == reference


def test_spec_json_reimports_by_file(ui, tmp_path, api):
    path, reference = export_edited_and_reopen(ui, tmp_path, api)
    expect(ui.page.get_by_test_id("import-dialog")).to_be_visible()
    ui.page.get_by_test_id("import-file").set_input_files(str(path))
    expect_edited_network(ui, tmp_path, reference)


def test_spec_json_reimports_by_paste(ui, tmp_path, api):
    path, reference = export_edited_and_reopen(ui, tmp_path, api)
    ui.page.get_by_test_id("import-text").fill(path.read_text())
    ui.page.get_by_test_id("import-submit").click()
    expect_edited_network(ui, tmp_path, reference)


def test_import_dialog_is_keyboard_operable_and_reports_bad_json(ui):
    ui.open()
    ui.page.get_by_test_id("import-spec").focus()
    ui.page.keyboard.press("Enter")
    dialog = ui.page.get_by_test_id("import-dialog")
    expect(dialog).to_be_visible()
    expect(ui.page.get_by_test_id("import-text")).to_be_focused()
    ui.page.keyboard.type('{"layers": [1, 2')
    ui.page.get_by_test_id("import-submit").click()
    expect(ui.page.get_by_test_id("import-error")).to_contain_text("not valid JSON")
    ui.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    ui.expect_step(1)


@pytest.mark.parametrize("where", ["loss", "layers", "key"])
def test_imported_markup_is_never_executed(ui, worked_spec, where):
    dialogs = []
    errors = []
    ui.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ui.page.on("pageerror", lambda exc: errors.append(str(exc)))
    ui.open(step=3)
    bad = dict(worked_spec)
    if where == "key":
        bad[XSS] = 1
    else:
        bad[where] = XSS
    ui.page.get_by_test_id("import-spec").click()
    ui.page.get_by_test_id("import-text").fill(json.dumps(bad))
    ui.page.get_by_test_id("import-submit").click()
    error = ui.page.get_by_test_id("import-error")
    expect(error).to_contain_text("not accepted")
    if where != "key":
        expect(error).to_contain_text(where)  # the API names the field
    assert ui.page.locator("[data-testid=import-dialog] img").count() == 0
    assert ui.page.locator("img[src=x]").count() == 0
    expect(ui.page.get_by_test_id("import-dialog")).to_be_visible()
    ui.page.wait_for_timeout(300)
    assert dialogs == [] and errors == []
    ui.expect_step(3)  # the network on screen is untouched


def test_the_api_names_the_field_of_injected_markup(api, worked_spec):
    response = api.post("/api/trace", json={**worked_spec, "loss": XSS})
    assert response.status_code == 400
    assert response.get_json()["field"] == "loss"


def test_handout_lists_every_step_with_math(ui, worked_trace):
    ui.open(step=5)
    link = ui.page.get_by_test_id("handout")
    assert link.get_attribute("href").endswith("#preset=worked-example")
    with ui.page.context.expect_page() as info:
        link.click()
    handout = info.value
    errors = []
    handout.on("pageerror", lambda exc: errors.append(str(exc)))
    expect(handout.locator("body")).to_have_attribute("data-ready", "true")
    steps = handout.get_by_test_id("handout-step")
    expect(steps).to_have_count(len(worked_trace["steps"]))
    ids = steps.evaluate_all("els => els.map(e => e.dataset.stepId)")
    assert ids == [s["id"] for s in worked_trace["steps"]]
    assert steps.evaluate_all("els => els.every(e => e.querySelector('math') && e.querySelector('svg [data-node-id]'))")
    first = steps.first
    expect(first).to_contain_text("Step 1")
    expect(first).to_contain_text("forward")
    expect(handout.get_by_test_id("print")).to_be_visible()
    # Print CSS: no controls on paper, steps not split across pages.
    handout.emulate_media(media="print")
    expect(handout.get_by_test_id("print")).to_be_hidden()
    assert first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    assert errors == []


def test_handout_of_an_edited_network(ui, api, worked_spec, tmp_path):
    ui.open()
    spec, _ = edit_and_export_spec(ui, tmp_path)
    reference = api.post("/api/trace", json=spec).get_json()
    href = ui.page.get_by_test_id("handout").get_attribute("href")
    assert "spec=" in href
    handout = ui.page.context.new_page()
    handout.goto(ui.base_url + href)
    steps = handout.get_by_test_id("handout-step")
    expect(steps).to_have_count(len(reference["steps"]))
    expect(handout.get_by_test_id("handout-status")).to_be_hidden()
    update = handout.locator(f'[data-step-id="{reference["steps"][-1]["id"]}"]')
    expect(update).to_contain_text("update")


def test_print_button_calls_print(ui):
    ui.page.goto(ui.base_url + "/handout#preset=worked-example")
    expect(ui.page.locator("body")).to_have_attribute("data-ready", "true")
    ui.page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    ui.page.get_by_test_id("print").click()
    expect(ui.page.locator("body")).to_have_attribute("data-printed", "yes")
