"""Every IRI resolves: /id/… for IRIs under the base, /describe?uri= for any other.

The server maps its own /id/ path onto the configured base IRI, so the same
data browses on localhost and behind a public name. A program gets Turtle,
JSON-LD, N-Triples or RDF/XML (by Accept, or by a .ttl/.jsonld/.nt/.rdf
suffix); a browser gets a page. The answer is given directly (200, with
``Vary: Accept`` and a ``Content-Location`` naming the variant), not by a
303 redirect: one round trip instead of two, and the same everywhere.

The IRI a request names is checked as an IRI (pyoxigraph's ``NamedNode``)
and bound to ``?this`` in every query; it is never written into query text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from communique.formats import GRAPH_FORMATS, HTML, Format
from communique.formats import Kind as FormatKind
from communique.query.jobs import QueryJob
from communique.server import context
from communique.server.errors import ClientError
from communique.server.http import add_cors, negotiate, validators
from communique.server.links import VARIANTS, link, split_suffix, table_paths, variant_path
from communique.server.sections.kinds import Sections, sections_for
from communique.server.sparql import stream
from communique.sparql_text import values_of
from communique.vocab import DIP

blueprint = Blueprint("resources", __name__)

PAGE_SIZE = 50
LONG_TEXT = 600
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

KNOWN = "SELECT ?this ?p WHERE { { ?this ?p ?o } UNION { ?s ?p ?this } } LIMIT 1"
DESCRIPTION = (
    "CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"
)
# The same statements as a table: which way each points, the property, the
# other end, and its label where it has one.
STATEMENTS = """SELECT ?this ?direction ?property ?value ?valueLabel WHERE {
  { ?this ?property ?value BIND("out" AS ?direction) }
  UNION { ?value ?property ?this BIND("in" AS ?direction) }
  OPTIONAL { ?value rdfs:label ?valueLabel FILTER(LANG(?valueLabel) IN ('en', '')) } }"""
OUT_COUNTS = "SELECT ?this ?p (COUNT(*) AS ?n) WHERE { ?this ?p ?o } GROUP BY ?this ?p ORDER BY ?p"
OUT_VALUES = f"SELECT ?this ?p ?o WHERE {{ ?this ?p ?o }} ORDER BY ?o LIMIT {PAGE_SIZE}"
IN_COUNTS = (
    "SELECT ?this ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?this } GROUP BY ?this ?p ORDER BY DESC(?n)"
)
IN_VALUES = "SELECT ?this ?p ?s WHERE {{ ?s ?p ?this }} ORDER BY ?s LIMIT {limit} OFFSET {offset}"
TITLE = """SELECT ?this ?l WHERE { ?this rdfs:label|skos:prefLabel|schema:headline|dip:text ?l
  FILTER(LANG(?l) IN ('en', '')) }"""
LABELS = """SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }}
  ?x rdfs:label|skos:prefLabel|schema:headline|dip:text ?l FILTER(LANG(?l) IN ('en', '')) }}"""


@blueprint.route("/id/<path:rest>")
def local(rest: str) -> Response:
    path, fmt = split_suffix(rest)
    iri = _checked(context.store().iris.base + path, 404)
    return describe_iri(iri, fmt)


@blueprint.route("/describe")
def describe() -> Response:
    uri = request.args.get("uri", "").strip()
    if not uri:
        raise ClientError(400, "Name the resource: /describe?uri=<IRI>")
    forced = request.args.get("format")
    fmt = HTML if forced == "html" else GRAPH_FORMATS.get(forced or "")
    return describe_iri(_checked(uri, 400), fmt)


def _checked(iri: str, status: int) -> ox.NamedNode:
    """The IRI as a term, or the client error a malformed one earns (a path that
    is no IRI names nothing here: 404; a malformed ?uri= is a bad request: 400)."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        if status == 404:
            raise ClientError(404, f"Nothing is known about {iri!r} here") from exc
        raise ClientError(400, f"Not an absolute IRI: {iri!r}") from exc


def describe_iri(iri: ox.NamedNode, forced: Format | None) -> Response:
    if not context.select(KNOWN, {"this": iri}):
        raise ClientError(404, f"Nothing is known about <{iri.value}> here")
    fmt = forced or negotiate(GRAPH_FORMATS)
    if fmt is HTML:
        response = Response(_page_html(iri), mimetype="text/html")
    elif fmt.kind is FormatKind.SOLUTIONS:  # the statements as a table
        job = QueryJob(sparql=STATEMENTS, output=fmt.name, substitutions=(("this", iri),))
        response = stream(job, fmt)
    else:
        job = QueryJob(sparql=DESCRIPTION, output=fmt.name, substitutions=(("this", iri),))
        response = stream(job, fmt)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = variant_path(iri.value, fmt)
    return add_cors(response)


def _page_html(iri: ox.NamedNode) -> bytes:
    """The page, from the result cache when this view of it was made since the
    store last changed (its key names the IRI, the page number and the store's
    generation): a page costs a score of queries, and popular pages are asked
    for again and again."""
    cache = context.result_cache()
    key, _modified = validators("page", iri.value, str(_page_number()))
    kept = cache.get(key) if cache is not None else None
    if kept is not None:
        return kept
    html = render_template("resource.html", page=build_page(iri)).encode("utf-8")
    if cache is not None:
        cache.put(key, html)
    return html


