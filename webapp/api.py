"""Blueprint "api": /api/trace (POST, and GET for caches), /api/presets, /api/meta, /api/openapi.json; JSON errors."""
import json
from functools import lru_cache

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .admission import Busy, HeavyGate, Limits
from .contract import Contract, build_contract
from .engine import build_trace, encode
from .httpcache import IMMUTABLE, UNCACHEABLE, strong_etag
from .openapi import document
from .presets import DEFAULT_PRESET, PRESETS
from .spec import SpecError, decode_body, parse_decoded
from .tracequery import as_query_error, spec_bytes
from .train_contract import parse_iteration

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.record_once
def build_app_contract(state):
    """Each app validates with, and publishes, the contract as the engine's tables are when it is made."""
    contract = build_contract()
    state.app.extensions["contract"] = contract
    state.app.extensions["openapi"] = document(contract)
    state.app.extensions["heavy_gate"] = HeavyGate(state.app.config.get("HEAVY_LIMITS", Limits()))


def json_response(data, status=200) -> Response:
    # allow_nan=False: the engine already turned non-finite numbers into null.
    body = json.dumps(data, separators=(",", ":"), allow_nan=False)
    return Response(body, status=status, mimetype="application/json")


def error_response(message: str, field: str, status: int = 400) -> Response:
    return json_response({"error": message, "field": field}, status)


@lru_cache(maxsize=32)
def answer(raw: bytes, contract: Contract, gate: HeavyGate) -> tuple[int, bytes]:
    """(status, JSON text) for a body. The trace is a pure function of the body (and the contract),
    so a hall of students opening the same worked example is answered from memory after the first.
    A heavy trace is computed only when the gate gives it a turn; Busy is raised, so not cached."""
    try:
        body = decode_body(raw)
        if isinstance(body, dict) and "train" in body:  # the walkthrough of one training iteration
            args = parse_iteration(body)
        else:
            args = parse_decoded(body, contract)  # decoded once
        with gate.admit(args[0]):
            trace = build_trace(*args)
            return 200, encode(trace)
    except SpecError as exc:
        return 400, json.dumps({"error": exc.message, "field": exc.field}).encode()


@bp.post("/trace")
def trace():
    # A body past MAX_CONTENT_LENGTH makes get_data raise RequestEntityTooLarge (body_too_large below).
    status, body = answer(request.get_data(cache=False), current_app.extensions["contract"],
                          current_app.extensions["heavy_gate"])
    return Response(body, status=status, mimetype="application/json")


@bp.get("/trace")
def trace_by_url():
    """The POST's answer to the body in ?spec=, cacheable by any HTTP cache: the URL is the whole request."""
    try:
        raw = spec_bytes(request.args.get("spec"), current_app.config["MAX_CONTENT_LENGTH"])
    except SpecError as exc:
        return uncacheable(error_response(exc.message, exc.field))
    status, body = answer(raw, current_app.extensions["contract"], current_app.extensions["heavy_gate"])
    if status != 200:
        return uncacheable(json_response(as_query_error(json.loads(body)), status))
    # The tag of the uncompressed bytes: delivery.py compresses, tags the coded copy and answers
    # If-None-Match against the tag of what it sends (a 304 with the headers its 200 would carry).
    return Response(body, mimetype="application/json",
                    headers={"ETag": strong_etag(body), "Cache-Control": IMMUTABLE})


def uncacheable(response: Response) -> Response:
    response.headers["Cache-Control"] = UNCACHEABLE
    return response


@bp.get("/presets")
def presets():
    return json_response({"default": DEFAULT_PRESET, "presets": PRESETS})


@bp.get("/meta")
def meta():
    return json_response(current_app.extensions["contract"].meta)


@bp.get("/openapi.json")
def openapi():
    return json_response(current_app.extensions["openapi"])


@bp.app_errorhandler(RequestEntityTooLarge)
def body_too_large(exc: RequestEntityTooLarge):
    """Bad input like any other (the API's 400, documented as such), naming the body and the limit."""
    if not request.path.startswith("/api"):
        return exc
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return error_response(f"the body is larger than the {limit // 1024} KiB a network can need", "body")


@bp.app_errorhandler(Busy)
def busy(exc: Busy):
    """Load shed, not a fault: 503 with Retry-After and the usual error body, blaming the body's size."""
    response = error_response(str(exc), "body", 503)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """JSON errors under /api; plain pages elsewhere."""
    if not request.path.startswith("/api"):
        return exc
    response = error_response(exc.description or exc.name, "request", exc.code or 500)
    # Keep the exception's own headers: a 405 must say which methods are Allowed.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
