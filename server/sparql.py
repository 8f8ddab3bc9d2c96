"""The SPARQL 1.1 query endpoint at /sparql (GET, POST form, POST sparql-query).

The result format is chosen by a ``format=`` parameter, else by the Accept
header (with q-values); a browser gets an HTML table.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from communique.querying import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    Format,
    is_graph_result,
    run_query,
    serialize,
    term_text,
)
from communique.server import context
from communique.server.errors import ClientError

blueprint = Blueprint("sparql", __name__)

HTML = Format("html", "text/html", None)
FORMAT_ALIASES = {
    "srj": "json",
    "application/sparql-results+json": "json",
    "application/json": "json",
    "srx": "xml",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "ttl": "turtle",
    "text/turtle": "turtle",
    "nt": "ntriples",
    "application/n-triples": "ntriples",
    "json-ld": "jsonld",
    "application/ld+json": "jsonld",
    "rdf": "rdfxml",
    "xml-rdf": "rdfxml",
    "application/rdf+xml": "rdfxml",
}
SPARQL_QUERY_TYPE = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    sparql = _query_text()
    results = run_query(
        context.store(),
        sparql,
        default_graphs=_params("default-graph-uri"),
        named_graphs=_params("named-graph-uri"),
    )
    fmt = _choose_format(results)
    if fmt is HTML:
        return _html(sparql, results)
    response = Response(serialize(results, fmt), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


def _query_text() -> str:
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == SPARQL_QUERY_TYPE:
            return request.get_data(as_text=True)
        if mimetype not in (FORM_TYPE, "multipart/form-data"):
            raise ClientError(
                415,
                f"POST a query as {SPARQL_QUERY_TYPE} or {FORM_TYPE}, "
                f"not {mimetype or 'no content type'}",
            )
    queries = request.values.getlist("query")
    if not queries:
        raise ClientError(400, "No query: pass the SPARQL query in the 'query' parameter")
    if len(queries) > 1:
        raise ClientError(400, "More than one 'query' parameter: send exactly one query")
    return queries[0]


def _params(name: str) -> list[str]:
    return request.values.getlist(name)


def _choose_format(results: Any) -> Format:
    table = GRAPH_FORMATS if is_graph_result(results) else SOLUTION_FORMATS
    requested = request.values.get("format")
    if requested:
        key = FORMAT_ALIASES.get(requested, requested)
        if key == "html":
            return HTML
        if key not in table:
            raise ClientError(
                406,
                f"format={requested!r} is not offered for this query; "
                f"choose one of: {', '.join([*table, 'html'])}",
            )
        return table[key]
    candidates = [f.media_type for f in table.values()] + [HTML.media_type]
    if not request.accept_mimetypes:
        return next(iter(table.values()))
    best = request.accept_mimetypes.best_match(candidates)
    if best is None:
        raise ClientError(
            406,
            "None of the formats in the Accept header can be produced; "
            f"offered: {', '.join(candidates)}",
        )
    if best == HTML.media_type and not _prefers_html():
        return next(iter(table.values()))
    return (
        HTML if best == HTML.media_type else next(f for f in table.values() if f.media_type == best)
    )


def _prefers_html() -> bool:
    """Only a client that names text/html (a browser) gets HTML, never one sending */*."""
    return any(mt == "text/html" for mt, _q in request.accept_mimetypes)


def _html(sparql: str, results: Any) -> Response:
    limit = context.settings().html_row_limit
    if isinstance(results, ox.QueryBoolean):
        body = render_template("results.html", query=sparql, boolean=bool(results))
    elif is_graph_result(results):
        triples = list(islice(results, limit + 1))
        rows = [
            [term_text(t.subject), term_text(t.predicate), term_text(t.object)]
            for t in triples[:limit]
        ]
        body = render_template(
            "results.html",
            query=sparql,
            columns=["subject", "predicate", "object"],
            rows=rows,
            cut=len(triples) > limit,
            limit=limit,
        )
    else:
        columns = [v.value for v in results.variables]
        solutions = list(islice(results, limit + 1))
        rows = [[term_text(s[c]) for c in columns] for s in solutions[:limit]]
        body = render_template(
            "results.html",
            query=sparql,
            columns=columns,
            rows=rows,
            cut=len(solutions) > limit,
            limit=limit,
        )
    return Response(body, mimetype="text/html")
