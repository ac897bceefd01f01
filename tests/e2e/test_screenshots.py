"""The README's screenshots: the worked example at a forward, a backward and a check step, a
backward step of relu-3-4-2, a check step in lecture mode (1920x1080 and 1280x720), quiz mode and
the handout. Each is also a smoke test of its screen (drawn, settled, a real PNG).

With UPDATE_SCREENSHOTS=1 they replace static/screenshots/*.png; otherwise they go to a temporary
folder, so a plain test run never touches the repository."""
import os
from pathlib import Path

import pytest
from conftest import SERIALIZE_SVG
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# name -> (preset, step id, mode, viewport)
SHOTS = {
    "forward": ("worked-example", "act-n1-0", "normal", (1440, 900)),
    "backward": ("worked-example", "grad-w1-0-0", "normal", (1440, 900)),
    "check": ("worked-example", "check-n1-0", "normal", (1440, 900)),
    "relu-backward": ("relu-3-4-2", "gradk1-w1-1-0", "normal", (1440, 900)),
    "lecture": ("worked-example", "check-n1-0", "lecture", (1920, 1080)),
    "lecture-relu-720": ("relu-3-4-2", "grad-w2-0-1", "lecture", (1280, 720)),
    "quiz": ("worked-example", "grad-w2-0-0", "quiz", (1440, 900)),
}


@pytest.fixture
def screenshot_dir(tmp_path):
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        folder = REPO / "static" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path


def settle(page):
    """Two reads of the graph 100 ms apart agree (fonts, remounts and pulses are done)."""
    svg = page.get_by_test_id("graph").locator("svg").first
    previous = svg.evaluate(SERIALIZE_SVG)
    for _ in range(50):
        page.wait_for_timeout(100)
        current = svg.evaluate(SERIALIZE_SVG)
        if current == previous:
            return
        previous = current
    raise AssertionError("the graph kept changing for 5 s")


def saved(path):
    assert path.stat().st_size > 10_000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshot(new_page, live_server, api, presets, screenshot_dir, name):
    preset, step_id, mode, (width, height) = SHOTS[name]
    spec = {p["id"]: p["spec"] for p in presets["presets"]}[preset]
    steps = [s["id"] for s in api.post("/api/trace", json=spec).get_json()["steps"]]
    k = steps.index(step_id) + 1
    page = new_page(viewport={"width": width, "height": height}, reduced_motion="reduce")
    page.goto(f"{live_server}/#step={k}&preset={preset}" + ("" if mode == "normal" else f"&mode={mode}"))
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("graph")).to_have_attribute("data-step-id", step_id)
    expect(page.locator("body")).to_have_attribute("data-mode", mode)
    settle(page)
    path = screenshot_dir / f"{name}.png"
    page.screenshot(path=str(path))
    saved(path)


def test_handout_screenshot(new_page, live_server, screenshot_dir):
    page = new_page(viewport={"width": 1200, "height": 1500}, reduced_motion="reduce")
    page.goto(f"{live_server}/handout#preset=worked-example")
    expect(page.get_by_test_id("handout-step").first).to_be_visible()
    expect(page.get_by_test_id("handout-step").nth(14).locator("svg [data-node-id]").first).to_be_attached()
    page.get_by_test_id("handout-step").nth(14).scroll_into_view_if_needed()
    path = screenshot_dir / "handout.png"
    page.screenshot(path=str(path))
    saved(path)
