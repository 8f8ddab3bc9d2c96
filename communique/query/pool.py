"""SPARQL queries run in worker processes, so that one can be stopped.

pyoxigraph cannot cancel a running query from Python, and a pathological
query can crash its process. So each query runs in one of a few long-lived
worker processes, each with its own read-only view of the store, and its
results stream back through a pipe in chunks as the serializer writes them
(memory stays flat however many rows). A query past the time limit is
stopped by ending its worker, which is then replaced; the other workers keep
answering meanwhile.

Messages from a worker are bytes with a one-byte tag: ``D`` a chunk of data,
``E`` the end, ``Q`` a query error (the client's fault), ``X`` a failure.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from communique.chunked import ChunkedWriter
from communique.errors import CommuniqueError, QueryError, StoreError

if TYPE_CHECKING:
    from communique.store.opening import Location

LOG = logging.getLogger(__name__)
CHUNK = 64 * 1024
_CONTEXT = multiprocessing.get_context("spawn")  # safe beside the server's threads


class QueryTimeout(CommuniqueError):
    """The query ran past the time limit and was stopped."""


class QueryCrashed(CommuniqueError):
    """The worker running the query died (the engine crashed on it)."""


@dataclass(frozen=True)
class QueryJob:
    """What a worker runs: a query, its dataset, the terms bound into it, and what
    to send back: the results in the format named ``output`` (see
    ``communique.formats``), all of them or only the first ``first``.

    ``substitutions`` bind variables to terms (``("this", NamedNode(...))``):
    how a page puts an IRI from a request into its query without writing it
    into the query text.
    """

    sparql: str
    output: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    first: int | None = None
    csv_safe: bool = True
    substitutions: tuple[tuple[str, Any], ...] = ()
    base_iri: str | None = None  # what relative IRIs in the query resolve against


@dataclass
class _Worker:
    process: Any
    connection: Connection
    busy_since: float | None = field(default=None)


class QueryPool:
    """A fixed number of query worker processes over one store."""

    def __init__(self, location: Location, base_iri: str, *, workers: int, timeout: float) -> None:
        self.location = location
        self.base_iri = base_iri
        self.timeout = timeout
        # Last in, first out: under light load one worker stays hot (its caches warm,
        # not woken from a deeper sleep), which measured faster than taking turns.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(workers, 1)):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe(duplex=True)
        process = _CONTEXT.Process(
            target=worker_main, args=(child, self.location, self.base_iri), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, job: QueryJob) -> Iterator[bytes]:
        """Start the job and return the stream of its result bytes.

        Errors found before any result byte is produced (a syntax error, the time
        limit, a crash) are raised here, so the caller can still answer with an
        error status. Later ones (the time limit, a crash) are raised from the
        stream, which breaks off the answer rather than end it as if complete.
        """
        deadline = time.monotonic() + self.timeout
        worker = self._checkout(deadline)
        try:
            worker.connection.send(job)
            first = self._receive(worker, deadline)
        except BaseException:
            self._discard(worker)
            raise
        return self._stream(worker, first, deadline)

    def _checkout(self, deadline: float) -> _Worker:
        try:
            return self._idle.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise QueryTimeout(
                f"every query worker stayed busy for {self.timeout:g} s; try again later"
            ) from None

    def _receive(self, worker: _Worker, deadline: float) -> bytes:
        """The next data chunk; b'' at the end; raises on errors and the time limit."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not worker.connection.poll(remaining):
            raise QueryTimeout(
                f"the query ran longer than {self.timeout:g} s and was stopped "
                "(setting COMMUNIQUE_QUERY_TIMEOUT)"
            )
        try:
            message = worker.connection.recv_bytes()
        except (EOFError, OSError) as exc:
            raise QueryCrashed("the query engine crashed on this query") from exc
        tag, body = message[:1], message[1:]
        if tag == b"D":
            return body
        if tag == b"E":
            return b""
        if tag == b"Q":
            raise QueryError(body.decode("utf-8"))
        raise CommuniqueError(body.decode("utf-8"))

    def _stream(self, worker: _Worker, first: bytes, deadline: float) -> Iterator[bytes]:
        finished = False
        try:
            chunk = first
            while chunk:
                yield chunk
                chunk = self._receive(worker, deadline)
            finished = True
        except QueryTimeout:
            # raised on, so the answer is cut off as broken (the client sees an
            # unfinished transfer), never ended as if it were complete
            LOG.warning("query stopped mid-stream after %.1f s", self.timeout)
            raise
        finally:
            if finished:
                self._idle.put(worker)
            else:  # the client left, or the limit struck: the worker is mid-query
                self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        with self._lock:
            if not self._closed:
                self._idle.put(self._spawn())

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            worker.process.kill()
            worker.process.join(timeout=5)
            worker.connection.close()


# --------------------------------------------------------------------------- the worker side
class _PipeWriter(ChunkedWriter):
    """A binary file-like that sends what is written as ``D`` chunks."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(CHUNK)
        self.connection = connection

    def send(self, chunk: bytes) -> None:
        self.connection.send_bytes(b"D" + chunk)


def worker_main(connection: Connection, location: Location, base_iri: str) -> None:
    """Serve jobs from the pipe until it closes (runs in the worker process)."""
    from communique.store.base import Store
    from communique.store.opening import open_location
    from communique.vocab import Iris

    store: Store | None = None
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None:
                store = open_location(location, Iris(base_iri), read_only=True)
            _run_job(store, job, connection)
            connection.send_bytes(b"E")
        except (QueryError, StoreError) as exc:
            connection.send_bytes(b"Q" + str(exc).encode("utf-8"))
        except Exception as exc:  # a bug: say so to the server, which logs it
            connection.send_bytes(b"X" + f"{type(exc).__name__}: {exc}".encode())


def _run_job(store: Any, job: QueryJob, connection: Connection) -> None:
    from communique.formats import RESULT_FORMATS
    from communique.query.results import run_query, stream_query, write_first

    options = {
        "default_graphs": list(job.default_graphs),
        "named_graphs": list(job.named_graphs),
        "substitutions": dict(job.substitutions),
        "base_iri": job.base_iri,
    }
    fmt = RESULT_FORMATS[job.output]
    writer = _PipeWriter(connection)
    if job.first is not None:
        write_first(run_query(store, job.sparql, **options), fmt, writer, job.first)
    else:
        stream_query(store, job.sparql, fmt, writer, csv_safe=job.csv_safe, **options)
    writer.flush()
