"""Anything user-controlled is shown as text, never run as HTML: script-injection payloads fed
through the editor's fields, the URL hash and an imported spec must not execute."""
import base64
import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Each payload would set window.__pwned if it were ever parsed as HTML or run as script.
PAYLOADS = [
    '"><img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    "<svg onload=window.__pwned=3>",
    "javascript:window.__pwned=4",
]


def b64url(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def open_page(page, url):
    page.goto(url)
    # The buttons are in the HTML before the modules wire them: wait until the page is ready.
    expect(page.locator("body[data-ready=true]")).to_be_attached()


def assert_nothing_ran(page):
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img[src=x], script:not([src]), svg[onload]').length") == 0


@pytest.fixture
def guarded(calm_page):
    dialogs = []
    calm_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield calm_page
    assert dialogs == []


@pytest.mark.parametrize("field", ["weight-w2-0-0", "input-0", "target-1", "epsilon", "learning-rate"])
def test_editor_fields(guarded, live_server, field):
    page = guarded
    open_page(page, live_server + "/")
    box = page.get_by_test_id(field)
    # Every payload in turn into the same field: each is rejected at the field, none runs.
    for payload in PAYLOADS:
        box.fill(payload)
        box.press("Tab")
        expect(page.locator("[data-error-for]").first).to_be_visible()
        assert_nothing_ran(page)
        expect(box).to_have_value(payload)  # what was typed stays, as typed


@pytest.mark.parametrize("payload", PAYLOADS)
def test_url_hash(guarded, live_server, payload):
    page = guarded
    # A tampered spec whose unknown key is the payload: the server's message quotes it back.
    spec = {"layers": [1, 1, 2], payload: payload, "weights": [[[0.5]], [[0.2], [0.1]]],
            "inputs": [3], "targets": [2, 1]}
    # step, preset and mode are read independently, so one hash carries the payload in all three.
    for fragment in (f"#step={payload}&preset={payload}&mode={payload}", f"#{payload}",
                     f"#spec={b64url(json.dumps(spec))}"):
        page.goto("about:blank")
        open_page(page, f"{live_server}/{fragment}")
        expect(page.locator("[data-testid=graph] svg [data-node-id]").first).to_be_attached()
        assert_nothing_ran(page)
    # The server's message for the tampered spec quotes the payload, and the page shows it as text.
    expect(page.get_by_test_id("notice")).to_be_visible()
    assert payload in page.get_by_test_id("notice").inner_text()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_imported_spec(guarded, live_server, payload):
    page = guarded
    open_page(page, live_server + "/")
    page.get_by_test_id("import-spec").click()
    text = json.dumps({"layers": [1, 1, 2], "weights": None, "seed": 1, "inputs": [3], "targets": [2, 1],
                       "loss": payload})
    page.get_by_test_id("import-text").fill(text)
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-error")).to_contain_text("loss")
    assert_nothing_ran(page)
