"""The `spec` query parameter of GET /api/trace: the POST's JSON body, base64url-encoded.

Written once here for the route that decodes it (api.py) and the document that describes it
(openapi.py). The size limit is the POST body's (MAX_CONTENT_LENGTH), counted once decoded.
"""
import base64
import math
import re

from .spec import SpecError

# RFC 4648 section 5's alphabet; the padding a URL does not need is accepted when given.
PATTERN = r"^[A-Za-z0-9_-]*={0,2}$"
_ALPHABET = re.compile(PATTERN)


def max_chars(limit: int) -> int:
    """The longest `spec` that can decode to at most `limit` bytes (padded: 4 characters per 3 bytes)."""
    return 4 * math.ceil(limit / 3)


def too_long(limit: int) -> SpecError:
    return SpecError("spec", f"spec decodes to more than the {limit // 1024} KiB a network can need")


def spec_bytes(value: str | None, limit: int) -> bytes:
    """The JSON body `value` carries, or SpecError naming spec (missing, too long, not base64url)."""
    if not value:
        raise SpecError("spec", "spec is required: the JSON body of POST /api/trace, base64url-encoded")
    if len(value) > max_chars(limit):
        raise too_long(limit)
    unpadded = value.rstrip("=")
    if not _ALPHABET.fullmatch(value) or len(unpadded) % 4 == 1:
        raise SpecError("spec", "spec must be base64url (letters, digits, - and _; = padding optional), "
                        "the encoding of the JSON body of POST /api/trace")
    raw = base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    if len(raw) > limit:
        raise too_long(limit)
    return raw


def as_query_error(error: dict) -> dict:
    """A POST's error about the body as a GET's: there the body is the spec parameter."""
    if error["field"] != "body":
        return error
    return {"error": f"spec, once decoded: {error['error']}", "field": "spec"}
