"""Flask application factory: configuration and blueprints, nothing else (flaskr style)."""
from pathlib import Path

from flask import Flask

# Templates and static files live at the top of the repository; an installed wheel
# carries them inside the package (see pyproject.toml), so look there first.
_HERE = Path(__file__).resolve().parent
_ROOT = _HERE if (_HERE / "templates").is_dir() else _HERE.parent

MAX_BODY_BYTES = 256 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(_ROOT / "templates"), static_folder=str(_ROOT / "static"))
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_SORT_KEYS=False)
    if test_config:
        app.config.update(test_config)

    from . import api, pages
    from .security import add_security_headers

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.after_request(add_security_headers)
    return app
