"""HTTP caching of answers that are pure functions of their URL: their Cache-Control and strong ETag.

One source for the entity tag of an answer's bytes; delivery.representation_etag derives the tag
of a compressed copy from it, and delivery answers If-None-Match against the tag actually sent.
"""
import hashlib

# A trace never changes for its URL (the spec is the URL), so any cache may keep it for a day
# without asking again; a new version of the app answers new URLs only if the trace changes.
IMMUTABLE = "public, max-age=86400, immutable"
# An error is about this request (and may be about this server's state): nobody keeps it.
UNCACHEABLE = "no-store"

HASH_CHARS = 32  # 128 bits of SHA-256, in hex


def strong_etag(body: bytes) -> str:
    """The quoted strong entity tag of `body`, the uncompressed bytes of an answer."""
    return f'"{hashlib.sha256(body).hexdigest()[:HASH_CHARS]}"'
