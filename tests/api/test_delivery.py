"""Compressed, cached delivery (webapp/delivery.py): hashed static URLs cached for good, the page
revalidated, gzip and Brotli that decompress to the very bytes, and ETags per representation."""
import gzip
import re
import shutil

import brotli
import pytest
from flask import Response, request

from webapp import create_app
from webapp.delivery import tree_hash
from webapp.paths import STATIC

IMMUTABLE = "public, max-age=31536000, immutable"
HASHED = re.compile(r"^/static/[0-9a-f]{12}/")
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def referenced(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


@pytest.mark.parametrize("path", ["/", "/handout"])
def test_every_static_url_a_page_names_is_hashed_and_cached_for_good(client, path):
    urls = referenced(client.get(path).get_data(as_text=True))
    assert any(u.endswith("/js/main.js") or u.endswith("/js/handout.js") for u in urls)
    assert any(u.endswith("/css/app.css") for u in urls)
    for url in urls:
        assert HASHED.match(url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


def test_the_modules_relative_imports_stay_under_the_hash(client):
    # formula.js imports "../vendor/temml/temml.mjs" when a formula first needs it.
    main = next(u for u in referenced(client.get("/").get_data(as_text=True)) if u.endswith("/js/main.js"))
    temml = main.replace("/js/main.js", "/vendor/temml/temml.mjs")
    response = client.get(temml)
    assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE
    assert response.mimetype == "text/javascript"


@pytest.mark.parametrize("path", ["/", "/handout"])
def test_the_page_is_revalidated_on_every_visit(client, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_unhashed_static_paths_still_answer_and_are_revalidated(client):
    response = client.get("/static/js/main.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.data == (STATIC / "js/main.js").read_bytes()
    assert client.get("/static/js/no-such-module.js").status_code == 404
    assert client.get("/static/../webapp/api.py").status_code == 404


def test_a_hash_that_is_not_the_current_one_is_never_cached_for_good(client):
    response = client.get("/static/0123456789ab/js/main.js")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def bodies(client, method, path, **kwargs):
    """{coding: response} for identity, gzip and br."""
    out = {}
    for accept, coding in [(None, None), ("gzip", "gzip"), ("gzip, deflate, br", "br")]:
        headers = {"Accept-Encoding": accept} if accept else {}
        out[coding] = client.open(path, method=method, headers=headers, **kwargs)
    return out


@pytest.mark.parametrize("path", ["/static/js/main.js", "/static/css/app.css", "/static/vendor/temml/temml.mjs",
                                  "/static/js/symbols.json", "/"])
def test_gzip_and_brotli_decompress_to_the_identical_bytes(client, path):
    got = bodies(client, "GET", path)
    plain = got[None]
    assert "Content-Encoding" not in plain.headers
    if path.startswith("/static/"):
        assert plain.data == (STATIC / path.removeprefix("/static/")).read_bytes()
    for coding in ("gzip", "br"):
        response = got[coding]
        assert response.headers["Content-Encoding"] == coding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(response.data) < len(plain.data) / 2
        assert DECODE[coding](response.data) == plain.data
        assert int(response.headers["Content-Length"]) == len(response.data)


def test_a_trace_is_compressed_too(client):
    presets = client.get("/api/presets").get_json()
    worked = next(p["spec"] for p in presets["presets"] if p["id"] == presets["default"])
    got = bodies(client, "POST", "/api/trace", json=worked)
    for coding in ("gzip", "br"):
        assert got[coding].headers["Content-Encoding"] == coding
        assert DECODE[coding](got[coding].data) == got[None].data


@pytest.mark.parametrize("accept", [None, "identity", "deflate", "gzip;q=0, br;q=0", "zstd"])
def test_nothing_is_compressed_unless_the_client_accepts_it(client, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    for path in ["/static/js/graph.js", "/"]:
        response = client.get(path, headers=headers)
        assert "Content-Encoding" not in response.headers
        assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize(("accept", "coding"), [("br, gzip", "br"), ("gzip, br", "br"), ("gzip;q=1, br;q=0.5", "gzip"),
                                                ("*", "br"), ("gzip, br;q=0", "gzip")])
def test_brotli_is_preferred_unless_the_client_says_otherwise(client, accept, coding):
    assert client.get("/static/js/graph.js", headers={"Accept-Encoding": accept}).headers["Content-Encoding"] == coding


def test_small_bodies_are_sent_as_they_are(client):
    response = client.get("/api/presets/nothing", headers={"Accept-Encoding": "br"})
    assert len(response.data) < 512 and "Content-Encoding" not in response.headers


@pytest.fixture
def etag_app():
    """The app with a view that sets a strong ETag of its uncompressed bytes, as GET /api/trace does."""
    app = create_app({"TESTING": True})
    body = b'{"values": [' + b", ".join(b"0.125" for _ in range(400)) + b"]}"

    @app.get("/test/etagged")
    def etagged():
        response = Response(body, mimetype="application/json")
        response.set_etag("abc123")
        return response.make_conditional(request)

    return app


def test_each_representation_has_its_own_strong_etag_and_each_is_honoured(etag_app):
    client = etag_app.test_client()
    tags = {}
    for coding, accept in [(None, None), ("gz", "gzip"), ("br", "br")]:
        headers = {"Accept-Encoding": accept} if accept else {}
        response = client.get("/test/etagged", headers=headers)
        tags[coding] = response.headers["ETag"]
        assert not tags[coding].startswith("W/")
        again = client.get("/test/etagged", headers={**headers, "If-None-Match": tags[coding]})
        assert again.status_code == 304 and again.headers["ETag"] == tags[coding] and again.data == b""
    assert tags == {None: '"abc123"', "gz": '"abc123-gz"', "br": '"abc123-br"'}
    # A client that holds the gzip body but now asks for Brotli gets the Brotli body, not a 304.
    other = client.get("/test/etagged", headers={"Accept-Encoding": "br", "If-None-Match": tags["gz"]})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "br"


def test_static_etags_differ_per_coding_and_answer_304(client):
    url = "/static/css/app.css"
    for accept in [None, "gzip", "br"]:
        headers = {"Accept-Encoding": accept} if accept else {}
        tag = client.get(url, headers=headers).headers["ETag"]
        assert client.get(url, headers={**headers, "If-None-Match": tag}).status_code == 304
    assert len({client.get(url, headers={"Accept-Encoding": a}).headers["ETag"] for a in ["", "gzip", "br"]}) == 3


def test_the_tree_hash_changes_with_any_file():
    tree = {"js/a.js": b"export const a = 1;\n", "css/app.css": b"body {}\n"}
    assert tree_hash(tree) == tree_hash(dict(reversed(tree.items())))
    assert tree_hash(tree) != tree_hash({**tree, "js/a.js": b"export const a = 2;\n"})
    assert tree_hash(tree) != tree_hash({**tree, "js/b.js": b""})
    assert tree_hash(tree) != tree_hash({"js/b.js": tree["js/a.js"], "css/app.css": tree["css/app.css"]})


def test_a_changed_file_changes_the_urls_and_the_old_url_is_no_longer_immutable(tmp_path):
    root = tmp_path / "static"
    shutil.copytree(STATIC / "css", root / "css")
    shutil.copytree(STATIC / "js", root / "js")

    def app_css_url():
        client = create_app({"TESTING": True, "STATIC_ROOT": root}).test_client()
        url = next(u for u in referenced(client.get("/").get_data(as_text=True)) if u.endswith("/css/app.css"))
        return client, url

    _, before = app_css_url()
    (root / "css" / "app.css").write_text((root / "css" / "app.css").read_text() + "\n.changed {}\n")
    client, after = app_css_url()
    assert before != after and HASHED.match(after)
    assert client.get(after).headers["Cache-Control"] == IMMUTABLE
    assert client.get(after).data.endswith(b".changed {}\n")
    assert client.get(before).headers["Cache-Control"] == "no-cache"
