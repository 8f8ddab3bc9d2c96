"""Who runs a client's query, and when a client must wait: the serving policy
that keeps light requests answering while heavy queries run.

- **Lanes.** Pages have their own query workers. A SPARQL query starts in the
  *fast lane*, whose workers stop any query at a short limit (setting
  ``COMMUNIQUE_FAST_LANE_SECONDS``); a query that runs past it is run again in
  the *slow lane*, whose workers have the full time limit and a lower CPU
  priority. Its client is then marked heavy for a while, and its next
  queries go straight to the slow lane (no second spent twice). So a heavy
  query can hold only slow-lane workers, and light queries never wait behind one.
- **Per-client share.** A client (its address and User-Agent, as Wikidata
  counts them) may have a few queries in flight (``COMMUNIQUE_CLIENT_QUERIES``);
  one more is a 429 with ``Retry-After``. So is a query that would have to
  queue for the slow lane when it already has as many waiting as it has
  workers: waiting would only hold a server thread.
- **Spooled answers.** A worker writes its answer to a spool file (memory,
  then disk) and is free as soon as the answer is complete; the server sends
  it from there, so a slow reader never holds a worker, the time limit counts
  only the query, and the response can say in a header whether a result cap
  cut the answer.
"""

from __future__ import annotations

import math
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from communique.query.jobs import QueryJob
from communique.query.pool import PoolBusy, QueryPool, QueryTimeout
from communique.server.errors import ClientError

SPOOL_IN_MEMORY = 1024 * 1024  # answers up to this size stay in memory
HEAVY_FOR = 60.0  # seconds a client stays in the slow lane after a slow query
REMEMBERED_CLIENTS = 10_000  # the most clients whose heaviness is remembered


@dataclass
class Answer:
    """A complete answer, spooled: its bytes, their size, the cap that cut it,
    and the lane that ran it."""

    body: IO[bytes]
    size: int
    cut: str | None
    lane: str = ""

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        """The bytes in pieces, the spool closed after the last (or when the client left)."""
        try:
            while piece := self.body.read(size):
                yield piece
        finally:
            self.body.close()


def spooled(pool: QueryPool, job: QueryJob, lane: str) -> Answer:
    """Run the job and keep its whole answer; errors (the time limit included)
    are raised here, before the client has been sent anything."""
    stream = pool.run(job)
    # closed by Answer.chunks once sent, or below on an error
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        for chunk in stream:
            body.write(chunk)
    except BaseException:
        body.close()
        raise
    finally:
        stream.close()
    size = body.tell()
    body.seek(0)
    return Answer(body, size, stream.cut, lane)


class HeavyClients:
    """Clients whose queries ran past the fast lane lately (bounded, oldest forgotten)."""

    def __init__(self) -> None:
        self._until: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def mark(self, client: str) -> None:
        with self._lock:
            self._until[client] = time.monotonic() + HEAVY_FOR
            self._until.move_to_end(client)
            while len(self._until) > REMEMBERED_CLIENTS:
                self._until.popitem(last=False)

    def is_heavy(self, client: str) -> bool:
        with self._lock:
            until = self._until.get(client)
            if until is None:
                return False
            if until < time.monotonic():
                del self._until[client]
                return False
            return True


class ClientSlots:
    """How many queries each client has in flight, up to a limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def held(self, client: str) -> Iterator[None]:
        with self._lock:
            count = self._counts.get(client, 0)
            if count >= self.limit:
                raise ClientError(
                    429,
                    f"You have {count} queries running; wait for one to finish "
                    f"(at most {self.limit} at once per client)",
                    {"Retry-After": "1"},
                )
            self._counts[client] = count + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._counts[client] - 1
                if left:
                    self._counts[client] = left
                else:
                    del self._counts[client]


class Lanes:
    """The fast and slow lanes of SPARQL queries, with the clients' shares."""

    def __init__(self, fast: QueryPool, slow: QueryPool, client_queries: int) -> None:
        self.fast, self.slow = fast, slow
        self.heavy = HeavyClients()
        self.slots = ClientSlots(client_queries)

    def answer(self, job: QueryJob, client: str) -> Answer:
        with self.slots.held(client):
            if not self.heavy.is_heavy(client):
                try:
                    return spooled(self.fast, job, "fast")
                except PoolBusy:
                    raise  # many light queries at once: not this one's weight
                except QueryTimeout:
                    self.heavy.mark(client)
            return self._slow(job, client)

    def _slow(self, job: QueryJob, client: str) -> Answer:
        if self.slow.waiting() >= self.slow.size:
            raise ClientError(
                429,
                "Heavy queries are queued to the limit; try again shortly "
                "(queries that run past the fast lane share a few workers)",
                {"Retry-After": str(self._retry_after())},
            )
        started = time.monotonic()
        try:
            return spooled(self.slow, job, "slow")
        finally:
            if time.monotonic() - started > self.fast.timeout:
                self.heavy.mark(client)

    def _retry_after(self) -> int:
        """Seconds until a slow-lane worker is sure to be free (the time limit of
        the query that started first)."""
        return max(1, math.ceil(self.slow.seconds_until_free()))

    def close(self) -> None:
        self.fast.close()
        self.slow.close()


def client_of(address: str | None, agent: str | None) -> str:
    """A client as the shares count it: its address and its User-Agent."""
    return f"{address or '?'} {agent or ''}"
