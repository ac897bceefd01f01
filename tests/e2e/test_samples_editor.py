"""The samples editor: one sample or a mini-batch, its table, filling it from a dataset, the scatter plot.

Expected values are worked out by hand: the XOR truth table, the datasets' definitions (xor2d: class 1
where x1 and x2 have the same sign; XOR one-hot: class 0 is [1, 0], class 1 is [0, 1]).
"""
import json
import re

import pytest
from conftest import is_trace_response, sent_spec
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

XOR = [([0, 0], [0]), ([0, 1], [1]), ([1, 0], [1]), ([1, 1], [0])]


@pytest.fixture
def batch_page(page, live_server):
    """The page showing the xor-batch preset, every control wired."""
    page.goto(live_server + "/#preset=xor-batch")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("sample-mode-batch")).to_be_checked()
    return page


def rows(page):
    return page.get_by_test_id("samples-table").locator("tbody tr.sample-row")


def cell(page, n, part, i):
    return page.get_by_test_id(f"sample-{n}-{part}-{i}")


def table_values(page):
    """[(inputs, targets)] as the table shows them, as numbers."""
    def numbers(prefix):
        return [float(v) for v in page.locator(f"[data-testid^='{prefix}']").evaluate_all("els => els.map(e => e.value)")]
    count = rows(page).count()
    return [(numbers(f"sample-{n}-input-"), numbers(f"sample-{n}-target-")) for n in range(count)]


def edit(page, testid, text):
    """Type into a field and leave it; returns the trace request it sent (its JSON body) and response."""
    field = page.get_by_test_id(testid)
    with page.expect_response(is_trace_response) as info:
        field.fill(text)
        field.blur()
    return sent_spec(info.value.request), info.value


def click_and_trace(page, testid):
    with page.expect_response(is_trace_response) as info:
        page.get_by_test_id(testid).click()
    return sent_spec(info.value.request), info.value


def counter(page):
    """(k, total) of the step counter."""
    k, total = re.fullmatch(r"(\d+) / (\d+)", page.get_by_test_id("step-counter").inner_text()).groups()
    return int(k), int(total)


def test_the_xor_batch_preset_shows_the_truth_table(batch_page):
    page = batch_page
    expect(rows(page)).to_have_count(4)
    assert table_values(page) == [([float(x) for x in xs], [float(t) for t in ts]) for xs, ts in XOR]
    expect(page.get_by_test_id("reduction")).to_have_value("mean")
    # Two inputs: the scatter plot has the four corners of the unit square, two of each class.
    scatter = page.get_by_test_id("samples-scatter")
    expect(scatter).to_be_visible()
    expect(scatter).to_have_attribute("role", "img")
    expect(scatter).to_have_attribute("aria-label", re.compile(r"4 samples.*2 with t₁ = 0, 2 with t₁ = 1"))
    expect(scatter.locator("circle.scatter-dot")).to_have_count(4)
    classes = scatter.locator("circle.scatter-dot").evaluate_all(
        "els => els.map(e => [Number(e.dataset.sample), e.classList.contains('class-1') ? 1 : 0])")
    assert sorted(map(tuple, classes)) == [(n, ts[0]) for n, (_, ts) in enumerate(XOR)]
    # Headers in the document's notation: x_{n1}, x_{n2}, t_1.
    headers = page.get_by_test_id("samples-table").locator("thead th .sym")
    expect(headers).to_have_text(["xn1", "xn2", "t1"])
    # The single-sample fields are not in the form while the batch is shown.
    expect(page.get_by_test_id("input-0")).to_be_hidden()
    # The page itself does not scroll (only the side column does), table or not.
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight")


def test_an_edited_target_is_traced_again_and_the_step_stays(batch_page):
    page = batch_page
    page.get_by_test_id("scrubber").fill("10")
    expect(page.get_by_test_id("step-counter")).to_have_text(re.compile(r"^10 / \d+$"))
    _, total = counter(page)

    body, response = edit(page, "sample-3-target-0", "1")
    assert response.ok
    assert "inputs" not in body and "targets" not in body
    assert body["samples"][3] == {"inputs": [1, 1], "targets": [1]}
    assert body["reduction"] == "mean"
    # The same network shape gives as many steps; the walkthrough stays where it was.
    expect(page.get_by_test_id("step-counter")).to_have_text(f"10 / {total}")
    expect(page.get_by_test_id("sample-switcher").locator("option").nth(3)).to_have_text("4: x = (1, 1), t = 1")
    expect(cell(page, 3, "target", 0)).to_have_value("1")


