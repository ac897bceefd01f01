"""Screenshots of the worked example at a forward, a backward and a check step.

With UPDATE_SCREENSHOTS=1 they replace static/screenshots/*.png (the README's pictures); otherwise they
go to a temporary folder, so a plain test run never touches the repository."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SHOTS = [("forward", "act-n1-0"), ("backward", "grad-w1-0-0"), ("check", "check-n1-0")]


@pytest.fixture
def screenshot_dir(tmp_path):
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folder = REPO / "static" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path


@pytest.mark.parametrize("name, step_id", SHOTS)
def test_screenshot(calm_explainer, screenshot_dir, name, step_id):
    ui = calm_explainer
    ui.open(step=ui.step_of(step_id))
    expect(ui.graph).to_have_attribute("data-step-id", step_id)
    expect(ui.graph.locator("svg").first).to_be_visible()
    box = ui.graph.locator("svg").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    ui.settled_svg()
    path = screenshot_dir / f"{name}.png"
    ui.page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
