"""Every IRI resolves: /id/… for IRIs under the base, /describe?uri= for any other.

The server maps its own /id/ path onto the configured base IRI, so the same
data browses on localhost and behind a public name. A program gets Turtle,
JSON-LD, N-Triples or RDF/XML (by Accept, or by a .ttl/.jsonld/.nt/.rdf
suffix); a browser gets a page. The answer is given directly (200, with
``Vary: Accept`` and a ``Content-Location`` naming the variant), not by a
303 redirect: one round trip instead of two, and the same everywhere.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from communique.query.pool import QueryJob
from communique.query.results import GRAPH_FORMATS
from communique.server import context
from communique.server.errors import ClientError
from communique.server.http import HTML, add_cors, negotiate
from communique.server.sparql import stream

blueprint = Blueprint("resources", __name__)

SUFFIXES = {
    ".ttl": "turtle",
    ".jsonld": "jsonld",
    ".nt": "ntriples",
    ".rdf": "rdfxml",
    ".html": "html",
}
PAGE_SIZE = 50
LONG_TEXT = 600
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@blueprint.route("/id/<path:rest>")
def local(rest: str) -> Response:
    for suffix, name in SUFFIXES.items():
        if rest.endswith(suffix):
            return describe_iri(context.store().iris.base + rest[: -len(suffix)], name)
    return describe_iri(context.store().iris.base + rest, None)


@blueprint.route("/describe")
def describe() -> Response:
    uri = request.args.get("uri", "").strip()
    if not uri:
        raise ClientError(400, "Name the resource: /describe?uri=<IRI>")
    try:
        ox.NamedNode(uri)
    except ValueError as exc:
        raise ClientError(400, f"Not an absolute IRI: {uri!r}") from exc
    return describe_iri(uri, request.args.get("format"))


def describe_iri(iri: str, forced: str | None) -> Response:
    store = context.store()
    known = f"SELECT ?p WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} LIMIT 1"
    if not store.select(known):
        raise ClientError(404, f"Nothing is known about <{iri}> here")
    fmt = (
        HTML
        if forced == "html"
        else (GRAPH_FORMATS[forced] if forced in GRAPH_FORMATS else negotiate(GRAPH_FORMATS))
    )
    if fmt is HTML:
        response = Response(
            render_template("resource.html", page=build_page(iri)), mimetype="text/html"
        )
    else:
        sparql = (
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ "
            f"{{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
        )
        response = stream(QueryJob(sparql=sparql, output=fmt.name), fmt)
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = variant_path(iri, fmt.name)
    return add_cors(response)


def variant_path(iri: str, fmt: str) -> str:
    suffix = next((s for s, name in SUFFIXES.items() if name == fmt), "")
    base = context.store().iris.base
    if iri.startswith(base):
        return url_for("resources.local", rest=iri[len(base) :] + suffix)
    return url_for("resources.describe", uri=iri, format=fmt)


def link(iri: str) -> str:
    """Where a page links an IRI: its own page here, or /describe for outside IRIs."""
    base = context.store().iris.base
    if iri.startswith(base) and not iri.endswith(tuple(SUFFIXES)):
        return "/id/" + quote(iri[len(base) :], safe="/:@-._~")
    return url_for("resources.describe", uri=iri)


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
    sections: Any = None  # views.Sections: what this kind of resource shows besides


def build_page(iri: str) -> Page:
    types, outgoing = _outgoing_groups(iri)
    incoming = _incoming_groups(iri)
    iris = {iri} | {g.property_iri for g in outgoing} | {v.text for v in types}
    iris |= {v.text for g in outgoing for v in g.values if v.href}
    labels = _labels(iris)
    for group in outgoing:
        group.property_label = labels.get(group.property_iri, _short(group.property_iri))
        for value in group.values:
            value.text = labels.get(value.text, value.text) if value.href else value.text
    type_iris = [v.text for v in types]
    for value in types:
        value.text = labels.get(value.text, value.text)
    formats = [
        (name, variant_path(iri, name)) for name in ("turtle", "jsonld", "ntriples", "rdfxml")
    ]
    from communique.server.views import sections_for

    return Page(
        iri,
        labels.get(iri) or iri,
        types,
        outgoing,
        incoming,
        formats,
        sections_for(iri, type_iris),
    )


def _outgoing_groups(iri: str) -> tuple[list[Value], list[Group]]:
    """The resource's types, and its statements grouped by property: a count and the
    first page of values of each (a hub can have thousands of mentions)."""
    store = context.store()
    counts = store.select(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ <{iri}> ?p ?o }} GROUP BY ?p ORDER BY ?p"
    )
    queries = [
        f"SELECT ?o WHERE {{ <{iri}> <{row['p']}> ?o }} ORDER BY ?o LIMIT {PAGE_SIZE}"
        for row in counts
    ]
    with ThreadPoolExecutor(max_workers=min(len(queries), 4) or 1) as pool:
        results = list(pool.map(lambda q: [r["o"] for r in store.query(q)], queries))
    types: list[Value] = []
    groups: list[Group] = []
    for row, values in zip(counts, results, strict=True):
        prop = str(row["p"])
        if prop == RDF_TYPE:
            types = [Value(v.value, link(v.value)) for v in values if isinstance(v, ox.NamedNode)]
            continue
        group = Group(prop, prop, total=int(row["n"]))
        group.values = [_value(v) for v in values]
        groups.append(group)
    return types, groups


def _incoming_groups(iri: str) -> list[Group]:
    """Incoming links grouped by property, with counts and one page of each group."""
    store = context.store()
    counts = store.select(
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p <{iri}> }} GROUP BY ?p ORDER BY DESC(?n)"
    )
    wanted = request.args.get("in")
    page = max(int(request.args.get("page", "1") or 1), 1)
    groups = []
    queries = []
    for row in counts:
        prop = str(row["p"])
        number = page if prop == wanted else 1
        groups.append(Group(prop, prop, total=int(row["n"]), page=number))
        queries.append(
            f"SELECT ?s WHERE {{ ?s <{prop}> <{iri}> }} ORDER BY ?s "
            f"LIMIT {PAGE_SIZE} OFFSET {(number - 1) * PAGE_SIZE}"
        )
    if queries:
        from communique.server.views import parallel

        for group, subjects in zip(groups, parallel(store, queries), strict=True):
            group.values = [Value(str(r["s"]), link(str(r["s"]))) for r in subjects]
    labels = _labels({g.property_iri for g in groups} | {v.text for g in groups for v in g.values})
    for group in groups:
        group.property_label = labels.get(group.property_iri, _short(group.property_iri))
        for value in group.values:
            value.text = labels.get(value.text, value.text)
    return groups


def _labels(iris: set[str]) -> dict[str, str]:
    """Names for many IRIs at once: rdfs:label or skos:prefLabel in English, an
    article's headline, a mention's text."""
    iris = {i for i in iris if isinstance(i, str) and i.startswith(("http://", "https://"))}
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = context.store().select(
        f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} "
        "?x rdfs:label|skos:prefLabel|schema:headline|dip:text ?l FILTER(LANG(?l) IN ('en', '')) }"
    )
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
