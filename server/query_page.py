"""The query page at /query: an editor, ready examples, and the results as a table."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from communique.errors import QueryError
from communique.query.examples import QUESTIONS
from communique.query.guard import ForbiddenQuery
from communique.query.pool import QueryCrashed, QueryTimeout
from communique.server import context
from communique.server.resources import link
from communique.server.sparql import guard, rows
from communique.vocab import sparql_prefixes

blueprint = Blueprint("query_page", __name__)

STATUS = ((ForbiddenQuery, 403), (QueryTimeout, 503), (QueryCrashed, 500), (QueryError, 400))


@blueprint.route("/query")
def page() -> tuple[str, int]:
    sparql = request.args.get("query", "").strip()
    result, error, status = None, None, 200
    if sparql:
        try:
            guard(sparql)
            result = rows(sparql)
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
    ), status
