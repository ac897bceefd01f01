"""Fixtures for the browser tests: a live server on a free port, one Chromium, a fresh page per test."""
import base64
import json
import re
import shutil
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from webapp import create_app  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 900}

expect.set_options(timeout=10_000)

# The page asks for a trace by GET (the spec in the URL) or, for a long spec, by POST.
TRACE_URL = re.compile(r"/api/trace(\?|$)")


def is_trace_request(request):
    return TRACE_URL.search(request.url) is not None


def is_trace_response(response):
    return is_trace_request(response.request)


def sent_spec(request) -> dict:
    """The network a trace request carried: the POST's body, or the GET's base64url ?spec=."""
    if request.method == "POST":
        return json.loads(request.post_data)
    spec = parse_qs(urlsplit(request.url).query)["spec"][0]
    return json.loads(base64.urlsafe_b64decode(spec + "=" * (-len(spec) % 4)))


@pytest.fixture(scope="session")
def live_app():
    return create_app({"TESTING": True})


@pytest.fixture(scope="session")
def live_server(live_app):
    """Base URL of the app served by werkzeug on 127.0.0.1, port chosen by the OS."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def api(live_app):
    """A Flask test client for asking the API directly (reference traces, ids)."""
    return live_app.test_client()


@pytest.fixture(scope="session")
def presets(api):
    return api.get("/api/presets").get_json()


@pytest.fixture(scope="session")
def worked_spec(presets):
    by_id = {p["id"]: p["spec"] for p in presets["presets"]}
    return by_id["worked-example"]


@pytest.fixture(scope="session")
def worked_trace(api, worked_spec):
    response = api.post("/api/trace", json=worked_spec)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    # Debian's headless shell here (.ci/setup; lighter than `chromium --headless`), else its chromium;
    # Playwright's own browser on a laptop where it is installed.
    path = shutil.which("chromium-headless-shell") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        browser = playwright_instance.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    else:
        browser = playwright_instance.chromium.launch()
    yield browser
    browser.close()


# What a page can be given without a context of its own: its size and its emulated media.
PAGE_OPTIONS = {"viewport", "reduced_motion", "color_scheme"}


@pytest.fixture(scope="session")
def warm_context(browser):
    """One context per worker whose HTTP cache outlives a test: the page's static files are served
    with `immutable` (hashed URLs), so after the first test a page load asks only for the page and
    the API, as a returning student's does. The page keeps nothing else (no storage, no cookies)."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture
def new_page(browser, warm_context):
    """Factory: a page, closed after the test. The test's first page opens in the worker's warm
    context (size and media set on the page); any other page, one with other options or one asked
    for with fresh=True gets a fresh context (options go to browser.new_context), so two pages of a
    test share nothing unless one opened the other."""
    contexts, pages = [], []

    def make(fresh=False, **options):
        options.setdefault("viewport", VIEWPORT)
        if not fresh and not pages and set(options) <= PAGE_OPTIONS:
            page = warm_context.new_page()
            page.set_viewport_size(options["viewport"])
            page.emulate_media(reduced_motion=options.get("reduced_motion", "no-preference"),
                               color_scheme=options.get("color_scheme", "light"))
        else:
            context = browser.new_context(**options)
            contexts.append(context)
            page = context.new_page()
        pages.append(page)
        return page

    yield make
    for page in warm_context.pages:  # and any popup it opened
        page.close()
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def calm_page(new_page):
    """A page that prefers reduced motion, so the picture has no in-flight animation."""
    return new_page(reduced_motion="reduce")

SERIALIZE_SVG = """svg => {
    const copy = svg.cloneNode(true);
    for (const el of [copy, ...copy.querySelectorAll("[class]")]) {
        const tokens = (el.getAttribute("class") || "").split(/\\s+/).filter(Boolean).sort();
        if (tokens.length) el.setAttribute("class", tokens.join(" "));
    }
    return copy.outerHTML;
}"""


