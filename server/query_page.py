"""The query page at /query: an editor, ready examples, and the results as a table."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, render_template, request

from communique.errors import QueryError
from communique.query.examples import QUESTIONS
from communique.query.guard import ForbiddenQuery
from communique.query.pool import QueryCrashed, QueryOutOfMemory, QueryTimeout
from communique.query.results import ox_term, term_text
from communique.server import analysis, context
from communique.server.links import link
from communique.server.result_views import available, chosen
from communique.server.sparql import guard, job
from communique.vocab import sparql_prefixes

blueprint = Blueprint("query_page", __name__)

STATUS = (
    (ForbiddenQuery, 403),
    (QueryTimeout, 503),
    (QueryOutOfMemory, 503),
    (QueryCrashed, 500),
    (QueryError, 400),
)


@blueprint.route("/query")
def page() -> tuple[str, int]:
    sparql = request.args.get("query", "").strip()
    result, error, status = None, None, 200
    if sparql:
        try:
            result = _table(sparql)
        except (QueryError, QueryTimeout, QueryCrashed) as exc:
            error = str(exc)
            status = next(code for kind, code in STATUS if isinstance(exc, kind))
    editor_text = sparql or sparql_prefixes() + next(iter(QUESTIONS.values())).strip()
    return render_template(
        "query.html",
        query=editor_text,
        ran=bool(sparql),
        examples=[(title, sparql_prefixes() + text.strip()) for title, text in QUESTIONS.items()],
        result=result,
        error=error,
        limit=context.settings().html_row_limit,
        link=link,
        shown=_shown(result),
    ), status


def _shown(result: dict[str, Any] | None) -> str | None:
    """The view of the answer to draw beside its table (``result_views.chosen``)."""
    return chosen(result.get("views", {}), request.args.get("view")) if result else None


def _table(sparql: str) -> dict[str, Any]:
    """The first rows of the answer as a table (columns, rows of texts, whether it
    was cut), or the boolean of an ASK. Triples come as N-Triples, one row each."""
    scan = guard(sparql)
    limit = context.settings().html_row_limit
    graph = scan.first_keyword in ("construct", "describe")
    output = "ntriples" if graph else "json"
    answer = context.lanes().answer(job(sparql, output, first=limit + 1), context.client())
    body = b"".join(answer.chunks())
    if graph:
        columns = ["subject", "predicate", "object"]
        rows = [
            [term_text(t.subject), term_text(t.predicate), term_text(t.object)]
            for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        ]
    else:
        document = json.loads(body)
        if "boolean" in document:
            return {"boolean": document["boolean"]}
        columns = document["head"]["vars"]
        rows = [
            [term_text(ox_term(binding.get(c))) for c in columns]
            for binding in document["results"]["bindings"]
        ]
    cut, rows = len(rows) > limit, rows[:limit]
    return {
        "columns": columns,
        "rows": rows,
        "cut": cut,
        "labels": _labels(rows),
        "views": available(columns, rows, str(context.store().iris.country(""))),
    }


LABELLED_AT_MOST = 2000  # distinct IRIs a results page looks labels up for


def _labels(rows: list[list[str]]) -> dict[str, str]:
    """The labels of the IRIs in the rows, for the table to show (linked, with
    the IRI on hover)."""
    iris = {cell for row in rows for cell in row if cell.startswith(("http://", "https://"))}
    valid = set()
    for iri in sorted(iris)[:LABELLED_AT_MOST]:
        try:
            valid.add(ox.NamedNode(iri).value)
        except ValueError:
            continue
    return analysis.labels(valid)
