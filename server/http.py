"""HTTP helpers shared by the routes: content negotiation, CORS, validators."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from flask import Response, request

from communique.formats import HTML, Format, by_name
from communique.server import context
from communique.server.errors import ClientError


def negotiate(table: dict[str, Format], *, html: bool = True) -> Format:
    """A ``format=`` parameter wins; else the Accept header with its q-values.

    Only a client that names text/html (a browser) gets HTML, never one sending */*.
    """
    requested = request.values.get("format")
    if requested:
        # the name within this table first: format=xml of a graph is RDF/XML (as
        # SPARQLWrapper asks), of solutions SPARQL XML
        named = _in_table(table, requested) or by_name(requested)
        key = named.name if named is not None else requested
        if key == "html" and html:
            return HTML
        if key not in table:
            offered = [*table, "html"] if html else list(table)
            raise ClientError(
                406,
                f"format={requested!r} is not offered here; choose one of: {', '.join(offered)}",
            )
        return table[key]
    offered = _media_types(table)
    candidates = list(offered) + ([HTML.media_type] if html else [])
    default = next(iter(table.values()))
    if not request.accept_mimetypes:
        return default
    best = request.accept_mimetypes.best_match(candidates)
    if best is None:
        raise ClientError(
            406,
            "None of the formats in the Accept header can be produced; "
            f"offered: {', '.join(candidates)}",
        )
    if best == HTML.media_type:
        named = any(mt == "text/html" for mt, _q in request.accept_mimetypes)
        return HTML if named else default
    return offered[best]


def _in_table(table: dict[str, Format], requested: str) -> Format | None:
    return next(
        (f for f in table.values() if requested in (f.name, f.media_type, *f.aliases)), None
    )


def _media_types(table: dict[str, Format]) -> dict[str, Format]:
    """Each media type a client may ask for, with the format it gets: a format's
    own type first, then the other types it answers to (``application/json``
    for SPARQL JSON results, as many clients send)."""
    offered = {f.media_type: f for f in table.values()}
    for f in table.values():
        for alias in f.aliases:
            if "/" in alias:
                offered.setdefault(alias, f)
    return offered


def validators(*parts: str) -> tuple[str, str | None]:
    """An ETag for this representation and the store's Last-Modified date.

    The ETag changes whenever the store changes (its generation) or the request does.
    """
    state = context.store().state()
    digest = hashlib.sha256(
        "\x1f".join((str(state.get("generation", 0)), *parts)).encode("utf-8")
    ).hexdigest()[:20]
    modified = state.get("last_modified")
    when = format_datetime(datetime.fromisoformat(modified), usegmt=True) if modified else None
    return f'"{digest}"', when


def not_modified(etag: str, last_modified: str | None) -> Response | None:
    """A 304 when the client's copy is current (GET and HEAD only)."""
    if request.method not in ("GET", "HEAD"):
        return None
    fresh = (
        etag.strip('"') in request.if_none_match
        if request.if_none_match
        else (
            last_modified is not None
            and request.if_modified_since is not None
            and request.if_modified_since
            >= datetime.fromisoformat(context.store().state()["last_modified"]).replace(
                microsecond=0
            )
        )
    )
    if not fresh:
        return None
    response = Response(status=304)
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = last_modified
    return response


def add_cors(response: Response) -> Response:
    origins = context.settings().cors_origins
    if origins:
        response.headers["Access-Control-Allow-Origin"] = origins
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Last-Modified, Content-Type, Retry-After, "
            "Communique-Result-Limit, Communique-Result-Cut, Communique-Lane"
        )
    return response


def preflight() -> Response:
    response = Response(status=204)
    add_cors(response)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def csv_download(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Response:
    """Rows as a CSV file to save (``filename`` without its suffix): the columns
    given, in their order, and nothing else of each row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
