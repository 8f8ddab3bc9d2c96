"""Access to the app's settings, store and query workers from inside a request."""

from __future__ import annotations

import atexit
import threading

from flask import Flask, current_app

from communique.query.cache import ResultCache
from communique.query.pool import QueryPool
from communique.settings import Settings
from communique.store.base import Store

_POOL_LOCK = threading.Lock()
MB = 1024 * 1024


def store() -> Store:
    return current_app.extensions["communique_store"]


def counts() -> dict[str, int]:
    """The store's figures (articles, actors, …), computed once per change of the
    store: they scan the whole dataset, too slow to repeat on every page view of a
    large store."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    generation = store().state().get("generation")
    cached = app.extensions.get("communique_counts")
    if cached is None or cached[0] != generation:
        cached = (generation, store().counts())
        app.extensions["communique_counts"] = cached
    return dict(cached[1])


def result_cache() -> ResultCache | None:
    """The app's cache of answers, or None when the setting turns it off or the
    store's data can change before its state says so (an external store)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if "communique_results" not in app.extensions:
        megabytes = settings().result_cache_mb
        wanted = megabytes > 0 and store().answers_follow_state
        app.extensions["communique_results"] = (
            ResultCache(megabytes * MB, megabytes * MB // 16) if wanted else None
        )
    return app.extensions["communique_results"]


def settings() -> Settings:
    return current_app.config["COMMUNIQUE_SETTINGS"]


def pool() -> QueryPool:
    """The query workers, started on the first query (not when the app is built)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _POOL_LOCK:
        found = app.extensions.get("communique_pool")
        if found is None:
            found = start_pool(app)
    return found


def start_pool(app: Flask) -> QueryPool:
    config: Settings = app.config["COMMUNIQUE_SETTINGS"]
    store_: Store = app.extensions["communique_store"]
    started = QueryPool(
        store_.location, config.base_iri, workers=config.query_workers, timeout=config.query_timeout
    )
    app.extensions["communique_pool"] = started
    atexit.register(started.close)
    return started
