"""An article's page: its text with every mention highlighted and linked to its
actor, the facts drawn from it with their confidence, and the other
publications of the same story (its copies, each one of its sources)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from communique.server import context
from communique.server.links import link, web_url
from communique.server.sections.text import mentions, with_sentences

ARTICLE = """
SELECT ?this ?body ?date ?publisher ?url WHERE { ?this schema:articleBody ?body .
  OPTIONAL { ?this schema:datePublished ?date }
  OPTIONAL { ?this schema:publisher ?publisher }
  OPTIONAL { ?this schema:url ?url } }"""
FACTS = """
SELECT ?this ?fact ?label ?kind ?confidence WHERE {
  ?fact prov:wasDerivedFrom ?this ; dip:confidence ?confidence ; a ?class .
  ?class rdfs:label ?kind .
  OPTIONAL { ?fact rdfs:label ?label } } ORDER BY ?kind ?label"""
COPIES = """
SELECT ?this ?copy ?headline ?publisher ?date ?url WHERE { ?this dip:copy ?copy .
  OPTIONAL { ?copy schema:headline ?headline } OPTIONAL { ?copy schema:publisher ?publisher }
  OPTIONAL { ?copy schema:datePublished ?date } OPTIONAL { ?copy schema:url ?url } }
ORDER BY ?date ?publisher"""
SENTENCES = """
SELECT DISTINCT ?this ?start ?end WHERE {
  ?fact prov:wasDerivedFrom ?this ; dip:evidence ?m .
  ?m dip:inArticle ?this ; dip:start ?start ; dip:end ?end } ORDER BY ?start DESC(?end)"""


def sections(iri: ox.NamedNode) -> dict[str, Any]:
    this = {"this": iri}
    found, facts, stated, copies = context.select_many(
        [(ARTICLE, this), (FACTS, this), (SENTENCES, this), (COPIES, this)]
    )
    row = found[0]
    body = str(row["body"])
    every_mention = mentions(iri, 0, len(body))
    sentences = _apart([(int(r["start"]), int(r["end"])) for r in stated])
    paragraphs = []
    offset = 0
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            inside = [m for m in every_mention if m["start"] >= start and m["end"] <= end]
            here = [(s, e) for s, e in sentences if s >= start and e <= end]
            paragraphs.append(Markup("").join(with_sentences(body, start, end, inside, here)))
    for fact in facts:
        fact["href"] = link(str(fact["fact"]))
    return {
        "paragraphs": paragraphs,
        "facts": facts,
        "date": row.get("date"),
        "publisher": row.get("publisher"),
        "url": row.get("url"),
        "url_href": web_url(row.get("url")),
        "copies": [{**c, "url_href": web_url(c.get("url"))} for c in copies],
    }


def _apart(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, each later one that overlaps an earlier one left out."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept
