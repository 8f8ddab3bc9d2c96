"""Errors carry their HTTP status and are rendered in one place.

A client error (a malformed query, an unsupported format) answers with its
status and a readable message; anything else is a bug: logged, and a 500.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from communique.errors import QueryError


class ClientError(Exception):
    """A request we refuse, with its HTTP status and a message for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def register(app: Flask) -> None:
    app.register_error_handler(ClientError, lambda e: _render(e.status, e.message))
    app.register_error_handler(QueryError, lambda e: _render(400, f"Malformed query: {e}"))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _bug)


def _http_error(error: HTTPException) -> object:
    return _render(error.code or 500, error.description or error.name)


def _bug(error: Exception) -> object:
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _render(500, InternalServerError.description)


def _render(status: int, message: str) -> object:
    if request.accept_mimetypes.accept_html and not request.accept_mimetypes.accept_json:
        body = render_template("error.html", status=status, message=message)
        return body, status, {"Content-Type": "text/html; charset=utf-8"}
    return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}
