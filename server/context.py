"""Access to the app's settings and store from inside a request."""

from __future__ import annotations

from flask import current_app

from communique.settings import Settings
from communique.store import Store


def store() -> Store:
    return current_app.extensions["communique_store"]


def settings() -> Settings:
    return current_app.config["COMMUNIQUE_SETTINGS"]
