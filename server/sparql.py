"""The SPARQL 1.1 query endpoint at /sparql (GET, POST form, POST sparql-query).

Every query passes the guard (length, nesting depth, SERVICE allow-list)
before it reaches a query worker; results stream back in the negotiated
format. GET with no query answers with the Service Description.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from flask import Blueprint, Response, redirect, request, url_for

from communique.formats import GRAPH_FORMATS, HTML, SOLUTION_FORMATS, Format
from communique.query.cache import ResultCache
from communique.query.guard import check_query
from communique.query.pool import QueryJob
from communique.server import context, protocol
from communique.server.description import service_description
from communique.server.errors import ClientError
from communique.server.http import add_cors, negotiate, not_modified, preflight, validators
from communique.sparql_text import Scan

blueprint = Blueprint("sparql", __name__)

SPARQL_QUERY_TYPE = "application/sparql-query"
CACHE_NAME = "communique"


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return preflight()
    if protocol.has("update"):
        raise ClientError(
            400, "Updates are not taken here: POST them to /update with the server's update token"
        )
    if request.method == "GET" and not request.args:
        return add_cors(_service_description())
    sparql = _query_text()
    scan = guard(sparql)
    fmt = negotiate(GRAPH_FORMATS if _is_graph_query(scan) else SOLUTION_FORMATS)
    job_parts = (sparql, fmt.name, *_params("default-graph-uri"), "|", *_params("named-graph-uri"))
    etag, last_modified = validators(*job_parts)
    cached = not_modified(etag, last_modified)
    if cached is not None:
        return add_cors(cached)
    if fmt is HTML:
        return redirect(url_for("query_page.page", query=sparql), code=303)
    response = stream(job(sparql, fmt.name), fmt, etag)
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = last_modified
    return add_cors(response)


def guard(sparql: str) -> Scan:
    settings = context.settings()
    return check_query(
        sparql,
        max_length=settings.max_query_length,
        max_depth=settings.max_query_depth,
        allowed_services=settings.allowed_services,
    )


def stream(job: QueryJob, fmt: Format, etag: str | None = None) -> Response:
    """Run the job on a worker and stream its bytes (errors before the first byte raise).

    With an ``etag``, an answer no larger than a cache entry may be is kept in the
    result cache once it is complete, and served from there the next time.
    """
    cache = context.result_cache() if etag is not None else None
    if cache is None or etag is None:
        return _run(job, fmt, None)
    kept = cache.get(etag)
    if kept is not None:
        return _plain(kept, fmt, "hit")
    return _run(job, fmt, _Keeper(cache, etag))


def _run(job: QueryJob, fmt: Format, keep: _Keeper | None) -> Response:
    """A result that fits in one chunk goes out as a plain body with Content-Length,
    which saves the chunked encoding's extra writes on the many small answers."""
    chunks = context.pool().run(job)
    first = next(chunks, b"")
    second = next(chunks, None)
    if second is None:
        if keep is None:
            return _plain(first, fmt, None)
        keep.add(first)
        return _plain(first, fmt, "fwd=miss; stored" if keep.finish() else "fwd=miss")
    response = Response(_close_after(first, second, chunks, keep), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    if keep is not None:
        response.headers["Cache-Status"] = f"{CACHE_NAME}; fwd=miss"
    return response


def _plain(body: bytes, fmt: Format, cache_status: str | None) -> Response:
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    if cache_status is not None:  # RFC 9211: whether the result cache answered
        response.headers["Cache-Status"] = f"{CACHE_NAME}; {cache_status}"
    return response


class _Keeper:
    """Collects an answer for the cache while it stays small enough."""

    def __init__(self, cache: ResultCache, etag: str) -> None:
        self.cache, self.etag = cache, etag
        self.parts: list[bytes] | None = []
        self.size = 0

    def add(self, chunk: bytes) -> None:
        if self.parts is None:
            return
        self.size += len(chunk)
        if self.size > self.cache.max_entry_bytes:
            self.parts = None  # too large to keep: stop collecting
        else:
            self.parts.append(chunk)

    def finish(self) -> bool:
        """Keep the complete answer; whether it was kept."""
        return self.parts is not None and self.cache.put(self.etag, b"".join(self.parts))


def _close_after(
    first: bytes, second: bytes, chunks: Iterator[bytes], keep: _Keeper | None
) -> Iterator[bytes]:
    try:
        for chunk in itertools.chain((first, second), chunks):
            if keep is not None:
                keep.add(chunk)
            yield chunk
        if keep is not None:
            keep.finish()  # only a complete answer is kept
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # returns the worker, or replaces it when the client left early


def job(sparql: str, output: str, *, first: int | None = None) -> QueryJob:
    """A query from a client, with the dataset its request names and the endpoint's
    IRI as the base of its relative IRIs."""
    return QueryJob(
        sparql=sparql,
        output=output,
        default_graphs=tuple(protocol.graph_iris("default-graph-uri")),
        named_graphs=tuple(protocol.graph_iris("named-graph-uri")),
        first=first,
        csv_safe=context.settings().csv_is_safe,
        base_iri=protocol.service_iri(),
    )


def _query_text() -> str:
    if request.method == "POST":
        if request.mimetype == SPARQL_QUERY_TYPE:
            return protocol.body_text("query")
        if request.mimetype != protocol.FORM_TYPE:
            raise ClientError(
                415,
                f"POST a query as {SPARQL_QUERY_TYPE} or {protocol.FORM_TYPE}, "
                f"not {request.mimetype or 'no content type'}",
            )
    queries = protocol.values("query")
    if not queries:
        raise ClientError(400, "No query: pass the SPARQL query in the 'query' parameter")
    if len(queries) > 1:
        raise ClientError(400, "More than one 'query' parameter: send exactly one query")
    return queries[0]


def _params(name: str) -> list[str]:
    return protocol.graph_iris(name)


def _is_graph_query(scan: Scan) -> bool:
    return scan.first_keyword in ("construct", "describe")


def _service_description() -> Response:
    fmt = negotiate(GRAPH_FORMATS)
    if fmt is HTML:
        return redirect(url_for("query_page.page"), code=303)
    graph = service_description(request.url_root, context.settings())
    response = Response(graph.serialize(format=fmt.rdflib), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


__all__ = ["blueprint", "guard", "job", "stream"]
