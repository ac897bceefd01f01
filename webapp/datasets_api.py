"""Blueprint "datasets": GET /api/datasets (the built-in datasets) and /api/datasets/<id> (one's samples)."""
from flask import Blueprint, request

from .api import error_response, json_response
from .dataset_contract import listing, parse_query, used
from .engine.datasets import generate
from .spec import SpecError

bp = Blueprint("datasets", __name__, url_prefix="/api")


@bp.get("/datasets")
def datasets():
    return json_response({"datasets": listing()})


# <path:...>: an id holding a slash (or an encoded one) is an unknown dataset, a 400 like any
# other, rather than a route that does not exist.
@bp.get("/datasets/<path:dataset_id>")
def samples(dataset_id: str):
    try:
        values = parse_query(dataset_id, request.args.items(multi=True))
    except SpecError as exc:
        return error_response(exc.message, exc.field)
    return json_response({"id": dataset_id, "parameters": used(dataset_id, values),
                          "samples": generate(dataset_id, **values)})
