"""The SPARQL 1.1 query endpoint at /sparql (GET, POST form, POST sparql-query).

Every query passes the guard (length, nesting depth, SERVICE allow-list)
before it reaches a query worker; results stream back in the negotiated
format. GET with no query answers with the Service Description.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from communique.formats import GRAPH_FORMATS, HTML, SOLUTION_FORMATS, Format
from communique.query.guard import check_query
from communique.query.jobs import QueryJob
from communique.server import context, protocol
from communique.server.description import service_description
from communique.server.errors import ClientError
from communique.server.http import add_cors, negotiate, not_modified, preflight, validators
from communique.server.lanes import Answer
from communique.sparql_text import Scan

blueprint = Blueprint("sparql", __name__)

SPARQL_QUERY_TYPE = "application/sparql-query"
CACHE_NAME = "communique"
PLAIN_BODY = 64 * 1024  # answers up to this size go out in one piece
LIMIT_HEADER = "Communique-Result-Limit"  # the caps an answer is held to
CUT_HEADER = "Communique-Result-Cut"  # the cap that cut this answer: rows or bytes
LANE_HEADER = "Communique-Lane"  # fast or slow (see communique.server.lanes)


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
    """Run the job in its client's lane and send the answer once it is complete
    (errors, the time limit included, answer with their own status).

    With an ``etag``, an answer no larger than a cache entry may be is kept in the
    result cache, and served from there the next time.
    """
    cache = context.result_cache() if etag is not None else None
    if cache is not None and etag is not None:
        kept = cache.get(etag)
        if kept is not None:
            return _plain(kept, fmt, "hit")
    answer = context.lanes().answer(job, context.client())
    whole = max(PLAIN_BODY, cache.max_entry_bytes if cache is not None else 0)
    if answer.size <= whole:
        body = answer.body.read()
        answer.body.close()
        status = None
        if cache is not None and etag is not None:
            kept_now = answer.cut is None and cache.put(etag, body)
            status = "fwd=miss; stored" if kept_now else "fwd=miss"
        return _described(_plain(body, fmt, status), job, answer)
    response = Response(answer.chunks(), mimetype=fmt.media_type)
    response.call_on_close(answer.body.close)  # also when the body is never read (HEAD)
    response.headers["Content-Length"] = str(answer.size)
    response.headers["Vary"] = "Accept"
    if cache is not None:
        response.headers["Cache-Status"] = f"{CACHE_NAME}; fwd=miss"
    return _described(response, job, answer)


def _described(response: Response, job: QueryJob, answer: Answer) -> Response:
    """Headers on every answer: the caps, the one that cut this answer, its lane."""
    response.headers[LIMIT_HEADER] = job.cap.header()
    if answer.cut is not None:
        response.headers[CUT_HEADER] = answer.cut
    response.headers[LANE_HEADER] = answer.lane
    return response


def _plain(body: bytes, fmt: Format, cache_status: str | None) -> Response:
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    if cache_status is not None:  # RFC 9211: whether the result cache answered
        response.headers["Cache-Status"] = f"{CACHE_NAME}; {cache_status}"
    return response


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
        cap=context.result_cap(),
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
