"""Delivery as the browser sees it: every static file comes from the hashed tree, and the graph
draws before the LaTeX renderer arrives; the formulas are typeset when it does, and only then is
the page ready."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HASHED = re.compile(r"/static/[0-9a-f]{12}/")
TEMML = re.compile(r"/vendor/temml/temml\.mjs$")
GRAPH_DRAWN = "[data-testid=graph] svg [data-node-id]"


@pytest.mark.parametrize("path", ["/", "/handout"])
def test_every_static_request_is_under_the_tree_hash(new_page, live_server, path):
    page = new_page(fresh=True)  # a first visit: every file asked for
    static = []
    page.on("request", lambda request: static.append(request.url) if "/static/" in request.url else None)
    page.goto(live_server + path)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    assert any(TEMML.search(url) for url in static), "the formulas need the LaTeX renderer"
    assert static and all(HASHED.search(url) for url in static), [u for u in static if not HASHED.search(u)]


def test_the_graph_draws_before_the_latex_renderer_and_the_formulas_fill_in_after(new_page, live_server):
    page = new_page()
    held = []
    page.route(TEMML, lambda route: held.append(route))  # answered below, once the graph is on screen
    with page.expect_request(TEMML):
        page.goto(live_server + "/")
    page.wait_for_selector(GRAPH_DRAWN)
    formula = page.get_by_test_id("formula")
    expect(formula).to_have_attribute("data-step-id", re.compile(r".+"))
    # Until temml arrives: the formula as plain text (x₁₁ with a real subscript, no LaTeX), no MathML.
    assert page.locator("[data-testid=formula] math, [data-testid=values] math").count() == 0
    assert "x₁₁" in formula.inner_text() and "_{" not in formula.inner_text()
    assert page.locator("body").get_attribute("data-ready") is None

    held[0].continue_()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-testid=formula] .formula-math math").first).to_be_visible()
    expect(page.locator("[data-testid=values] math").first).to_be_attached()
