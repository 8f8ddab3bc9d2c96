"""SPARQL queries run in worker processes, so that one can be stopped.

pyoxigraph cannot cancel a running query from Python, and a pathological
query can crash its process. So each query runs in one of a few long-lived
worker processes, each with its own read-only view of the store, and its
results stream back through a pipe in chunks as the serializer writes them
(memory stays flat however many rows). A query past the time limit is
stopped by ending its worker, which is then replaced; the other workers keep
answering meanwhile.

Each worker has a memory ceiling (an rlimit on its data): a query that needs
more is stopped by the engine's failed allocation, which ends the worker; it
is reported as such and the worker replaced. Answers are held to the result
caps (``communique.query.capped``) and the worker says when one cut them.

The worker's side is ``worker.py``; what passes between them, ``jobs.py``.
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

from communique.errors import CommuniqueError, QueryError
from communique.query.jobs import QueryJob, WorkerLimits
from communique.query.worker import worker_main

if TYPE_CHECKING:
    from communique.store.opening import Location

LOG = logging.getLogger(__name__)
STARTUP_SECONDS = 120  # the longest a worker may take to start before it is replaced
_CONTEXT = multiprocessing.get_context("spawn")  # safe beside the server's threads


class QueryTimeout(CommuniqueError):
    """The query ran past the time limit and was stopped."""


class PoolBusy(QueryTimeout):
    """No worker became free while the query waited for one."""


class QueryCrashed(CommuniqueError):
    """The worker running the query died (the engine crashed on it)."""


class QueryOutOfMemory(QueryCrashed):
    """The query needed more memory than a worker may have; the worker was replaced."""


ABORTED = -6  # a worker's exit code after the engine's failed allocation (SIGABRT)


class _WorkerFree(Exception):
    """The worker ended the job with an error and can take the next one."""

    def __init__(self, error: CommuniqueError) -> None:
        super().__init__(str(error))
        self.error = error


class ResultStream:
    """The chunks of one answer; ``cut`` names the cap that cut it, once read to the end."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self.cut: str | None = None

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def __next__(self) -> bytes:
        return next(self._chunks)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


@dataclass
class _Worker:
    process: Any
    connection: Connection
    busy_since: float | None = field(default=None)


