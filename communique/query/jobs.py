"""What the server hands a query worker: the job, and the limits each worker of
a pool works under. Shared by the pool (``pool.py``) and the worker
(``worker.py``), which import each other through it only.

Messages from a worker are bytes with a one-byte tag: ``R`` ready (once, when
it has started), ``D`` a chunk of data, ``C`` the cap that cut the answer,
``E`` the end, ``Q`` a query error (the client's fault), ``M`` out of memory,
``X`` a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from communique.query.capped import ResultCap

CHUNK = 64 * 1024  # bytes of an answer per message


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
    cap: ResultCap = field(default_factory=ResultCap)


@dataclass(frozen=True)
class WorkerLimits:
    """What each worker of a pool may use: seconds per query, megabytes of memory
    (None: no ceiling), and whether it runs in the background: only on CPU
    time no other process wants (SCHED_IDLE), so that it yields the CPU to
    other pools' workers)."""

    timeout: float
    memory_mb: int | None = None
    background: bool = False
