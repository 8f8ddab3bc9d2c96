"""An article's page: its text with every mention highlighted and linked to its
actor, and the facts drawn from it with their confidence."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from communique.server import context
from communique.server.links import link, web_url
from communique.server.sections.text import highlighted, mentions

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


def sections(iri: ox.NamedNode) -> dict[str, Any]:
    found, facts = context.select_many([(ARTICLE, {"this": iri}), (FACTS, {"this": iri})])
    row = found[0]
    body = str(row["body"])
    every_mention = mentions(iri, 0, len(body))
    paragraphs = []
    offset = 0
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            inside = [m for m in every_mention if m["start"] >= start and m["end"] <= end]
            paragraphs.append(Markup("").join(highlighted(body, start, end, inside)))
    for fact in facts:
        fact["href"] = link(str(fact["fact"]))
    return {
        "paragraphs": paragraphs,
        "facts": facts,
        "date": row.get("date"),
        "publisher": row.get("publisher"),
        "url": row.get("url"),
        "url_href": web_url(row.get("url")),
    }