class QueryPool:
    """A fixed number of query worker processes over one store."""

    def __init__(
        self,
        location: Location,
        base_iri: str,
        *,
        workers: int,
        timeout: float,
        memory_mb: int | None = None,
        background: bool = False,
        wait: float | None = None,
    ) -> None:
        self.location = location
        self.base_iri = base_iri
        self.timeout = timeout
        self.wait = timeout if wait is None else wait  # how long a query waits for a worker
        self.limits = WorkerLimits(timeout, memory_mb, background)
        # Last in, first out: under light load one worker stays hot (its caches warm,
        # not woken from a deeper sleep), which measured faster than taking turns.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._closed = False
        self.size = max(workers, 1)
        self._waiting = 0
        self._busy: dict[int, float] = {}  # id of a busy worker -> when its query started
        for _ in range(self.size):
            self._replace()

    def _replace(self) -> None:
        """Start a worker; it takes queries once it says it is ready (its imports
        done and its store open), so that no query's time limit runs while a
        worker starts."""
        worker = self._spawn()
        threading.Thread(target=self._when_ready, args=(worker,), daemon=True).start()

    def _when_ready(self, worker: _Worker) -> None:
        try:
            ready = worker.connection.poll(STARTUP_SECONDS) and worker.connection.recv_bytes()
        except (EOFError, OSError):
            ready = False
        with self._lock:
            closed = self._closed
        if ready == b"R" and not closed:
            self._idle.put(worker)
            return
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        if not closed:
            LOG.error("a query worker did not start; starting another in a second")
            time.sleep(1)
            self._replace()

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe(duplex=True)
        process = _CONTEXT.Process(
            target=worker_main,
            args=(child, self.location, self.base_iri, self.limits),
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, job: QueryJob) -> ResultStream:
        """Start the job and return the stream of its result bytes.

        Errors found before any result byte is produced (a syntax error, the time
        limit, a crash) are raised here, so the caller can still answer with an
        error status. Later ones (the time limit, a crash) are raised from the
        stream, which breaks off the answer rather than end it as if complete.
        """
        worker = self._checkout()
        deadline = time.monotonic() + self.timeout  # the limit counts from the start
        result = ResultStream(iter(()))
        try:
            worker.connection.send(job)
            first = self._receive(worker, deadline, result)
        except _WorkerFree as done:
            self._release(worker)
            raise done.error from None
        except BaseException:
            self._discard(worker)
            raise
        result._chunks = self._stream(worker, first, deadline, result)
        return result

    def _checkout(self) -> _Worker:
        """A free worker, waiting at most as long as a query may run."""
        with self._lock:
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise PoolBusy(
                f"every query worker stayed busy for {self.wait:g} s; try again later"
            ) from None
        finally:
            with self._lock:
                self._waiting -= 1
        with self._lock:
            self._busy[id(worker)] = time.monotonic()
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.pop(id(worker), None)
        self._idle.put(worker)

    def waiting(self) -> int:
        """How many queries wait for a worker now."""
        return self._waiting

    def seconds_until_free(self) -> float:
        """Seconds until some worker is sure to be free: the time limit of the
        query that started first (0 when one is free now)."""
        with self._lock:
            if len(self._busy) < self.size or not self._busy:
                return 0.0
            return min(self._busy.values()) + self.timeout - time.monotonic()

    def _receive(self, worker: _Worker, deadline: float, result: ResultStream) -> bytes:
        """The next data chunk; b'' at the end; raises on errors and the time limit."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.connection.poll(remaining):
                raise QueryTimeout(
                    f"the query ran longer than {self.timeout:g} s and was stopped "
                    "(setting COMMUNIQUE_QUERY_TIMEOUT)"
                )
            try:
                message = worker.connection.recv_bytes()
            except (EOFError, OSError) as exc:
                raise self._crash(worker) from exc
            tag, body = message[:1], message[1:]
            if tag == b"C":
                result.cut = body.decode("ascii")
                continue
            if tag == b"D":
                return body
            if tag == b"E":
                return b""
            if tag == b"M":
                raise self._out_of_memory()
            if tag == b"Q":
                raise _WorkerFree(QueryError(body.decode("utf-8")))
            raise _WorkerFree(CommuniqueError(body.decode("utf-8")))

    def _crash(self, worker: _Worker) -> QueryCrashed:
        """Why a worker died: its memory ceiling (the engine aborts when an
        allocation fails) or a crash of the engine."""
        worker.process.join(timeout=2)
        if self.limits.memory_mb is not None and worker.process.exitcode == ABORTED:
            return self._out_of_memory()
        return QueryCrashed("the query engine crashed on this query")

    def _out_of_memory(self) -> QueryOutOfMemory:
        return QueryOutOfMemory(
            f"the query needed more than the {self.limits.memory_mb} MB a query may use "
            "and was stopped (setting COMMUNIQUE_QUERY_MEMORY_MB)"
        )

    def _stream(
        self, worker: _Worker, first: bytes, deadline: float, result: ResultStream
    ) -> Iterator[bytes]:
        finished = False
        try:
            chunk = first
            while chunk:
                yield chunk
                chunk = self._receive(worker, deadline, result)
            finished = True
        except _WorkerFree as done:
            finished = True
            raise done.error from None
        except QueryTimeout:
            # raised on, so the answer is cut off as broken (the client sees an
            # unfinished transfer), never ended as if it were complete
            LOG.warning("query stopped mid-stream after %.1f s", self.timeout)
            raise
        finally:
            if finished:
                self._release(worker)
            else:  # the client left, or the limit struck: the worker is mid-query
                self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.pop(id(worker), None)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        with self._lock:
            closed = self._closed
        if not closed:
            self._replace()

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
