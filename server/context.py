"""Access to the app's settings, store and query workers from inside a request,
and the one route by which a page reads the store.

Every query a page runs goes through ``select`` (or ``select_many``): to a
query worker, under the query time limit, with the terms it names bound to
its variables (never written into its text). So a page can no more hang the
server or be steered by its URL than a query sent to ``/sparql`` can.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import current_app, request

from communique.query.cache import ResultCache
from communique.query.capped import ResultCap
from communique.query.jobs import QueryJob
from communique.query.pool import QueryPool
from communique.query.results import json_rows
from communique.server.lanes import Lanes, client_of
from communique.settings import Settings
from communique.store import text_index
from communique.store.base import Store

log = logging.getLogger(__name__)

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
    ``terms``), run by a page query worker under the time limit; ``bindings``
    bind variables to pyoxigraph terms (a bound variable must be in the SELECT
    clause of every (sub)query that uses it)."""
    return _select(page_pool(), sparql, bindings, terms)


def select_many(
    queries: list[tuple[str, Bindings | None]], *, terms: bool = False
) -> list[list[dict[str, Any]]]:
    """Several independent SELECTs at once (each as ``select``), results in order."""
    workers = page_pool()
    with ThreadPoolExecutor(max_workers=min(len(queries), PARALLEL_QUERIES) or 1) as threads:
        return list(threads.map(lambda query: _select(workers, *query, terms), queries))


def _select(
    workers: QueryPool, sparql: str, bindings: Bindings | None, terms: bool
) -> list[dict[str, Any]]:
    job = QueryJob(sparql=sparql, output="json", substitutions=tuple((bindings or {}).items()))
    return json_rows(b"".join(workers.run(job)), terms=terms)


def counts(*, quads: bool = False) -> dict[str, int]:
    """The store's figures (articles, actors, …; the quads only when asked: they
    are counted by a scan of the store), computed once per change of the store:
    too slow to repeat on every page view of a large store."""

    def compute() -> dict[str, int]:
        queries = store().count_queries(quads=quads)
        names = list(queries)
        answers = select_many([(queries[name], None) for name in names])
        return {name: int(rows[0]["n"]) for name, rows in zip(names, answers, strict=True)}

    return dict(per_generation("counts-with-quads" if quads else "counts", compute))


def per_generation(name: str, compute: Callable[[], Any]) -> Any:
    """A value computed from the whole store, kept until the store changes (its
    generation): for what every view of a page needs and no request varies."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    generation = store().state().get("generation")
    kept = app.extensions.setdefault("communique_per_generation", {})
    found = kept.get(name)
    if found is None or found[0] != generation:
        found = (generation, compute())
        kept[name] = found
    return found[1]


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


def page_pool() -> QueryPool:
    """The query workers of pages, started on the first page (not when the app is built)."""
    return _started("communique_page_pool", _start_page_pool)


def lanes() -> Lanes:
    """The fast and slow lanes of SPARQL queries (see ``communique.server.lanes``)."""
    return _started("communique_lanes", _start_lanes)


def _started(name: str, start: Callable[[Settings, Store], Any]) -> Any:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _POOL_LOCK:
        found = app.extensions.get(name)
        if found is None:
            config: Settings = app.config["COMMUNIQUE_SETTINGS"]
            store_: Store = app.extensions["communique_store"]
            found = start(config, store_)
            app.extensions[name] = found
            atexit.register(found.close)
    return found


def _start_page_pool(config: Settings, store_: Store) -> QueryPool:
    return QueryPool(
        store_.location,
        config.base_iri,
        workers=config.page_workers,
        timeout=config.query_timeout,
        memory_mb=config.query_memory_mb or None,
    )


def _start_lanes(config: Settings, store_: Store) -> Lanes:
    memory = config.query_memory_mb or None
    fast = QueryPool(
        store_.location,
        config.base_iri,
        workers=config.query_workers,
        timeout=min(config.fast_lane_seconds, config.query_timeout),
        memory_mb=memory,
        wait=config.query_timeout,  # its workers are soon free: a light query may wait
    )
    slow = QueryPool(
        store_.location,
        config.base_iri,
        workers=config.slow_workers,
        timeout=config.query_timeout,
        memory_mb=memory,
        # the slow lane runs on CPU time pages and light queries leave; an external
        # store computes elsewhere, and a background worker would only starve beside it
        background=store_.computes_here,
    )
    return Lanes(fast, slow, config.client_queries)


def client() -> str:
    """Who sent this request, as the per-client shares count clients."""
    return client_of(request.remote_addr, request.headers.get("User-Agent"))


def result_cap() -> ResultCap:
    config = settings()
    return ResultCap(rows=config.max_result_rows or None, bytes=config.max_result_mb * MB or None)


_TEXT_REBUILD = threading.Lock()  # one rebuild of the text index at a time in this process


def rebuild_text_index(store: Store) -> None:
    """Start rebuilding the store's text index in a background thread, unless one
    is running. It reads the whole store directly rather than through the query
    workers: a bulk read of minutes that no request waits for, beyond the time
    limit that keeps a page's queries short."""
    if not _TEXT_REBUILD.acquire(blocking=False):
        return
    threading.Thread(target=_rebuild_texts, args=(store,), name="text-index", daemon=True).start()


def _rebuild_texts(store: Store) -> None:
    """Index the whole store as it is now (its generation read first: a change
    during the rebuild leaves the index behind, and the next search starts
    another)."""
    try:
        generation = store.state().get("generation")
        path = store.text_index_path()
        if path is None:
            return
        index = text_index.TextIndex(path)
        try:
            index.rebuild(text_index.store_rows(store.iter_select), generation)
        finally:
            index.close()
        log.info("%s: text index rebuilt for generation %s", path, generation)
    except Exception:  # a background thread: say what went wrong; the next search retries
        log.exception("the text index could not be rebuilt")
    finally:
        _TEXT_REBUILD.release()
