"""Errors carry their HTTP status and are rendered in one place.

A client error (a malformed query, an unsupported format) answers with its
status and a readable message; anything else is a bug: logged, and a 500.
"""

from __future__ import annotations

import json

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from communique.errors import QueryError, StoreError
from communique.query.guard import ForbiddenQuery
from communique.query.pool import QueryCrashed, QueryOutOfMemory, QueryTimeout


class ClientError(Exception):
    """A request we refuse, with its HTTP status and a message for the person."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def register(app: Flask) -> None:
    app.register_error_handler(ClientError, lambda e: _render(e.status, e.message, e.headers))
    app.register_error_handler(ForbiddenQuery, lambda e: _render(403, f"Refused: {e}"))
    app.register_error_handler(QueryError, lambda e: _render(400, f"Malformed query: {e}"))
    app.register_error_handler(QueryTimeout, lambda e: _render(503, str(e)))
    app.register_error_handler(QueryOutOfMemory, lambda e: _render(503, str(e)))
    app.register_error_handler(QueryCrashed, _crash)
    app.register_error_handler(StoreError, _store_busy)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _bug)


def _http_error(error: HTTPException) -> object:
    return _render(error.code or 500, error.description or error.name)


def _crash(error: QueryCrashed) -> object:
    current_app.logger.error("query worker crashed on %s %s", request.method, request.path)
    return _render(500, str(error))


def _store_busy(error: StoreError) -> object:
    return _render(503, f"The store cannot be written right now: {error}", {"Retry-After": "5"})


def _bug(error: Exception) -> object:
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _render(500, InternalServerError.description)


# What an error is written as, by the client's Accept header: plain text first, so
# that a client asking for anything (curl's "*/*") gets text; a browser lists HTML
# before its "*/*" and gets the styled page; a script asking for JSON gets JSON.
ERROR_FORMATS = ("text/plain", "text/html", "application/json")


def _render(status: int, message: str, headers: dict[str, str] | None = None) -> object:
    headers = dict(headers or {})
    chosen = request.accept_mimetypes.best_match(ERROR_FORMATS, default="text/plain")
    headers["Vary"] = "Accept"
    if chosen == "text/html":
        body = render_template("error.html", status=status, message=message)
        headers["Content-Type"] = "text/html; charset=utf-8"
        return body, status, headers
    if chosen == "application/json":
        headers["Content-Type"] = "application/json"
        return json.dumps({"status": status, "error": message}) + "\n", status, headers
    headers["Content-Type"] = "text/plain; charset=utf-8"
    return message + "\n", status, headers