def test_a_row_is_added_and_removed(batch_page):
    page = batch_page
    body, response = click_and_trace(page, "add-sample")
    assert response.ok
    expect(rows(page)).to_have_count(5)
    assert body["samples"][4] == {"inputs": [0, 0], "targets": [0]}
    expect(cell(page, 4, "input", 0)).to_be_focused()
    expect(page.get_by_test_id("sample-switcher").locator("option")).to_have_count(5)
    expect(page.get_by_test_id("samples-scatter").locator("circle.scatter-dot")).to_have_count(5)

    # Removing the second row, (0, 1) -> 1, moves the later ones up.
    body, response = click_and_trace(page, "remove-sample-1")
    assert response.ok
    expect(rows(page)).to_have_count(4)
    assert [s["inputs"] for s in body["samples"]] == [[0, 0], [1, 0], [1, 1], [0, 0]]
    assert table_values(page) == [([0.0, 0.0], [0.0]), ([1.0, 0.0], [1.0]), ([1.0, 1.0], [0.0]), ([0.0, 0.0], [0.0])]
    expect(page.get_by_test_id("sample-switcher").locator("option")).to_have_count(4)


def test_a_bad_cell_gets_the_servers_error_at_that_cell_and_keeps_its_text(batch_page):
    page = batch_page
    field = "samples[2].inputs[1]"
    body, response = edit(page, "sample-2-input-1", "abc")
    assert response.status == 400
    assert body["samples"][2]["inputs"] == [1, "abc"]
    error = page.locator(f'[data-error-for="{field}"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text(field)
    box = cell(page, 2, "input", 1)
    expect(box).to_have_value("abc")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_attribute("aria-describedby", "sample-2-input-1-error")
    # The message sits in the row right under the cell's row.
    assert rows(page).nth(2).evaluate("tr => tr.nextElementSibling.contains(document.getElementById('sample-2-input-1-error'))")

    _, response = edit(page, "sample-2-input-1", "0")
    assert response.ok
    expect(error).to_have_count(0)
    expect(box).not_to_have_attribute("aria-invalid", "true")


def test_switching_to_one_sample_keeps_the_first_row_and_back_brings_the_batch(batch_page):
    page = batch_page
    cell_text = "0.25"
    edit(page, "sample-0-input-1", cell_text)
    body, _ = click_and_trace(page, "sample-mode-one")
    assert "samples" not in body and "reduction" not in body
    assert body["inputs"] == [0, 0.25] and body["targets"] == [0]
    expect(page.get_by_test_id("input-1")).to_have_value(cell_text)
    expect(page.get_by_test_id("samples-table")).to_be_hidden()
    expect(page.get_by_test_id("sample-switch")).to_be_hidden()

    body, _ = click_and_trace(page, "sample-mode-batch")
    assert [s["inputs"] for s in body["samples"]] == [[0, 0.25], [0, 1], [1, 0], [1, 1]]
    expect(rows(page)).to_have_count(4)


def test_layer_sizes_resize_every_row_and_bring_dropped_columns_back(batch_page):
    page = batch_page
    body, _ = edit(page, "layer-size-0", "3")
    assert [s["inputs"] for s in body["samples"]] == [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0]]
    expect(page.get_by_test_id("samples-scatter")).to_be_hidden()  # three inputs: no 2-D plot
    edit(page, "sample-1-input-2", "5")
    body, _ = edit(page, "layer-size-0", "2")
    assert [s["inputs"] for s in body["samples"]] == [[0, 0], [0, 1], [1, 0], [1, 1]]
    expect(page.get_by_test_id("samples-scatter")).to_be_visible()
    body, _ = edit(page, "layer-size-0", "3")
    assert body["samples"][1]["inputs"] == [0, 1, 5]
    expect(cell(page, 1, "input", 2)).to_have_value("5")


def fill_dataset(page, dataset, n=None, one_hot=None):
    page.get_by_test_id("dataset-select").select_option(dataset)
    if n is not None:
        page.get_by_test_id("dataset-n").fill(str(n))
    if one_hot is not None:
        page.get_by_test_id("dataset-one-hot").set_checked(one_hot)
    return click_and_trace(page, "dataset-fill")


def test_filling_from_xor2d_gives_twenty_rows_and_twenty_dots(batch_page):
    page = batch_page
    body, response = fill_dataset(page, "xor2d", n=20)
    assert response.ok
    expect(rows(page)).to_have_count(20)
    assert len(body["samples"]) == 20
    # xor2d without noise: class 1 exactly where the two inputs have the same sign; the positive
    # class gets ceil(20 / 2) = 10 samples.
    values = table_values(page)
    assert all(ts == [1.0 if xs[0] * xs[1] >= 0 else 0.0] for xs, ts in values)
    assert sum(ts[0] for _, ts in values) == 10
    scatter = page.get_by_test_id("samples-scatter")
    expect(scatter.locator("circle.scatter-dot")).to_have_count(20)
    expect(scatter.locator("circle.scatter-dot.class-1")).to_have_count(10)
    expect(scatter).to_have_attribute("aria-label", re.compile(r"20 samples.*10 with t₁ = 0, 10 with t₁ = 1"))
    expect(page.get_by_test_id("dataset-note")).to_have_text(re.compile(r"20 samples"))
    # Same layer sizes (2 -> 1): no resizing to mention.
    expect(page.get_by_test_id("dataset-note")).not_to_contain_text("layer")
    expect(page.get_by_test_id("sample-switcher").locator("option")).to_have_count(20)


