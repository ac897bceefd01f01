"""Compressed, cached delivery: static files under content-hashed URLs, gzip and Brotli, and the
ETags that go with them.

**Hashed URLs: one hash for the whole static tree.** `url_for("static", filename="js/main.js")`
gives `/static/<tree hash>/js/main.js`, where the tree hash covers every file under static/.
The ES modules import each other by relative paths ("./graph.js", "../vendor/temml/temml.mjs",
"./symbols.json"), and those stay under the prefix, so no file is rewritten and no import map
is needed. The alternative, a hash per file, would need an import map remapping every module
URL: an inline <script type="importmap"> (browsers do not load external ones), which the page's
Content-Security-Policy (`script-src 'self'`, see security.py) forbids without a hash kept in
step with it, and every dynamic import and the JSON module would have to go through it. The
price of one hash is that changing any static file gives every file a new URL, so a visitor
after a release downloads about 200 KB again; a course releases rarely, and the tree is small.
Hashed URLs answer `Cache-Control: public, max-age=31536000, immutable`. The plain
`/static/js/main.js` keeps working for anything outside the page (`no-cache`: revalidated), and
a hash that is not the current one (a page opened before a release asking for a module after
it) gets today's file with `no-cache`, never an immutable copy under the wrong name. The hash
is taken when the app starts: restart after editing static files.

**Compression.** JSON, HTML, JavaScript, CSS and SVG of at least `MIN_BYTES` are sent as Brotli
(`br`) or gzip when the request's Accept-Encoding allows it (Brotli preferred unless gzip has
the higher q-value), with `Vary: Accept-Encoding` on every response whose body could have been
compressed. A static file is compressed once, at high levels, the first time a coding of it is
asked for (about a second for the whole tree), and kept in memory with its identity bytes; a dynamic response (a trace,
the page) is compressed at fast levels and its compressed bodies kept in a small LRU keyed by
the response's ETag (or a digest of its body), so a cached trace is not compressed again for
each of a hall's 300 requests.

**ETags: one rule, `representation_etag`.** A compressed body is a different representation,
so a strong ETag `"X"` of the identity bytes becomes `"X-br"` or `"X-gz"` when compressed
(weak ETags stay as they are: the representations are equivalent). The conditional request
is evaluated here, after compression, against the ETag actually sent: a client holding
`"X-br"` gets a 304 for it, one holding `"X"` (it took the identity bytes) gets its 304 from
the view as before. Views set the ETag of their uncompressed bytes and need know nothing of
encodings.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request
from werkzeug.routing import BaseConverter
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MIN_BYTES = 512  # below this, compressing saves less than the header costs
HASH_CHARS = 12  # 48 bits of SHA-256: collisions between two releases are not a concern

# The types worth compressing, and the types of the files the page loads (.mjs is missing from
# some Pythons' mimetypes, and a module script must be served as JavaScript).
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json",
         ".html": "text/html", ".svg": "image/svg+xml", ".txt": "text/plain", ".png": "image/png"}
COMPRESSIBLE = {"application/json", "text/html", "text/javascript", "text/css", "image/svg+xml", "text/plain"}

# Brotli's top quality (11) costs about a second per 100 KB on a busy 2-core machine: a file
# over BIG_BYTES (the LaTeX renderer, 168 KB) gets 9, 10 % larger and ten times faster, so its
# first request is not held up.
BIG_BYTES = 128 * 1024

# Codings in order of preference, each with its ETag suffix and its compressor at the two
# effort levels: `best` once per static file, `fast` per dynamic response. Each is
# deterministic, so a file's compressed bytes, and the ETag naming them, are the same in every process.
CODINGS = {
    "br": {"suffix": "br", "best": lambda b: brotli.compress(b, quality=11 if len(b) <= BIG_BYTES else 9),
           "fast": lambda b: brotli.compress(b, quality=5)},
    "gzip": {"suffix": "gz", "best": lambda b: gzip.compress(b, compresslevel=9, mtime=0),
             "fast": lambda b: gzip.compress(b, compresslevel=6, mtime=0)},
}


def tree_hash(files: dict[str, bytes]) -> str:
    """Hash of a static tree given as {relative path: contents}: any changed, added, removed or
    renamed file changes it."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()[:HASH_CHARS]


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def negotiate(accept_encoding) -> str | None:
    """The coding to send for a werkzeug Accept-Encoding value: "br", "gzip" or None (identity)."""
    quality = {name: accept_encoding.quality(name) for name in CODINGS}
    best = max(CODINGS, key=lambda name: quality[name])  # ties keep CODINGS' order: Brotli first
    return best if quality[best] > 0 else None


def representation_etag(etag: str, weak: bool, coding: str | None) -> str:
    """The ETag of a coding of a body whose identity ETag is `etag` (unquoted)."""
    return etag if weak or coding is None else f"{etag}-{CODINGS[coding]['suffix']}"