class Explainer:
    """The explainer page as the tests see it: the DOM contract's test ids and data attributes."""

    def __init__(self, page, base_url, trace):
        self.page = page
        self.base_url = base_url
        self.trace = trace
        self.graph = page.get_by_test_id("graph")

    @property
    def n_steps(self):
        return len(self.trace["steps"])

    def step_of(self, step_id):
        """1-based index of a step id in the reference trace."""
        ids = [s["id"] for s in self.trace["steps"]]
        return ids.index(step_id) + 1

    def open(self, step=None):
        if self.page.url.startswith(self.base_url):
            # Going from /#step=a to /#step=b would only change the fragment, not load the page.
            self.page.goto("about:blank")
        self.page.goto(self.base_url + "/" + (f"#step={step}" if step else ""))
        expect(self.graph.locator("svg").first).to_be_visible()
        self.expect_step(step or 1)
        # Feature buttons exist in the HTML before their modules wire them up.
        expect(self.page.locator("body[data-ready=true]")).to_be_attached()
        return self

    def expect_step(self, k):
        expect(self.graph).to_have_attribute("data-step-index", str(k))
        expect(self.page.get_by_test_id("step-counter")).to_have_text(f"{k} / {self.n_steps}")

    def step_index(self):
        return int(self.graph.get_attribute("data-step-index"))

    def step_id(self):
        return self.graph.get_attribute("data-step-id")

    def goto_step(self, k):
        """Seek with the scrubber (Playwright's fill sets a range input and fires input + change)."""
        self.page.get_by_test_id("scrubber").fill(str(k))
        self.expect_step(k)

    def goto_step_id(self, step_id):
        self.goto_step(self.step_of(step_id))

    def press(self, key):
        self.page.keyboard.press(key)

    def blur(self):
        """Leave any form control, so document-level keys reach the player."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")

    def annotation(self, element_id, kind, quantity=None):
        selector = f'[data-for="{element_id}"][data-kind="{kind}"]'
        if quantity:
            selector += f'[data-quantity="{quantity}"]'
        return self.page.locator(selector)

    def expect_annotation(self, element_id, kind, text, quantity=None):
        """Some annotation on element_id of this kind reads exactly `text`."""
        candidates = self.annotation(element_id, kind, quantity)
        exact = candidates.filter(has_text=re.compile("^" + re.escape(text) + "$"))
        try:
            expect(exact.first).to_be_attached()
        except AssertionError:
            shown = candidates.all_text_contents()
            where = f"data-for={element_id} data-kind={kind}" + (f" data-quantity={quantity}" if quantity else "")
            raise AssertionError(f"step {self.step_index()} ({self.step_id()}): expected {text!r} on {where}, "
                                 f"found {shown!r}") from None

    def settled_svg(self):
        """outerHTML of the graph's svg once two reads 100 ms apart agree. Class tokens are sorted:
        their order means nothing to CSS, and classList.toggle order depends on history."""
        svg = self.graph.locator("svg").first
        previous = svg.evaluate(SERIALIZE_SVG)
        for _ in range(50):
            self.page.wait_for_timeout(100)
            current = svg.evaluate(SERIALIZE_SVG)
            if current == previous:
                return current
            previous = current
        raise AssertionError("the graph kept changing for 5 s")


@pytest.fixture
def explainer(page, live_server, worked_trace):
    return Explainer(page, live_server, worked_trace)


@pytest.fixture
def calm_explainer(calm_page, live_server, worked_trace):
    """The explainer with prefers-reduced-motion: reduce, for pixel- and DOM-exact comparisons."""
    return Explainer(calm_page, live_server, worked_trace)


@pytest.fixture
def themed_explainer(new_page, live_server, worked_trace):
    """Factory: the explainer in a fresh calm page whose system prefers `theme` (light or dark)."""
    def make(theme):
        return Explainer(new_page(color_scheme=theme, reduced_motion="reduce"), live_server, worked_trace)
    return make


def downloaded(page, testid, tmp_path):
    """(suggested file name, saved path) of the download a click on `testid` starts."""
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path
