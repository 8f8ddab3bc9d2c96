"""Access to the app's settings, store and query workers from inside a request,
and the one route by which a page reads the store.

Every query a page runs goes through ``select`` (or ``select_many``): to a
query worker, under the query time limit, with the terms it names bound to
its variables (never written into its text). So a page can no more hang the
server or be steered by its URL than a query sent to ``/sparql`` can.
"""

from __future__ import annotations

import atexit
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app

from communique.query.cache import ResultCache
from communique.query.pool import QueryJob, QueryPool
from communique.query.results import json_rows
from communique.settings import Settings
from communique.store.base import Store

_POOL_LOCK = threading.Lock()
MB = 1024 * 1024
PARALLEL_QUERIES = 4  # a page's independent queries run at once, up to this many

Bindings = dict[str, Any]


def store() -> Store:
    return current_app.extensions["communique_store"]


def select(
    sparql: str, bindings: Bindings | None = None, *, terms: bool = False
) -> list[dict[str, Any]]:
    """A page's SELECT as {variable: python value} rows (pyoxigraph terms with
    ``terms``), run by a query worker under the time limit; ``bindings`` bind
    variables to pyoxigraph terms (a bound variable must be in the SELECT clause
    of every (sub)query that uses it)."""
    return _select(pool(), sparql, bindings, terms)


def select_many(
    queries: list[tuple[str, Bindings | None]], *, terms: bool = False
) -> list[list[dict[str, Any]]]:
    """Several independent SELECTs at once (each as ``select``), results in order."""
    workers = pool()
    with ThreadPoolExecutor(max_workers=min(len(queries), PARALLEL_QUERIES) or 1) as threads:
        return list(threads.map(lambda query: _select(workers, *query, terms), queries))


def _select(
    workers: QueryPool, sparql: str, bindings: Bindings | None, terms: bool
) -> list[dict[str, Any]]:
    job = QueryJob(sparql=sparql, output="json", substitutions=tuple((bindings or {}).items()))
    return json_rows(b"".join(workers.run(job)), terms=terms)


def counts() -> dict[str, int]:
    """The store's figures (articles, actors, …), computed once per change of the
    store: they scan the whole dataset, too slow to repeat on every page view of a
    large store."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    generation = store().state().get("generation")
    cached = app.extensions.get("communique_counts")
    if cached is None or cached[0] != generation:
        queries = store().count_queries()
        names = list(queries)
        answers = select_many([(queries[name], None) for name in names])
        cached = (
            generation,
            {name: int(rows[0]["n"]) for name, rows in zip(names, answers, strict=True)},
        )
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
