"""The server goes away mid-walkthrough: the page keeps its trace, says so, keeps the edits and
retries; when the server is back the pending edit lands. Also: overflowed values get a warning."""
import re
import threading

import pytest
from conftest import TRACE_URL
from playwright.sync_api import expect
from werkzeug.serving import make_server

from webapp import create_app

pytestmark = pytest.mark.e2e


class RestartableServer:
    """A live server that can be stopped and started again on the same port."""

    def __init__(self):
        self.app = create_app({"TESTING": True})
        self.port = 0
        self.start()

    def start(self):
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def restartable():
    server = RestartableServer()
    yield server
    server.stop()


def test_server_restart_under_an_open_page(restartable, calm_page, worked_trace):
    page = calm_page
    page_errors = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    step = next(k for k, s in enumerate(worked_trace["steps"], 1) if s["id"] == "grad-w2-0-0")
    page.goto(f"{restartable.url}/#step={step}")
    gradient = page.locator('[data-for="w2-0-0"][data-kind="gradient"]').filter(has_text=re.compile(r"^-9\.6$"))
    expect(gradient.first).to_be_attached()

    restartable.stop()
    weight = page.get_by_test_id("weight-w2-0-0")
    weight.fill("0.4")
    weight.press("Tab")
    status = page.get_by_test_id("status")
    expect(status).to_contain_text("cannot be reached")
    # The last trace stays drawn, at the same step, and the typed value stays in its field.
    expect(gradient.first).to_be_attached()
    expect(page.get_by_test_id("step-counter")).to_have_text(f"{step} / {len(worked_trace['steps'])}")
    expect(weight).to_have_value("0.4")

    restartable.start()
    # By hand, with w_21 = 0.4: o_1 = 2 * 0.4 * 3 = 2.4, de_1/do_1 = -2 (2 - 2.4) = 0.8,
    # de_1/dw_21 = 0.8 * 2 * 3 = 4.8.
    new_gradient = page.locator('[data-for="w2-0-0"][data-kind="gradient"]').filter(has_text=re.compile(r"^4\.8$"))
    expect(new_gradient.first).to_be_attached(timeout=20_000)
    expect(status).to_be_hidden()
    expect(weight).to_have_value("0.4")
    assert page_errors == []


def test_a_feature_module_lost_in_transit_is_fetched_again(calm_page, live_server):
    """The feature modules arrive after the first graph; one that fails to load is asked for again."""
    page = calm_page
    page_errors, lost = [], []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))

    def once(route):
        if lost:
            route.continue_()
        else:
            lost.append(route.request.url)
            route.abort()

    page.route(re.compile(r"/js/study\.js$"), once)
    page.goto(live_server + "/")
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=20_000)
    assert lost, "the module was not lost: nothing was tested"
    # The table view (study.js) works, and the page says nothing is missing any more.
    page.get_by_test_id("table-view-toggle").click()
    expect(page.get_by_test_id("table-view-toggle")).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_test_id("status")).to_be_hidden()
    assert page_errors == []


def test_overflowed_values_get_a_visible_warning(calm_page, live_server, worked_trace):
    """The API's bounds keep real traces finite, so the browser is handed a flagged trace."""
    import json

    flagged = json.loads(json.dumps(worked_trace))
    flagged["loss"]["total"] = None
    total_step = next(s for s in flagged["steps"] if s["id"] == "loss-total")
    total_step["value"] = None
    total_step["nonfinite"] = True
    flagged["nonfinite"] = ["loss.total", "steps[11].value"]
    flagged["has_nonfinite"] = True

    calm_page.route(TRACE_URL, lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(flagged)))
    step = flagged["steps"].index(total_step) + 1
    calm_page.goto(f"{live_server}/#step={step}")
    expect(calm_page.get_by_test_id("status")).to_contain_text("overflowed")
    # The graph is still drawn, and the missing value says what it is.
    expect(calm_page.locator("[data-testid=graph] svg [data-node-id]").first).to_be_attached()
    expect(calm_page.locator('[data-for="E"][data-kind="forward"]').first).to_have_text("non-finite")
