"""The Train panel: train XOR on the 2-2-1 tanh preset, read the curve, open an iteration's walkthrough."""
import pytest
from conftest import downloaded
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

K = 100  # the iteration read off the curve and opened


@pytest.fixture
def xor_run(api, presets):
    """The same run the panel asks for (its defaults: SGD, η 0.5, batches of 4, 300 iterations, no shuffle)."""
    spec = next(p["spec"] for p in presets["presets"] if p["id"] == "tanh-2-2-1")
    network = {k: v for k, v in spec.items() if k not in ("inputs", "targets")}
    body = {"network": network, "dataset": {"name": "xor", "one_hot": False},
            "optimizer": {"name": "sgd", "learning_rate": 0.5}, "batch_size": 4, "iterations": 300, "shuffle": False}
    response = api.post("/api/train", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    walkthrough = api.post("/api/trace", json={"train": body, "iteration": K}).get_json()
    step_ids = [s["id"] for s in walkthrough["steps"]]
    return {**response.get_json(), "batch_loss_step": step_ids.index("loss-batch") + 1}


def test_train_xor_read_the_curve_and_open_an_iteration(page, live_server, xor_run):
    page.goto(f"{live_server}/#preset=tanh-2-2-1")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    # Before training, the chosen dataset's points: XOR's four, two of each class.
    preview = page.get_by_test_id("train-scatter")
    expect(preview.locator("[data-sample]")).to_have_count(4)
    page.get_by_test_id("train-run").click()
    expect(page.locator(".train-results")).to_have_attribute("data-iterations", "300")
    expect(page.get_by_test_id("train-run")).to_be_enabled()
    curve = page.get_by_test_id("loss-curve")
    expect(curve).to_have_attribute("aria-label", "Loss curve: batch loss from 0.692 to 0.00104 over 300 iterations. Linear scale.")
    expect(page.get_by_test_id("decision-boundary")).to_have_attribute("data-iteration", "300")
    assert page.locator("[data-testid=decision-boundary] rect").count() == 40 * 40

    # The keyboard's way along the curve: Home, then 6 big steps (15) and 10 small ones.
    curve.focus()
    page.keyboard.press("Home")
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    readout = page.get_by_test_id("loss-readout")
    expect(readout).to_have_attribute("data-iteration", str(K))
    assert float(readout.get_attribute("data-loss")) == xor_run["history"]["loss"][K]

    # Enter opens that iteration's walkthrough; its batch loss is the curve's value there.
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("open-iteration-note")).to_have_text(f"The graph shows iteration {K}'s walkthrough.")
    batch_loss = page.locator('[data-testid=graph] [data-for="E"][data-quantity="batch-E"]').first
    page.get_by_test_id("scrubber").fill(str(xor_run["batch_loss_step"]))
    expect(page.get_by_test_id("graph")).to_have_attribute("data-step-id", "loss-batch")
    assert float(batch_loss.text_content()) == pytest.approx(xor_run["history"]["loss"][K], rel=1e-8)
    # The link records the run and the iteration, and reopens this walkthrough in a fresh page.
    assert "spec=" in page.url and page.url.endswith(f"&iter={K}")
    link = page.url
    page.goto("about:blank")
    page.goto(link)
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    # The link's step is the batch-loss step the test moved to: the same picture, reopened.
    expect(page.get_by_test_id("graph")).to_have_attribute("data-step-id", "loss-batch")
    assert float(batch_loss.text_content()) == pytest.approx(xor_run["history"]["loss"][K], rel=1e-8)
    assert "iter=" in page.get_by_test_id("handout").get_attribute("href")


def test_an_adam_iteration_opens_with_its_state_and_a_bad_rate_names_its_field(page, live_server, tmp_path):
    page.goto(f"{live_server}/#preset=tanh-2-2-1")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    page.get_by_test_id("train-learning-rate").fill("-1")
    page.get_by_test_id("train-run").click()
    expect(page.get_by_test_id("train-error")).to_contain_text("optimizer.learning_rate")
    expect(page.get_by_test_id("train-learning-rate")).to_have_attribute("aria-invalid", "true")
    page.get_by_test_id("train-learning-rate").fill("0.05")
    page.get_by_test_id("train-optimizer").select_option("adam")
    page.get_by_test_id("train-iterations").fill("50")
    page.get_by_test_id("train-run").click()
    expect(page.locator(".train-results")).to_have_attribute("data-iterations", "50")
    expect(page.get_by_test_id("train-error")).to_be_empty()
    page.get_by_test_id("open-iteration").click()
    expect(page.get_by_test_id("open-iteration-note")).to_contain_text("walkthrough")
    # The update phase writes out Adam's state: its last step's narration names it.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("End")
    expect(page.get_by_test_id("narration")).to_contain_text("Adam, step t =")
    # Its worked solution is the iteration's: the update writes out Adam's moments, not plain SGD.
    _, path = downloaded(page, "export-markdown", tmp_path)
    markdown = path.read_text(encoding="utf-8")
    assert r"\hat m_{w_{" in markdown and r"\hat v_{w_{" in markdown
