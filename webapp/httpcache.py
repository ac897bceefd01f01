"""HTTP caching of answers that are pure functions of their URL: strong ETags and If-None-Match.

One source for the entity-tag format: a representation's tag is a hash of its uncompressed
bytes, and a content-coded copy of it (gzip, br) carries the same hash with the coding as a
suffix, so a cache holding either revalidates against the same uncompressed answer.
"""
import hashlib

# A trace never changes for its URL (the spec is the URL), so any cache may keep it for a day
# without asking again; a new version of the app answers new URLs only if the trace changes.
IMMUTABLE = "public, max-age=86400, immutable"
# An error is about this request (and may be about this server's state): nobody keeps it.
UNCACHEABLE = "no-store"

HASH_CHARS = 32  # 128 bits of SHA-256, in hex


def strong_etag(body: bytes, coding: str = "") -> str:
    """The quoted strong entity tag of `body` (the uncompressed bytes), for the identity
    representation or, with `coding` ("gzip", "br"), for that content-coded copy of it."""
    digest = hashlib.sha256(body).hexdigest()[:HASH_CHARS]
    return f'"{digest}-{coding}"' if coding else f'"{digest}"'


def listed_tags(header: str) -> list[str]:
    """The entity tags of an If-None-Match value ("*", or a comma-separated list of possibly
    weak tags), weak markers dropped: If-None-Match uses the weak comparison (RFC 9110 13.1.2)."""
    tags, rest = [], header.strip()
    while rest:
        rest = rest.lstrip(", \t")
        if rest.startswith("*"):
            tags.append("*")
            rest = rest[1:]
            continue
        if rest.startswith("W/"):
            rest = rest[2:]
        if not rest.startswith('"'):
            break  # not an entity tag: the rest of the header means nothing
        end = rest.find('"', 1)
        if end < 0:
            break
        tags.append(rest[:end + 1])
        rest = rest[end + 1:]
    return tags


def none_match(header: str | None, body: bytes) -> bool:
    """Whether If-None-Match `header` names the answer `body` (any coding of it): then 304."""
    if not header:
        return False
    tag = strong_etag(body)
    coded_prefix = tag[:-1] + "-"
    return any(t == "*" or t == tag or t.startswith(coded_prefix) for t in listed_tags(header))
