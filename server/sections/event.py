"""An event's page: when it happened (its own date, and the article's), who took
part in which role, and the sentence that states it,
in its paragraph, with the words naming each participant highlighted."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from communique.server import context
from communique.server.links import link
from communique.server.sections.text import highlighted, mentions, sentence_anchor

ROLES = """
SELECT ?this ?actor ?name ?role WHERE {
  VALUES (?property ?role) { (dip:initiator "initiator") (dip:recipient "recipient")
                             (dip:participant "participant") }
  ?this ?property ?actor . ?actor rdfs:label ?name }"""
EVIDENCE = """
SELECT ?this ?article ?start ?end ?body ?headline WHERE {
  ?this dip:evidence ?m . ?m dip:inArticle ?article ; dip:start ?start ; dip:end ?end .
  ?article schema:articleBody ?body ; schema:headline ?headline }
ORDER BY ?start LIMIT 1"""
SOURCES = """
SELECT ?this (COUNT(DISTINCT ?copy) AS ?copies) WHERE {
  ?this prov:wasDerivedFrom ?article . ?article a dip:Article .
  OPTIONAL { ?article dip:copy ?copy } } GROUP BY ?this"""
WHEN = """
SELECT ?this ?date ?dateText ?published ?type ?status WHERE {
  ?this dip:ploverType ?type ; dip:status/rdfs:label ?status .
  OPTIONAL { ?this dip:date ?date } OPTIONAL { ?this dip:dateText ?dateText }
  OPTIONAL { ?this prov:wasDerivedFrom/schema:datePublished ?published } } LIMIT 1"""


def sections(iri: ox.NamedNode) -> dict[str, Any]:
    this = {"this": iri}
    roles, evidence, when, sources = context.select_many(
        [(ROLES, this), (EVIDENCE, this), (WHEN, this), (SOURCES, this)]
    )
    people = _participants(roles)
    paragraph = None
    article = None
    if evidence:
        row = evidence[0]
        at = "#" + sentence_anchor(int(row["start"]))
        article = {"href": link(str(row["article"])) + at, "headline": row["headline"]}
        paragraph = _evidence_paragraph(
            ox.NamedNode(str(row["article"])),
            row["body"],
            int(row["start"]),
            int(row["end"]),
            set(people),
        )
    return {
        "participants": list(people.values()),
        "paragraph": paragraph,
        "article": article,
        "when": when[0] if when else None,
        "sources": 1 + int(sources[0]["copies"]) if sources else 1,
    }


def _participants(roles: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each actor once, with its roles; 'participant' only when it has no other."""
    people: dict[str, dict[str, Any]] = {}
    for row in roles:
        entry = people.setdefault(
            str(row["actor"]), {"name": row["name"], "roles": [], "href": link(str(row["actor"]))}
        )
        if row["role"] != "participant" or not entry["roles"]:
            entry["roles"].append(row["role"])
    for entry in people.values():
        if len(entry["roles"]) > 1 and "participant" in entry["roles"]:
            entry["roles"].remove("participant")
    return people


def _evidence_paragraph(
    article: ox.NamedNode, body: str, start: int, end: int, participants: set[str]
) -> Markup:
    """The paragraph holding the sentence, the sentence emphasised and the words that
    name each participant highlighted."""
    first = body.rfind("\n", 0, start) + 1
    last = body.find("\n", end)
    last = len(body) if last < 0 else last
    found = [m for m in mentions(article, first, last) if m["actor"] in participants]
    before = highlighted(body, first, start, [m for m in found if m["end"] <= start])
    inside = highlighted(
        body, start, end, [m for m in found if m["start"] >= start and m["end"] <= end]
    )
    after = highlighted(body, end, last, [m for m in found if m["start"] >= end])
    return (
        Markup("").join(before)
        + Markup('<strong class="evidence">')
        + Markup("").join(inside)
        + Markup("</strong>")
        + Markup("").join(after)
    )
