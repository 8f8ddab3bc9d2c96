"""The analyst's views: a country, a pair of actors, the relations of the most
active countries. Each is a page and has two twins with the same data, named
by a suffix: ``.json`` (everything the page shows) and ``.csv`` (its main
table), so whatever a person sees can be downloaded as it is, filters kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from communique.server import analysis, context, statements
from communique.server.errors import ClientError
from communique.server.filters import STATEMENT_CLAUSES, Filters, from_request, named
from communique.server.http import csv_download
from communique.server.links import link

blueprint = Blueprint("views", __name__)

LISTING_COLUMNS = [
    "date", "published", "placed_by_article", "label", "type", "status", "confidence",
    "sentence", "event", "article",
]  # fmt: skip
MATRIX_COLUMNS = [
    "from",
    "from_name",
    "to",
    "to_name",
    "events",
    "initiated",
    "hostile",
    "hostile_share",
]


@blueprint.route("/country/<code>")
@blueprint.route("/country/<code>.<suffix>")
def country(code: str, suffix: str = "html") -> Response:
    iri = ox.NamedNode(str(context.store().iris.country(code.upper())))
    name, is_country = analysis.name_of(iri)
    if not is_country:
        raise ClientError(404, f"no country {code!r} in this store: try /search?q={code}")
    filters = from_request(set(analysis.quad_classes()), context.store().iris.base)
    months, summary = analysis.country_summary(iri)
    events, more = analysis.country_events(iri, filters, months)
    data = {
        "country": iri.value,
        "name": name,
        "code": code.upper(),
        "filters": filters.values,
        "page": filters.page,
        **summary,
        "events": events,
        "next": _next(filters, more),
    }
    page = lambda: render_template(  # noqa: E731 (built only when asked for)
        "country.html", d=data, f=filters, twins=_twins(filters), link=link, types=_types()
    )
    return _answer(suffix, data, page, "events", LISTING_COLUMNS, f"{code.upper()}-events")


@blueprint.route("/pair")
@blueprint.route("/pair.<suffix>")
def pair(suffix: str = "html") -> Response:
    first, second = _actor_param("a"), _actor_param("b")
    (name_a, country_a), (name_b, country_b) = analysis.name_of(first), analysis.name_of(second)
    filters = from_request(set(analysis.quad_classes()), context.store().iris.base)
    months, summary = (
        analysis.pair_summary(first, second) if country_a and country_b else (None, None)
    )
    events, more = analysis.pair_events((first, country_a), (second, country_b), filters, months)
    data = {
        "a": first.value,
        "b": second.value,
        "name_a": name_a,
        "name_b": name_b,
        "filters": filters.values,
        "page": filters.page,
        "summary": summary,
        "events": events,
        "next": _next(filters, more),
    }
    page = lambda: render_template(  # noqa: E731
        "pair.html", d=data, f=filters, twins=_twins(filters), link=link, types=_types()
    )
    return _answer(suffix, data, page, "events", LISTING_COLUMNS, "pair-events")


@blueprint.route("/statements")
@blueprint.route("/statements.<suffix>")
def said(suffix: str = "html") -> Response:
    """What was said: by whom (``speaker``), about whom (``about``), when."""
    base = context.store().iris.base
    filters = from_request(set(), base, STATEMENT_CLAUSES)
    if suffix == "html" and not any(k in filters.values for k in statements.NAMED_BY):
        return Response(
            render_template("statements.html", d=None, f=filters, top=statements.top_speakers()),
            mimetype="text/html",
        )
    rows, more = statements.page_of(filters)
    names = {
        key: analysis.name_of(filters.terms[key])[0]  # type: ignore[arg-type]
        for key in ("speaker", "about")
        if key in filters.terms
    }
    data = {
        "filters": filters.values,
        "names": names,
        "page": filters.page,
        "statements": rows,
        "next": _next(filters, more),
    }
    page = lambda: render_template(  # noqa: E731
        "statements.html", d=data, f=filters, twins=_twins(filters), link=link
    )
    return _answer(suffix, data, page, "statements", statements.COLUMNS, "statements")


@blueprint.route("/relations")
@blueprint.route("/relations.<suffix>")
def relations(suffix: str = "html") -> Response:
    data = analysis.relations()
    rows = matrix_rows(data)
    page = lambda: render_template("relations.html", rel=data, twins=_twins(None))  # noqa: E731
    return _answer(suffix, {**data, "rows": rows}, page, "rows", MATRIX_COLUMNS, "relations")


def matrix_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The matrix as one row per ordered pair of countries with events."""
    names = {c["iri"]: c["name"] for c in data["countries"]}
    rows = []
    for key, cell in sorted(data["cells"].items()):
        this, other = key.split(" ")
        rows.append(
            {
                "from": this,
                "from_name": names[this],
                "to": other,
                "to_name": names[other],
                **{k: cell[k] for k in ("events", "initiated", "hostile", "hostile_share")},
            }
        )
    return rows


def _actor_param(name: str) -> ox.NamedNode:
    """An actor named by a URL parameter: its path under the base IRI
    (``country/RU``) or a whole IRI."""
    value = request.args.get(name, "").strip()
    if not value:
        raise ClientError(
            400, f"give both actors: /pair?a=country/RU&b=country/SY ({name}= is missing)"
        )
    return named(name, value, context.store().iris.base)


def _types() -> list[str]:
    return sorted(analysis.quad_classes())


def _next(filters: Filters, more: bool) -> dict[str, Any] | None:
    return filters.link(page=filters.page + 1) if more else None


def _twins(filters: Filters | None) -> dict[str, str]:
    """The addresses of the page's JSON and CSV twins, with its parameters."""
    endpoint = request.endpoint or ""
    args = {**(request.view_args or {}), **request.args.to_dict()}
    args.pop("suffix", None)
    return {fmt: url_for(endpoint, **args, suffix=fmt) for fmt in ("json", "csv")}


def _answer(
    suffix: str,
    data: dict[str, Any],
    page: Callable[[], str],
    table: str,
    columns: list[str],
    filename: str,
) -> Response:
    if suffix == "json":
        body = json.dumps(data, ensure_ascii=False, indent=1, default=str)
        return Response(body, mimetype="application/json")
    if suffix == "csv":
        return csv_download(data[table], columns, filename)
    if suffix != "html":
        raise ClientError(404, f".{suffix} is not offered here: add .json or .csv, or nothing")
    return Response(page(), mimetype="text/html")
