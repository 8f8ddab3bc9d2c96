"""An actor's page: offices held, a timeline of its events, the counterparts it
meets most (also drawn as an SVG neighbourhood), its statements, the articles
that mention it."""

from __future__ import annotations

import math
from typing import Any

import pyoxigraph as ox
from flask import url_for

from communique.server import context
from communique.server.analysis import months_by_quad, pair_link
from communique.server.links import link, local_path
from communique.server.sections.text import sentence_anchor
from communique.store.summaries import MONTH_TEXT

# Each query binds ?this to the actor (and so names it in its SELECT clause).
OFFICES = """
SELECT DISTINCT ?this ?role ?title ?in ?inActor ?article ?headline ?start WHERE {
  ?h dip:holder ?this ; dip:role/rdfs:label ?role ; dip:roleTitle ?title ;
     prov:wasDerivedFrom ?article . ?article schema:headline ?headline .
  OPTIONAL { ?h dip:evidence/dip:start ?start }
  OPTIONAL { ?h dip:inActor ?inActor . ?inActor rdfs:label ?in } }
ORDER BY ?role"""
TIMELINE = (
    """
SELECT ?this ?event ?label ?type ?plover ?status ?date ?when ?published ?month
       (GROUP_CONCAT(DISTINCT ?otherName; separator=", ") AS ?others) WHERE {
  ?event dip:participant|dip:involvesCountry ?this ; rdfs:label ?label ; a ?class ;
         dip:ploverType ?plover ;
         dip:status/rdfs:label ?status .
  ?class rdfs:subClassOf+ dip:Event ; rdfs:label ?type .
  OPTIONAL { ?event dip:date ?date } OPTIONAL { ?event dip:dateText ?when }
  OPTIONAL { ?event prov:wasDerivedFrom/schema:datePublished ?published }
  BIND(MONTH_TEXT AS ?month)
  OPTIONAL { ?event dip:participant ?other . ?other rdfs:label ?otherName
             FILTER(?other != ?this) } }
GROUP BY ?this ?event ?label ?type ?plover ?status ?date ?when ?published ?month
ORDER BY STR(COALESCE(?date, ?published)) ?label LIMIT 200"""
).replace("MONTH_TEXT", MONTH_TEXT)
COUNTERPARTS = """
SELECT ?this ?other ?name (COUNT(DISTINCT ?e) AS ?meetings) WHERE {
  ?e dip:participant ?this, ?other . ?e a ?class .
  ?class rdfs:subClassOf* dip:Consult . ?other rdfs:label ?name
  FILTER(?other != ?this) }
GROUP BY ?this ?other ?name ORDER BY DESC(?meetings) ?name LIMIT 12"""
STATEMENTS = """
SELECT ?this ?words ?article ?headline ?start WHERE {
  ?s dip:speaker ?this ; dip:quote|dip:content ?words ; prov:wasDerivedFrom ?article .
  ?article schema:headline ?headline . OPTIONAL { ?s dip:evidence/dip:start ?start } }
LIMIT 50"""
ARTICLES = """
SELECT ?this ?article ?headline WHERE {
  { SELECT DISTINCT ?this ?article WHERE { ?this dip:mentionedAs/dip:inArticle ?article }
    LIMIT 100 }
  ?article schema:headline ?headline }"""
NAME = "SELECT ?this ?l WHERE { ?this rdfs:label ?l }"


def sections(iri: ox.NamedNode) -> dict[str, Any]:
    this = {"this": iri}
    queries = (OFFICES, TIMELINE, COUNTERPARTS, STATEMENTS, ARTICLES, NAME)
    offices, timeline, counterparts, statements, articles, names = context.select_many(
        [(query, this) for query in queries]
    )
    for rows in (offices, timeline, counterparts, statements, articles):
        for row in rows:
            row["href"] = link(str(row.get("event") or row.get("other") or row.get("article")))
            if row.get("start") is not None:  # a quote or an office: open at its sentence
                row["href"] += "#" + sentence_anchor(int(row["start"]))
    name = str(names[0]["l"]) if names else iri.value
    for row in counterparts:
        row["together"] = pair_link(iri.value, str(row["other"]))
    return {
        "country_view": _country_view(iri),
        "months": months_by_quad(
            [{"month": r.get("month"), "type": r["plover"], "events": 1} for r in timeline]
        ),
        "offices": offices,
        "timeline": timeline,
        "counterparts": counterparts,
        "statements": statements,
        "said_by": url_for("views.said", speaker=local_path(iri.value)),
        "said_about": url_for("views.said", about=local_path(iri.value)),
        "articles": articles,
        "neighbourhood": neighbourhood(name, counterparts),
    }


def _country_view(iri: ox.NamedNode) -> str | None:
    """The country view of a country's page (its events gathered), else None."""
    prefix = str(context.store().iris.country(""))
    return "/country/" + iri.value[len(prefix) :] if iri.value.startswith(prefix) else None


SIZE, RADIUS = 420, 150  # the neighbourhood drawing: its side and the ring's radius


def neighbourhood(name: str, counterparts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Where the drawing of who the actor meets puts things: the actor in the
    middle, the counterparts on a ring, each line as thick as their meetings (the
    SVG itself is in the template)."""
    if not counterparts:
        return None
    centre = SIZE / 2
    top = max(int(c["meetings"]) for c in counterparts)
    nodes = []
    for n, other in enumerate(counterparts):
        angle = 2 * math.pi * n / len(counterparts)
        nodes.append(
            {
                "x": round(centre + RADIUS * math.cos(angle)),
                "y": round(centre + RADIUS * math.sin(angle)),
                "width": round(1 + 5 * int(other["meetings"]) / top, 1),
                "name": other["name"],
                "href": other["href"],
            }
        )
    return {"size": SIZE, "centre": centre, "name": name, "nodes": nodes}
