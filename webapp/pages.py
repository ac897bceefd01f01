"""Blueprint "pages": the explainer page and its printable handout."""

from flask import Blueprint, render_template

from .modules import module_graph
from .presets import DEFAULT_PRESET

bp = Blueprint("pages", __name__)


@bp.after_request
def revalidate(response):
    # The page names the static tree's hash, so it must be asked for again on every visit (a
    # 304 while nothing changed); the files it names are then cached for good (delivery.py).
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response


@bp.get("/")
def index():
    return render_template("index.html", default_preset=DEFAULT_PRESET, modules=module_graph("js/main.js"))


@bp.get("/handout")
def handout():
    # The network comes in the URL hash (as on the main page), so the server renders one page for all.
    return render_template("handout.html", default_preset=DEFAULT_PRESET, modules=module_graph("js/handout.js"))
