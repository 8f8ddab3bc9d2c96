"""Running the app under gunicorn (threaded workers), from `communique serve`.

gunicorn forks its workers from the master process. RocksDB's background
threads do not survive a fork, so a worker forked from a process that had
opened the store deadlocks on its first write. The master therefore never
opens the store: a missing store is created in a spawned process, and each
worker opens its own view after the fork.
"""

from __future__ import annotations

import errno
import multiprocessing
import socket
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from communique.errors import StoreError
from communique.settings import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        config = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": self.settings.workers,
            "threads": self.settings.threads,
            "worker_class": "gthread",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            # a streamed result may take as long as the query time limit allows
            "timeout": int(self.settings.query_timeout) + 30,
            "graceful_timeout": 10,
            "limit_request_line": 8190,  # gunicorn's maximum: longer queries are POSTed
        }
        for key, value in config.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from communique.server.app import create_app

        return create_app(self.settings)  # in each worker, after the fork


def port_taken(host: str, port: int) -> bool:
    """Whether another process listens on the address already (gunicorn would retry
    for seconds, then exit 1 with its own words)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def prepare_store(settings: Settings) -> str | None:
    """Make sure the store exists (and holds the ontology), without opening an
    embedded store in this process: gunicorn forks its workers from it. Returns a
    warning when the store's articles live under another base IRI than the one
    served (their pages and links would not be found)."""
    from communique.store.opening import location_from_settings, open_location
    from communique.vocab import Iris

    location = location_from_settings(settings)
    if not isinstance(location, Path):
        store = open_location(location, Iris(settings.base_iri))
        try:
            return base_mismatch(store, settings.base_iri)
        finally:
            store.close()
    context = multiprocessing.get_context("spawn")
    if (location / "CURRENT").exists():
        with context.Pool(1) as pool:  # read in a child: this process must not open it
            return pool.apply(_base_mismatch_at, (str(location), settings.base_iri))

    child = context.Process(target=_create_store, args=(str(settings.store), settings.base_iri))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise StoreError(
            f"cannot create the store at {settings.store}; check that the folder "
            "is writable and that no other process is using it"
        )
    return None


def base_mismatch(store: Any, base_iri: str) -> str | None:
    """A warning when an article of the store is not under ``base_iri``."""
    outside = store.article_outside_base()
    if outside is None:
        return None
    return (
        f"the store's articles are under another base IRI ({outside}) than the one "
        f"served ({base_iri}): their pages will not be found; serve with the base IRI "
        "they were loaded with (setting COMMUNIQUE_BASE_IRI)"
    )


def _base_mismatch_at(path: str, base_iri: str) -> str | None:
    from communique.store.embedded import EmbeddedStore
    from communique.vocab import Iris

    store = EmbeddedStore(Path(path), Iris(base_iri), read_only=True)
    try:
        return base_mismatch(store, base_iri)
    finally:
        store.close()


def _create_store(path: str, base_iri: str) -> None:
    from communique.store.embedded import EmbeddedStore
    from communique.vocab import Iris

    EmbeddedStore.create_if_missing(Path(path), Iris(base_iri))


def serve_forever(settings: Settings) -> None:
    _Gunicorn(settings).run()
