"""Blueprint "datasets": GET /api/datasets (the built-in datasets) and /api/datasets/<id> (one's samples)."""
from flask import Blueprint, request
from werkzeug.routing import PathConverter

from .api import error_response, json_response
from .dataset_contract import listing, parse_query, used
from .engine.datasets import generate
from .spec import SpecError

bp = Blueprint("datasets", __name__, url_prefix="/api")


class AnyText(PathConverter):
    """Werkzeug's path converter with the newline too (its "." stops at one): every id reaches the
    view and gets the contract's 400 (only an empty id or one led by a slash has no route: a 404)."""
    regex = r"[^/][\s\S]*?"


# Registered before the route below is recorded, so the app knows the converter when it adds the rule.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("anytext", AnyText))


@bp.get("/datasets")
def datasets():
    return json_response({"datasets": listing()})


# An id holding a slash, an encoded one or a newline is an unknown dataset, a 400 like any other,
# rather than a route that does not exist.
@bp.get("/datasets/<anytext:dataset_id>")
def samples(dataset_id: str):
    try:
        values = parse_query(dataset_id, request.args.items(multi=True))
    except SpecError as exc:
        return error_response(exc.message, exc.field)
    return json_response({"id": dataset_id, "parameters": used(dataset_id, values),
                          "samples": generate(dataset_id, **values)})