# --------------------------------------------------------------------------- the page
@dataclass
class Value:
    text: str
    href: str | None = None
    note: str | None = None  # a literal's language or datatype


@dataclass
class Group:
    property_iri: str
    property_label: str
    values: list[Value] = field(default_factory=list)
    total: int = 0
    page: int = 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


@dataclass
class Page:
    iri: str
    title: str
    types: list[Value]
    outgoing: list[Group]
    incoming: list[Group]
    formats: list[tuple[str, str]]
    sections: Sections | None = None  # what this kind of resource shows besides


def build_page(iri: ox.NamedNode) -> Page:
    types, outgoing = _outgoing_groups(iri)
    incoming = _incoming_groups(iri)
    iris = {g.property_iri for g in outgoing} | {v.text for v in types}
    iris |= {v.text for g in outgoing for v in g.values if v.href}
    labels = _labels(iris)
    for group in outgoing:
        group.property_label = labels.get(group.property_iri, _short(group.property_iri))
        for value in group.values:
            value.text = labels.get(value.text, value.text) if value.href else value.text
    for group in outgoing:
        if group.property_iri == MENTIONED_AS:
            group.values = _once_each(group.values)
    type_iris = [v.text for v in types]
    for value in types:
        value.text = labels.get(value.text, value.text)
    formats = [(f.name, variant_path(iri.value, f)) for f in VARIANTS if f is not HTML]
    formats += table_paths(iri.value)
    return Page(
        iri.value,
        _title(iri),
        types,
        outgoing,
        incoming,
        formats,
        sections_for(iri, type_iris),
    )


MENTIONED_AS = str(DIP.mentionedAs)


def _once_each(values: list[Value]) -> list[Value]:
    """Mentions by their words, each once with how often ("Russia, 48 times"): a
    country's page listed the same name fifty times."""
    counts: dict[str, int] = {}
    first: dict[str, Value] = {}
    for value in values:
        counts[value.text] = counts.get(value.text, 0) + 1
        first.setdefault(value.text, value)
    return [
        Value(text, first[text].href, f"{n} times" if n > 1 else None) for text, n in counts.items()
    ]


def _title(iri: ox.NamedNode) -> str:
    rows = context.select(TITLE, {"this": iri})
    return str(rows[-1]["l"]) if rows else iri.value


def _outgoing_groups(iri: ox.NamedNode) -> tuple[list[Value], list[Group]]:
    """The resource's types, and its statements grouped by property: a count and the
    first page of values of each (a hub can have thousands of mentions)."""
    counts = context.select(OUT_COUNTS, {"this": iri})
    results = context.select_many(
        [(OUT_VALUES, {"this": iri, "p": ox.NamedNode(row["p"])}) for row in counts], terms=True
    )
    types: list[Value] = []
    groups: list[Group] = []
    for row, rows in zip(counts, results, strict=True):
        prop = str(row["p"])
        values = [r["o"] for r in rows]
        if prop == RDF_TYPE:
            types = [Value(v.value, link(v.value)) for v in values if isinstance(v, ox.NamedNode)]
            continue
        group = Group(prop, prop, total=int(row["n"]))
        group.values = [_value(v) for v in values]
        groups.append(group)
    return types, groups


def _incoming_groups(iri: ox.NamedNode) -> list[Group]:
    """Incoming links grouped by property, with counts and one page of each group."""
    counts = context.select(IN_COUNTS, {"this": iri})
    wanted = request.args.get("in")
    page = _page_number()
    groups = []
    queries: list[tuple[str, dict[str, Any] | None]] = []
    for row in counts:
        prop = str(row["p"])
        number = page if prop == wanted else 1
        groups.append(Group(prop, prop, total=int(row["n"]), page=number))
        sparql = IN_VALUES.format(limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        queries.append((sparql, {"this": iri, "p": ox.NamedNode(prop)}))
    if queries:
        for group, subjects in zip(groups, context.select_many(queries), strict=True):
            group.values = [Value(str(r["s"]), link(str(r["s"]))) for r in subjects]
    labels = _labels({g.property_iri for g in groups} | {v.text for g in groups for v in g.values})
    for group in groups:
        group.property_label = labels.get(group.property_iri, _short(group.property_iri))
        for value in group.values:
            value.text = labels.get(value.text, value.text)
    return groups


def _page_number() -> int:
    text = request.args.get("page", "1") or "1"
    if not text.isdecimal() or not 0 < int(text) < 10**9:
        raise ClientError(400, f"?page= takes a whole number from 1, not {text!r}")
    return int(text)


def _labels(iris: set[str]) -> dict[str, str]:
    """Names for many IRIs the store gave at once: rdfs:label or skos:prefLabel in
    English, an article's headline, a mention's text."""
    iris = {i for i in iris if isinstance(i, str) and i.startswith(("http://", "https://"))}
    if not iris:
        return {}
    rows = context.select(LABELS.format(values=values_of(sorted(iris))))
    return {str(r["x"]): str(r["l"]) for r in rows}


def _value(term: ox.Term) -> Value:
    """A value for the page; an IRI's text is replaced by its label later."""
    if isinstance(term, ox.NamedNode):
        return Value(term.value, link(term.value))
    if isinstance(term, ox.Literal):
        text = term.value if len(term.value) <= LONG_TEXT else term.value[:LONG_TEXT] + " …"
        note = term.language or _short(term.datatype.value)
        return Value(text, None, None if note == "string" else note)
    return Value(str(term))


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
