"""Blueprint "solution": GET and POST /api/solution?format=markdown|latex, the worked solution of a
network as a document. POST takes the trace request as its body, GET as `spec`, base64url of that
body (as the page's links carry it). The body is answered by api.answer, the trace route's own code,
so errors are the same JSON {error, field}; this route adds `format` and `spec`."""
import json

from flask import Blueprint, Response, current_app, request

from .api import answer, error_response
from .solution import FORMATS, render_solution
from .spec import SpecError, decode_body
from .tracequery import spec_bytes

bp = Blueprint("solution", __name__, url_prefix="/api")


def requested_format() -> str:
    value = request.args.get("format")
    if value not in FORMATS:
        choices = " or ".join(f"format={name}" for name in FORMATS)
        given = "no format was given" if value is None else f"{value[:40]!r} is not a format"
        raise SpecError("format", f"{given}: ask for {choices}")
    return value


def spec_from_query() -> bytes:
    """The body the `spec` query parameter encodes: decoded as GET /api/trace decodes it."""
    raw = spec_bytes(request.args.get("spec"), current_app.config["MAX_CONTENT_LENGTH"])
    try:
        decode_body(raw)
    except SpecError as exc:
        raise SpecError("spec", f"the spec, decoded from base64url: {exc.message}") from None
    return raw


@bp.route("/solution", methods=["GET", "POST"])
def solution():
    try:
        format_ = requested_format()
        raw = request.get_data(cache=False) if request.method == "POST" else spec_from_query()
    except SpecError as exc:
        return error_response(exc.message, exc.field)
    status, body = answer(raw, current_app.extensions["contract"], current_app.extensions["heavy_gate"])
    if status != 200:
        return Response(body, status=status, mimetype="application/json")
    return Response(render_solution(json.loads(body), format_), content_type=FORMATS[format_][1])
