"""Blueprint "pages": the explainer page."""

from flask import Blueprint, render_template

from .presets import DEFAULT_PRESET

bp = Blueprint("pages", __name__)

@bp.get("/")
def index():
    return render_template("index.html", default_preset=DEFAULT_PRESET)