@dataclass
class Asset:
    """One static file: its bytes, type, identity ETag, and its compressed bodies once made."""
    body: bytes
    mimetype: str
    etag: str
    coded: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def variant(self, coding: str | None) -> bytes:
        if coding is None or self.mimetype not in COMPRESSIBLE or len(self.body) < MIN_BYTES:
            return self.body
        with self.lock:  # one thread compresses; the others wait for its result
            if coding not in self.coded:
                self.coded[coding] = CODINGS[coding]["best"](self.body)
        return self.coded[coding]

    def coding_for(self, coding: str | None) -> str | None:
        return coding if self.variant(coding) is not self.body else None


class StaticFiles:
    """The static tree, read once: its hash and each file as an Asset, kept in memory when first asked for."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.version = tree_hash(read_tree(self.root))
        self._assets: dict[str, Asset] = {}

    def asset(self, filename: str) -> Asset | None:
        if filename not in self._assets:
            path = safe_join(str(self.root), filename)
            if path is None or not Path(path).is_file():
                return None
            body = Path(path).read_bytes()
            mimetype = TYPES.get(Path(path).suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
            self._assets[filename] = Asset(body, mimetype, hashlib.sha256(body).hexdigest()[:32])
        return self._assets[filename]

    def respond(self, filename: str, cache_control: str) -> Response:
        asset = self.asset(filename)
        if asset is None:
            abort(404)
        coding = asset.coding_for(negotiate(request.accept_encodings))
        response = Response(asset.variant(coding), mimetype=asset.mimetype)
        if coding:
            response.headers["Content-Encoding"] = coding
        if asset.mimetype in COMPRESSIBLE:
            response.vary.add("Accept-Encoding")
        response.set_etag(representation_etag(asset.etag, False, coding))
        response.headers["Cache-Control"] = cache_control
        return response.make_conditional(request)


class TreeHashConverter(BaseConverter):
    """A URL segment that can only be a tree hash, so /static/js/... is never taken for one."""
    regex = f"[0-9a-f]{{{HASH_CHARS}}}"


class _Compressed:
    """Compressed bodies of dynamic responses, least recently used dropped first."""

    def __init__(self, entries: int = 64):
        self.entries = entries
        self._bodies: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, coding: str, body: bytes) -> bytes:
        with self._lock:
            if (key, coding) in self._bodies:
                self._bodies.move_to_end((key, coding))
                return self._bodies[(key, coding)]
        coded = CODINGS[coding]["fast"](body)
        with self._lock:
            self._bodies[(key, coding)] = coded
            while len(self._bodies) > self.entries:
                self._bodies.popitem(last=False)
        return coded


_compressed = _Compressed()


def compress_response(response: Response) -> Response:
    """after_request: compress a dynamic response the client accepts compressed, and answer a
    conditional request against the ETag of what is sent."""
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers or response.mimetype not in COMPRESSIBLE):
        return response
    response.vary.add("Accept-Encoding")
    body = response.get_data()
    coding = negotiate(request.accept_encodings) if len(body) >= MIN_BYTES else None
    etag, weak = response.get_etag()
    if coding:
        # A strong ETag names the bytes already; without one, a digest does (cheaper than compressing).
        key = f"etag:{etag}:{len(body)}" if etag and not weak else hashlib.blake2b(body, digest_size=16).hexdigest()
        response.set_data(_compressed.get(key, coding, body))
        response.headers["Content-Encoding"] = coding
        if etag:
            response.set_etag(representation_etag(etag, weak, coding), weak=weak)
    return response.make_conditional(request) if etag else response


_trees: dict[tuple, StaticFiles] = {}


def static_files(root: Path) -> StaticFiles:
    """The StaticFiles of `root`, shared by the apps of one process while no file in it changes
    (each test makes an app; hashing the tree each time would add up)."""
    root = Path(root)
    stamp = (root, tuple((p, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()))
    if stamp not in _trees:
        _trees.clear()
        _trees[stamp] = StaticFiles(root)
    return _trees[stamp]


def init_app(app: Flask, static_root: Path) -> None:
    """Serve static_root under /static (hashed and plain) and compress every response."""
    files = static_files(static_root)
    app.extensions["static_files"] = files
    app.url_map.converters["treehash"] = TreeHashConverter

    def hashed(version: str, filename: str):
        return files.respond(filename, IMMUTABLE if version == files.version else REVALIDATE)

    def plain(filename: str):
        return files.respond(filename, REVALIDATE)

    # url_for("static", filename=...) gives the hashed URL: templates need not know the scheme.
    app.add_url_rule("/static/<treehash:version>/<path:filename>", endpoint="static", view_func=hashed)
    app.add_url_rule("/static/<path:filename>", endpoint="static_plain", view_func=plain)

    @app.url_defaults
    def current_version(endpoint, values):
        if endpoint == "static":
            values.setdefault("version", files.version)

    app.after_request(compress_response)
