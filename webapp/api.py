"""Blueprint "api": POST /api/trace, GET /api/presets, GET /api/openapi.json. Errors are JSON {"error", "field"}."""
import json
from functools import lru_cache

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from .engine import build_trace
from .openapi import OPENAPI
from .presets import DEFAULT_PRESET, PRESETS
from .spec import SpecError, parse_body

bp = Blueprint("api", __name__, url_prefix="/api")


def json_response(data, status=200) -> Response:
    # allow_nan=False: the engine already turned non-finite numbers into null.
    body = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return Response(body, status=status, mimetype="application/json")


def error_response(message: str, field: str, status: int = 400) -> Response:
    return json_response({"error": message, "field": field}, status)


@lru_cache(maxsize=32)
def _answer(raw: bytes) -> tuple[int, bytes]:
    """(status, JSON text) for a body. The trace is a pure function of the body, so a hall
    of students opening the same worked example is answered from memory after the first."""
    try:
        trace = build_trace(*parse_body(raw))
        return 200, json.dumps(trace, separators=(",", ":"), allow_nan=False).encode()
    except SpecError as exc:
        return 400, json.dumps({"error": exc.message, "field": exc.field}).encode()


@bp.post("/trace")
def trace():
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        return error_response(f"the body is larger than {limit} bytes", "body")
    status, body = _answer(request.get_data(cache=False))
    return Response(body, status=status, mimetype="application/json")


@bp.get("/presets")
def presets():
    return json_response({"default": DEFAULT_PRESET, "presets": PRESETS})


@bp.get("/openapi.json")
def openapi():
    return json_response(OPENAPI)


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """JSON errors under /api (including a body past MAX_CONTENT_LENGTH); plain pages elsewhere."""
    if not request.path.startswith("/api"):
        return exc
    if exc.code == 413:
        return error_response("the body is too large", "body")
    response = error_response(exc.description or exc.name, "request", exc.code or 500)
    # Keep the exception's own headers: a 405 must say which methods are Allowed.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
