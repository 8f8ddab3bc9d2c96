"""Search: a results page and autocomplete, over the names of actors and
places (here) and over what the articles say (``text_search``).

Names are labels and alternative names from the entities graph; matching
ignores case and accents and accepts a prefix of the name or of any of its
words ("lav", "sergei", "hezb"). Results are ranked by match (whole-name
prefix first) and then by how much the graph says about each (its mentions).
The index is rebuilt after each change of the store.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from communique.server import context, text_search
from communique.server.http import csv_download
from communique.server.links import link

blueprint = Blueprint("search", __name__)
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    names: tuple[str, ...]  # normalised label and alternative names
    weight: int
    kind: str = ""  # what it is, by its class's label ("person", "country"): names repeat


def fold(text: str) -> str:
    """Lower case without accents: 'Sérgey' and 'sergey' compare equal.

    >>> fold("Sérgey LAVROV")
    'sergey lavrov'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search(query: str, limit: int) -> list[tuple[Entry, int]]:
    wanted = fold(query).split()
    if not wanted:
        return []
    found = []
    for entry in _index():
        score = _score(entry, " ".join(wanted), wanted)
        if score:
            found.append((entry, score))
    found.sort(key=lambda pair: (-pair[1], -pair[0].weight, pair[0].label))
    return found[:limit]


def _score(entry: Entry, phrase: str, words: list[str]) -> int:
    if any(name.startswith(phrase) for name in entry.names):
        return 2
    for name in entry.names:
        parts = name.split()
        if all(any(part.startswith(w) for part in parts) for w in words):
            return 1
    return 0


NAMES = """SELECT ?entities ?x ?l ?alt WHERE { GRAPH ?entities {
  { ?x rdfs:label ?l } UNION { ?x skos:altLabel ?alt } } }"""
WEIGHTS = "SELECT ?x (COUNT(?m) AS ?n) WHERE { ?x dip:mentionedAs ?m } GROUP BY ?x"
KINDS = """SELECT ?entities ?x ?kind WHERE { GRAPH ?entities { ?x a ?class }
  ?class rdfs:label ?kind FILTER(LANG(?kind) IN ('en', '')) }"""


def _index() -> list[Entry]:
    store = context.store()
    store.refresh()
    generation = store.state().get("generation")
    with _LOCK:
        cached = current_app.extensions.get("communique_search")
        if cached is None or cached[0] != generation:
            cached = (generation, _build())
            current_app.extensions["communique_search"] = cached
    return cached[1]


def _build() -> list[Entry]:
    entities = ox.NamedNode(str(context.store().iris.entities_graph))
    found, counted, kinds = context.select_many(
        [(NAMES, {"entities": entities}), (WEIGHTS, None), (KINDS, {"entities": entities})]
    )
    kind_of: dict[str, str] = {}
    for row in sorted(kinds, key=lambda r: str(r["kind"])):  # one kind each, the same each time
        kind_of.setdefault(str(row["x"]), str(row["kind"]))
    names: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for row in found:
        iri = str(row["x"])
        if row.get("l") is not None:
            labels[iri] = str(row["l"])
        names.setdefault(iri, []).append(fold(str(row.get("l") or row.get("alt"))))
    weights = {str(r["x"]): int(r["n"]) for r in counted}
    return [
        Entry(
            iri,
            labels.get(iri, iri),
            tuple(dict.fromkeys(found)),
            weights.get(iri, 0),
            kind_of.get(iri, ""),
        )
        for iri, found in names.items()
    ]


TEXT_HITS = 20  # of each kind on the results page
SUGGESTED_TEXTS = 3  # of each kind among the suggestions


@blueprint.route("/search")
def results() -> str:
    query = request.args.get("q", "")
    hits = [(entry, link(entry.iri)) for entry, _score in search(query, 50)]
    texts = text_search.search(query, TEXT_HITS) if query.strip() else None
    return render_template("search.html", query=query, hits=hits, texts=texts)


RESULT_COLUMNS = ["group", "kind", "label", "iri", "mentions", "article", "snippet"]


@blueprint.route("/search.csv")
def results_csv() -> Response:
    """The results page as a table: the names, then each kind of text hit (the
    snippet as plain text)."""
    query = request.args.get("q", "")
    rows = [
        {"group": "name", "kind": e.kind, "label": e.label, "iri": e.iri, "mentions": e.weight}
        for e, _score in search(query, 50)
    ]
    texts = text_search.search(query, TEXT_HITS) if query.strip() else None
    for found in texts.found if texts else []:
        rows += [
            {"group": found.kind, "kind": found.kind, "label": hit["label"], "iri": hit["iri"],
             "article": hit["article"], "snippet": hit["snippet"].striptags()}
            for hit in found.hits
        ]  # fmt: skip
    return csv_download(rows, RESULT_COLUMNS, "search")


@blueprint.route("/search.json")
def suggest() -> Response:
    query = request.args.get("q", "")
    names = [
        {
            "label": entry.label,
            "iri": entry.iri,
            "href": link(entry.iri),
            "mentions": entry.weight,
            "kind": entry.kind,
            "group": "name",
        }
        for entry, _score in search(query, 10)
    ]
    texts = text_search.search(query, SUGGESTED_TEXTS) if query.strip() else None
    said = [
        {"label": hit["label"], "iri": hit["iri"], "href": hit["href"], "kind": found.kind,
         "group": found.kind}
        for found in (texts.found if texts else [])
        for hit in found.hits
    ]  # fmt: skip
    return jsonify(names + said)
