"""How the page asks for traces: a GET (cacheable) while the URL stays under 8 KB, a POST past
it; and when the server is busy (503 with Retry-After) it says so, waits and asks again."""
import base64
import json
import random

import pytest
from conftest import TRACE_URL, is_trace_request, sent_spec
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MAX_GET_URL = 8 * 1024  # the 8 KB, typed out


def get_url_length(base_url, spec):
    """The length of the GET URL the page would build for `spec`: its compact JSON in ?spec=."""
    text = json.dumps(spec, separators=(",", ":"))
    return len(f"{base_url}/api/trace?spec=") + len(base64.urlsafe_b64encode(text.encode()).rstrip(b"="))


def long_network():
    """An 8-16-16-4 network whose weights are written to 16 digits: its URL passes 8 KB."""
    rng = random.Random(4)
    layers = [8, 16, 16, 4]
    weights = [[[round(rng.uniform(-0.5, 0.5), 16) for _ in range(n_in)] for _ in range(n_out)]
               for n_in, n_out in zip(layers, layers[1:])]
    return {"layers": layers, "weights": weights, "activation": "sigmoid", "loss": "sse",
            "inputs": [0.5] * 8, "targets": [0.25] * 4}


def test_the_worked_example_is_a_get_and_a_long_network_a_post(page, live_server, worked_spec):
    requests = []
    page.on("request", lambda request: requests.append(request) if is_trace_request(request) else None)
    with page.expect_response(lambda r: is_trace_request(r.request)) as first:
        page.goto(live_server + "/")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    assert first.value.request.method == "GET"
    assert sent_spec(first.value.request) == worked_spec
    assert first.value.headers["cache-control"] == "public, max-age=86400, immutable"
    assert get_url_length(live_server, worked_spec) < MAX_GET_URL

    network = long_network()
    assert get_url_length(live_server, network) > MAX_GET_URL
    requests.clear()
    page.get_by_test_id("import-spec").click()
    page.get_by_test_id("import-text").fill(json.dumps(network))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("weight-w3-0-0")).to_be_attached()  # a third weight layer: the imported network
    assert requests, "no trace request was sent for the imported network"
    assert {r.method for r in requests} == {"POST"}
    assert all(sent_spec(r) == network for r in requests)


def test_a_busy_server_is_waited_for_and_the_edit_kept(calm_explainer):
    ex = calm_explainer
    page = ex.page
    ex.open(step=ex.step_of("grad-w2-0-0"))
    old_gradient = ex.annotation("w2-0-0", "gradient").filter(has_text="-9.6")
    expect(old_gradient.first).to_be_attached()

    answered = []

    def busy_twice(route):
        answered.append(route.request.method)
        if len(answered) <= 2:
            route.fulfill(status=503, headers={"Retry-After": "1"}, content_type="application/json",
                          body=json.dumps({"error": "the server is busy", "field": "request"}))
        else:
            route.continue_()

    page.route(TRACE_URL, busy_twice)
    weight = page.get_by_test_id("weight-w2-0-0")
    weight.fill("0.4")
    weight.press("Tab")
    status = page.get_by_test_id("status")
    expect(status).to_have_text("The server is busy; retrying in 1 s.")
    # While it waits, the last trace stays drawn and the typed value stays in its field.
    expect(old_gradient.first).to_be_attached()
    expect(weight).to_have_value("0.4")

    # By hand, with w_21 = 0.4: o_1 = 2 * 0.4 * 3 = 2.4, de_1/dw_21 = -2 (2 - 2.4) * 2 * 3 = 4.8.
    ex.expect_annotation("w2-0-0", "gradient", "4.8")
    expect(status).to_be_hidden()
    expect(weight).to_have_value("0.4")
    assert answered == ["GET", "GET", "GET"]
