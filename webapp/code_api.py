"""Blueprint "code": GET /api/code, the reference implementation the page shows beside the walkthrough."""
from flask import Blueprint

from .api import json_response
from .reference.source import reference

bp = Blueprint("code", __name__, url_prefix="/api")


@bp.get("/code")
def code():
    """The file's text and its line map: which lines compute each step kind and each phase."""
    return json_response(reference())
