"""Mini-batches and softmax on the page (issue 9): the XOR batch walked with the sample switcher,
each sample's inputs on the graph, the accumulate steps with every sample's gradient and their
mean, the link that keeps the sample shown; the softmax preset's frame and its shortcut delta."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The XOR truth table, by hand: sample n's inputs and target.
XOR = [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((1, 1), 0)]


@pytest.fixture
def xor_trace(api, presets):
    spec = next(p["spec"] for p in presets["presets"] if p["id"] == "xor-batch")
    return api.post("/api/trace", json=spec).get_json()


def step_number(trace, step_id):
    return [s["id"] for s in trace["steps"]].index(step_id) + 1


def open_at(page, live_server, hash_):
    page.goto("about:blank")
    page.goto(f"{live_server}/#{hash_}")
    expect(page.locator("body[data-ready=true]")).to_be_attached()


def input_values(page):
    return page.evaluate("""() => [...document.querySelectorAll('.stack-line.given.input')]
        .map((g) => [g.querySelector('.cap').textContent.replace(/\\s/g, ''), g.querySelector('.val').textContent])""")


def test_the_switcher_moves_to_the_same_step_of_another_sample(calm_page, live_server, xor_trace):
    page = calm_page
    k = step_number(xor_trace, "s2-fwd-w1-1-1")
    open_at(page, live_server, f"preset=xor-batch&step={k}")
    graph = page.get_by_test_id("graph")
    expect(graph).to_have_attribute("data-step-id", "s2-fwd-w1-1-1")
    switcher = page.get_by_test_id("sample-switcher")
    expect(switcher).to_have_value("2")
    assert [o.split(":")[0] for o in switcher.locator("option").all_inner_texts()] == ["1", "2", "3", "4"]
    # Sample 3 is XOR's (1, 0): its inputs, named x_31 and x_32, label the input nodes.
    assert input_values(page) == [["x31=", "1"], ["x32=", "0"]]
    switcher.select_option("3")
    expect(graph).to_have_attribute("data-step-id", "s3-fwd-w1-1-1")
    assert input_values(page) == [["x41=", "1"], ["x42=", "1"]]
    expect(page.locator("[data-node-id=n0-0] .node-sym")).to_have_text("x41")


def test_accumulate_shows_each_samples_gradient_and_their_mean(calm_page, live_server, xor_trace):
    page = calm_page
    k = step_number(xor_trace, "acc-w2-0-0")
    open_at(page, live_server, f"preset=xor-batch&step={k}")
    labels = page.locator('[data-for="w2-0-0"][data-kind="gradient"]')
    quantities = labels.evaluate_all("els => els.map((e) => e.dataset.quantity)")
    assert {"grad-s1", "grad-s2", "grad-s3", "grad-s4", "batch"} <= set(quantities)
    values = {q: float(v) for q, v in labels.evaluate_all(
        "els => els.map((e) => [e.dataset.quantity, e.textContent])")}
    # The batch gradient is the mean of the four samples' (the page shows 9 significant digits).
    mean = sum(values[f"grad-s{n}"] for n in range(1, 5)) / 4
    assert values["batch"] == pytest.approx(mean, abs=2e-9)
    expect(page.get_by_test_id("narration")).to_contain_text("mean of the gradients the 4 samples")


def test_on_a_batch_step_the_keys_choose_the_sample_and_the_link_keeps_it(calm_page, live_server, xor_trace):
    page = calm_page
    k = step_number(xor_trace, "acc-w1-0-0")
    open_at(page, live_server, f"preset=xor-batch&step={k}")
    assert input_values(page) == [["x11=", "0"], ["x12=", "0"]]
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("]")
    page.keyboard.press("]")
    expect(page.get_by_test_id("sample-switcher")).to_have_value("2")
    expect(page.get_by_test_id("graph")).to_have_attribute("data-step-index", str(k))  # the step stays
    assert input_values(page) == [["x31=", "1"], ["x32=", "0"]]
    expect(page).to_have_url(f"{live_server}/#step={k}&sample=3&preset=xor-batch")
    # The link opens the same picture in a fresh page.
    open_at(page, live_server, f"step={k}&sample=3&preset=xor-batch")
    assert input_values(page) == [["x31=", "1"], ["x32=", "0"]]
    expect(page.get_by_test_id("sample-switcher")).to_have_value("2")


def test_a_one_sample_walkthrough_has_no_switcher(explainer):
    explainer.open()
    expect(explainer.page.get_by_test_id("sample-switch")).to_be_hidden()


def test_softmax_frame_and_the_shortcut_delta(calm_page, live_server, api, presets):
    page = calm_page
    spec = next(p["spec"] for p in presets["presets"] if p["id"] == "softmax-2-3-3")
    trace = api.post("/api/trace", json=spec).get_json()
    k = step_number(trace, "shortcut-n2-1")
    open_at(page, live_server, f"preset=softmax-2-3-3&step={k}")
    expect(page.get_by_test_id("softmax-group")).to_be_visible()
    # delta_22 = o_2 - t_2, by hand from the output the page shows and the target 1.
    o2 = float(page.locator('[data-for="n2-1"][data-quantity="h"]').text_content())
    delta = float(page.locator('[data-for="n2-1"][data-quantity="delta"]').text_content())
    assert delta == pytest.approx(o2 - 1.0, abs=2e-9)
    expect(page.get_by_test_id("narration")).to_contain_text("collapse")
    expect(page.get_by_test_id("formula")).to_contain_text("route")
