"""The worker side of the query pool: a process that opens its read-only view
of the store once, then runs jobs from its pipe and sends their answers back
in chunks, within its memory ceiling (see ``jobs.py`` for the messages).
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from communique.chunked import ChunkedWriter
from communique.errors import QueryError, StoreError
from communique.query.jobs import CHUNK, QueryJob, WorkerLimits

if TYPE_CHECKING:
    from communique.store.opening import Location


class _PipeWriter(ChunkedWriter):
    """A binary file-like that sends what is written as ``D`` chunks."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(CHUNK)
        self.connection = connection

    def send(self, chunk: bytes) -> None:
        self.connection.send_bytes(b"D" + chunk)


def worker_main(
    connection: Connection, location: Location, base_iri: str, limits: WorkerLimits
) -> None:
    """Serve jobs from the pipe until it closes (runs in the worker process)."""
    from communique.store.base import Store
    from communique.store.opening import open_location
    from communique.vocab import Iris

    _limit_memory(limits)
    store: Store | None = None
    try:
        store = open_location(location, Iris(base_iri), read_only=True)
    except StoreError:
        store = None  # tried again, and reported, with the first query
    if limits.background:  # only now: a worker starting in the background starts slowly
        _to_background()
    connection.send_bytes(b"R")
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None:
                store = open_location(location, Iris(base_iri), read_only=True)
            cut = _run_job(store, job, connection)
            if cut is not None:
                connection.send_bytes(b"C" + cut.encode("ascii"))
            connection.send_bytes(b"E")
        except MemoryError:
            connection.send_bytes(b"M")
            return  # a worker whose memory ran out is replaced, not reused
        except (QueryError, StoreError) as exc:
            connection.send_bytes(b"Q" + str(exc).encode("utf-8"))
        except Exception as exc:  # a bug: say so to the server, which logs it
            connection.send_bytes(b"X" + f"{type(exc).__name__}: {exc}".encode())


def _limit_memory(limits: WorkerLimits) -> None:
    """The pool's memory ceiling for this worker process. RLIMIT_DATA bounds the
    heap and private mappings, where the engine's memory lives; the store's
    files are mapped read-only and stay outside it."""
    import os
    import resource

    # a failed allocation aborts the engine: say so in one line, not a backtrace
    os.environ["RUST_BACKTRACE"] = "0"
    if limits.memory_mb is not None:
        ceiling = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))


def _to_background() -> None:
    """Run only on CPU time no other process wants."""
    import os

    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux: the lowest priority instead
        os.nice(19)


def _run_job(store: Any, job: QueryJob, connection: Connection) -> str | None:
    """Run the job, sending its answer; the cap that cut it, if one did."""
    from communique.formats import RESULT_FORMATS
    from communique.query.results import run_query, stream_capped, write_first

    options = {
        "default_graphs": list(job.default_graphs),
        "named_graphs": list(job.named_graphs),
        "substitutions": dict(job.substitutions),
        "base_iri": job.base_iri,
    }
    fmt = RESULT_FORMATS[job.output]
    writer = _PipeWriter(connection)
    if job.first is not None:
        cut = write_first(run_query(store, job.sparql, **options), fmt, writer, job.first)
    else:
        cut = stream_capped(
            store, job.sparql, fmt, writer, job.cap, csv_safe=job.csv_safe, **options
        )
    writer.flush()
    return cut
