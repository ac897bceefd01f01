"""The page names every module it imports up front (<link rel="modulepreload">), read from the
import statements: the browser fetches the whole graph at once instead of level by level. The
LaTeX renderer is imported dynamically (formula.js loadMath), so it is not among them."""
import re

from webapp.modules import module_graph
from webapp.paths import STATIC


def test_the_graph_of_main_reaches_the_deepest_imports_and_nothing_else():
    graph = module_graph("js/main.js")
    assert graph[0] == "js/main.js"
    # main -> panels -> formula; main -> graph -> arrange -> placer.
    assert {"js/formula.js", "js/arrange.js", "js/placer.js"} <= set(graph)
    assert "js/handout.js" not in graph  # the handout page's entry, imported by nothing on this page
    # temml is fetched when the first formula needs it, after the graph has drawn.
    assert "vendor/temml/temml.mjs" not in graph
    assert len(graph) == len(set(graph))
    assert all((STATIC / path).is_file() for path in graph)


def preloaded(page):
    # /static/<tree hash>/<path> -> <path>
    return set(re.findall(r'<link rel="modulepreload" href="/static/[0-9a-f]+/([^"]+)">', page))


def test_the_pages_list_their_own_modules(client):
    page = preloaded(client.get("/").get_data(as_text=True))
    assert {"js/main.js", "js/graph.js", "js/formula.js"} <= page
    assert "vendor/temml/temml.mjs" not in page
    assert "js/handout.js" not in page
    handout = preloaded(client.get("/handout").get_data(as_text=True))
    assert "js/handout.js" in handout