def test_filling_from_one_hot_xor_gives_the_output_layer_two_neurons(batch_page):
    page = batch_page
    body, response = fill_dataset(page, "xor", one_hot=True)
    assert response.ok
    expect(page.get_by_test_id("layer-size-2")).to_have_value("2")
    assert body["layers"] == [2, 2, 2]
    # One-hot XOR: class 0 -> [1, 0], class 1 -> [0, 1].
    assert table_values(page) == [([0.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]),
                                  ([1.0, 0.0], [0.0, 1.0]), ([1.0, 1.0], [1.0, 0.0])]
    expect(page.get_by_test_id("dataset-note")).to_contain_text("output layer now has 2 neurons")
    expect(page.get_by_test_id("graph").locator('[data-node-id="n2-1"]').first).to_be_attached()
    expect(page.get_by_test_id("samples-scatter").locator("circle.scatter-dot.class-1")).to_have_count(2)


def test_dataset_errors_name_the_field_next_to_the_form(batch_page):
    page = batch_page
    page.get_by_test_id("dataset-select").select_option("circle")
    # More than a mini-batch holds: said before asking the server.
    page.get_by_test_id("dataset-n").fill("40")
    page.get_by_test_id("dataset-fill").click()
    expect(page.get_by_test_id("dataset-error")).to_contain_text("n must be at most 32")
    expect(page.get_by_test_id("dataset-n")).to_have_attribute("aria-invalid", "true")
    # A noise past its limit: the server's 400 names it.
    page.get_by_test_id("dataset-n").fill("8")
    page.get_by_test_id("dataset-noise").fill("2")
    with page.expect_response(lambda r: "/api/datasets/circle" in r.url) as info:
        page.get_by_test_id("dataset-fill").click()
    assert info.value.status == 400
    expect(page.get_by_test_id("dataset-error")).to_contain_text("noise")
    expect(page.get_by_test_id("dataset-noise")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("dataset-n")).not_to_have_attribute("aria-invalid", "true")
    expect(rows(page)).to_have_count(4)  # the table is left as it was


def test_the_scatter_rings_the_sample_the_walkthrough_shows(batch_page):
    page = batch_page
    scatter = page.get_by_test_id("samples-scatter")
    expect(scatter.locator("circle.is-shown")).to_have_attribute("data-sample", "0")
    page.get_by_test_id("sample-switcher").select_option("2")
    expect(scatter.locator("circle.is-shown")).to_have_attribute("data-sample", "2")
    expect(rows(page).nth(2)).to_have_class(re.compile(r"\bis-shown\b"))
    # A click on a dot shows that sample.
    scatter.locator('circle[data-sample="3"]').click()
    expect(page.get_by_test_id("sample-switcher")).to_have_value("3")
    expect(scatter.locator("circle.is-shown")).to_have_attribute("data-sample", "3")


def test_an_imported_spec_with_samples_shows_the_table(page, live_server):
    page.goto(live_server + "/")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("sample-mode-one")).to_be_checked()
    spec = {"layers": [2, 1], "weights": [[[0.5, -0.5]]], "activations": ["linear"], "loss": "sse",
            "samples": [{"inputs": [1, 2], "targets": [3]}, {"inputs": [4, 5], "targets": [6]}], "reduction": "sum"}
    page.get_by_test_id("import-spec").click()
    page.get_by_test_id("import-text").fill(json.dumps(spec))
    with page.expect_response(is_trace_response):
        page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("sample-mode-batch")).to_be_checked()
    expect(rows(page)).to_have_count(2)
    assert table_values(page) == [([1.0, 2.0], [3.0]), ([4.0, 5.0], [6.0])]
    expect(page.get_by_test_id("reduction")).to_have_value("sum")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_in_the_batch_editor(new_page, live_server, theme):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = new_page(color_scheme=theme, reduced_motion="reduce")
    page.goto(live_server + "/#preset=xor-batch")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("dataset-select")).to_be_enabled()
    # With an error in the table too: its row and the invalid cell are scanned as well.
    edit(page, "sample-1-target-0", "abc")
    expect(page.locator('[data-error-for="samples[1].targets[0]"]')).to_be_visible()
    violations = axe.Axe().run(page).response["violations"]
    assert [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:5]]}" for v in violations] == []


def test_choosing_presets_switches_between_the_table_and_one_sample(page, live_server):
    page.goto(live_server + "/")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("samples-table")).to_be_hidden()
    with page.expect_response(is_trace_response) as info:
        page.get_by_test_id("preset").select_option("xor-batch")
    assert info.value.ok
    expect(rows(page)).to_have_count(4)
    expect(page.get_by_test_id("sample-switch")).to_be_visible()
    with page.expect_response(is_trace_response):
        page.get_by_test_id("preset").select_option("worked-example")
    expect(page.get_by_test_id("sample-mode-one")).to_be_checked()
    expect(page.get_by_test_id("samples-table")).to_be_hidden()
    expect(page.get_by_test_id("input-0")).to_be_visible()
