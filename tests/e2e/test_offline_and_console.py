"""The page works offline (no request leaves 127.0.0.1) and logs no errors over a walkthrough and an edit."""
from urllib.parse import urlsplit

import pytest
from conftest import is_trace_response

pytestmark = pytest.mark.e2e

LOCAL_SCHEMES = {"data", "blob", "about"}


def test_no_request_leaves_localhost_and_no_console_errors(explainer):
    page = explainer.page
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))

    explainer.open()
    for k in range(2, explainer.n_steps + 1):
        explainer.press("ArrowRight")
        explainer.expect_step(k)

    field = page.get_by_test_id("weight-w2-0-0")
    with page.expect_response(is_trace_response) as info:
        field.fill("0.4")
        field.blur()
    assert info.value.ok
    explainer.goto_step(1)

    assert requests, "no requests were recorded"
    outside = [url for url in requests
               if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname != "127.0.0.1"]
    assert outside == []
    assert errors == []
