"""The page names every module it imports up front (<link rel="modulepreload">), read from the
import statements: the browser fetches the whole graph at once instead of level by level."""
from webapp.modules import module_graph
from webapp.paths import STATIC


def test_the_graph_of_main_reaches_the_deepest_imports_and_nothing_else():
    graph = module_graph("js/main.js")
    assert graph[0] == "js/main.js"
    # main -> panels -> formula -> ../vendor/temml/temml.mjs; main -> graph -> arrange -> placer.
    assert {"js/formula.js", "vendor/temml/temml.mjs", "js/arrange.js", "js/placer.js"} <= set(graph)
    assert "js/handout.js" not in graph  # the handout page's entry, imported by nothing on this page
    assert len(graph) == len(set(graph))
    assert all((STATIC / path).is_file() for path in graph)


def test_the_pages_list_their_own_modules(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="modulepreload" href="/static/vendor/temml/temml.mjs">' in page
    assert '<link rel="modulepreload" href="/static/js/handout.js">' not in page
    handout = client.get("/handout").get_data(as_text=True)
    assert '<link rel="modulepreload" href="/static/js/handout.js">' in handout
