"""The app factory: the routes of every blueprint over one store."""

from __future__ import annotations

from flask import Flask, Response

from communique.server import (
    description,
    dumps,
    errors,
    exports,
    pages,
    query_page,
    resources,
    search,
    sparql,
    update,
    views,
)
from communique.settings import Settings
from communique.store.base import Store
from communique.store.opening import open_from_settings


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the app. Tests pass a temporary store; ``serve`` passes a read-only one."""
    settings = settings or Settings.from_env()
    if store is None:
        store = open_from_settings(settings, read_only=True)
    app = Flask(__name__)
    app.config["COMMUNIQUE_SETTINGS"] = settings
    # a larger body is refused (413) before it is read, by werkzeug
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_mb * 1024 * 1024 or None
    app.extensions["communique_store"] = store
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(update.blueprint)
    app.register_blueprint(dumps.blueprint)
    app.register_blueprint(exports.blueprint)
    app.register_blueprint(resources.blueprint)
    app.register_blueprint(search.blueprint)
    app.register_blueprint(query_page.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(views.blueprint)
    app.register_blueprint(description.blueprint)
    errors.register(app)
    app.after_request(_security_headers)
    return app


# Pages run only the scripts the server ships (no inline script: data shown on a
# page can never run), styles may be inline (base.html keeps its sheet there).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
