"""The events table at /export/events.csv, .parquet and .jsonl (PLOVER JSON):
the same rows and columns as `communique export events`, with the filters of
the pages (from, to, actor, type, min_confidence) as URL parameters.

CSV and PLOVER JSON stream as they are read (memory flat however many events);
Parquet, whose footer comes last, is written to a spooled temporary file first.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, request

from communique.errors import QueryError
from communique.export.events import EventFilter, Exporter, day_of
from communique.export.writers import EXPORT_FORMATS, csv_chunks, plover_lines, write_parquet
from communique.query.capped import guard_formula
from communique.server import context
from communique.server.errors import ClientError
from communique.server.filters import confidence, named
from communique.server.http import add_cors

blueprint = Blueprint("exports", __name__)

SUFFIXES = {f.suffix.lstrip("."): f for f in EXPORT_FORMATS.values()}
Row = dict[str, Any]
SPOOL_BYTES = 32 * 1024 * 1024  # a Parquet file up to this stays in memory


@blueprint.route("/export/events.<suffix>")
def events(suffix: str) -> Response:
    fmt = SUFFIXES.get(suffix)
    if fmt is None:
        raise ClientError(404, f"no events table as .{suffix}: give .csv, .parquet or .jsonl")
    store = context.store()
    store.refresh()
    exporter = Exporter(store)
    try:
        rows = exporter.rows(_filter_from_request())
        first = next(rows, None)  # a bad filter is a 400 before anything is sent
    except QueryError as exc:
        raise ClientError(400, str(exc)) from exc
    every = _chain(first, rows)
    if fmt.name == "csv":
        guard = guard_formula if context.settings().csv_is_safe else str
        body: Iterator[str] | Iterator[bytes] = csv_chunks(every, guard)
    elif fmt.name == "plover-json":
        body = plover_lines(every)
    else:
        body = _parquet(every)
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="events{fmt.suffix}"'
    return add_cors(response)


def _filter_from_request() -> EventFilter:
    args = request.args
    try:
        start = day_of(args["from"]) if args.get("from") else None
        end = day_of(args["to"], end=True) if args.get("to") else None
    except QueryError as exc:
        raise ClientError(400, f"from/to: {exc}") from exc
    actor = args.get("actor", "").strip()
    types = [t.strip().upper() for value in args.getlist("type") for t in value.split(",")]
    base = context.store().iris.base
    return EventFilter(
        start=start,
        end=end,
        actor=named("actor", actor, base).value if actor else None,
        types=tuple(t for t in types if t),
        min_confidence=confidence(args.get("min_confidence", "0")),
    )


def _chain(first: Row | None, rest: Iterator[Row]) -> Iterator[Row]:
    if first is not None:
        yield first
        yield from rest


def _parquet(rows: Iterator[Row]) -> Iterator[bytes]:
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        write_parquet(rows, spool)
        spool.seek(0)
        while chunk := spool.read(1024 * 1024):
            yield chunk
