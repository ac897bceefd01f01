"""Flask application factory: configuration and blueprints, nothing else (flaskr style)."""
from flask import Flask

from .paths import STATIC, TEMPLATES

MAX_BODY_BYTES = 256 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    # Static files are served by delivery.py (hashed URLs, compressed once), not Flask's own route.
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=None)
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_SORT_KEYS=False, STATIC_ROOT=STATIC)
    if test_config:
        app.config.update(test_config)

    from . import api, code_api, datasets_api, delivery, live_api, pages, solution_api, train_api
    from .security import add_security_headers

    app.register_blueprint(api.bp)
    app.register_blueprint(datasets_api.bp)
    app.register_blueprint(train_api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(code_api.bp)
    app.register_blueprint(solution_api.bp)
    app.register_blueprint(live_api.bp)
    delivery.init_app(app, app.config["STATIC_ROOT"])
    app.after_request(add_security_headers)
    return app
