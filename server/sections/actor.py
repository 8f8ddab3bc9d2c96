"""An actor's page: offices held, a timeline of its events, the counterparts it
meets most (also drawn as an SVG neighbourhood), its statements, the articles
that mention it."""

from __future__ import annotations

import math
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from communique.server import context
from communique.server.links import link

# Each query binds ?this to the actor (and so names it in its SELECT clause).
OFFICES = """
SELECT DISTINCT ?this ?role ?title ?in ?inActor ?article ?headline WHERE {
  ?h dip:holder ?this ; dip:role/rdfs:label ?role ; dip:roleTitle ?title ;
     prov:wasDerivedFrom ?article . ?article schema:headline ?headline .
  OPTIONAL { ?h dip:inActor ?inActor . ?inActor rdfs:label ?in } }
ORDER BY ?role"""
TIMELINE = """
SELECT ?this ?event ?label ?type ?status ?date ?when
       (GROUP_CONCAT(DISTINCT ?otherName; separator=", ") AS ?others) WHERE {
  ?event dip:participant ?this ; rdfs:label ?label ; a ?class ;
         dip:status/rdfs:label ?status .
  ?class rdfs:subClassOf+ dip:Event ; rdfs:label ?type .
  OPTIONAL { ?event dip:date ?date } OPTIONAL { ?event dip:dateText ?when }
  OPTIONAL { ?event dip:participant ?other . ?other rdfs:label ?otherName
             FILTER(?other != ?this) } }
GROUP BY ?this ?event ?label ?type ?status ?date ?when ORDER BY ?date ?label LIMIT 200"""
COUNTERPARTS = """
SELECT ?this ?other ?name (COUNT(DISTINCT ?e) AS ?meetings) WHERE {
  ?e dip:participant ?this, ?other . ?e a ?class .
  ?class rdfs:subClassOf* dip:Consult . ?other rdfs:label ?name
  FILTER(?other != ?this) }
GROUP BY ?this ?other ?name ORDER BY DESC(?meetings) ?name LIMIT 12"""
STATEMENTS = """
SELECT ?this ?words ?article ?headline WHERE {
  ?s dip:speaker ?this ; dip:quote|dip:content ?words ; prov:wasDerivedFrom ?article .
  ?article schema:headline ?headline } LIMIT 50"""
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
    name = str(names[0]["l"]) if names else iri.value
    return {
        "offices": offices,
        "timeline": timeline,
        "counterparts": counterparts,
        "statements": statements,
        "articles": articles,
        "svg": neighbourhood(name, counterparts),
    }


def neighbourhood(name: str, counterparts: list[dict[str, Any]]) -> Markup:
    """An SVG: the actor in the middle, the counterparts around it, lines as thick as
    the number of meetings."""
    if not counterparts:
        return Markup("")
    size, radius = 420, 150
    centre = size / 2
    top = max(int(c["meetings"]) for c in counterparts)
    parts = [
        f'<svg id="neighbourhood" xmlns="http://www.w3.org/2000/svg" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="Who {escape(name)} meets">'
    ]
    for n, other in enumerate(counterparts):
        angle = 2 * math.pi * n / len(counterparts)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        width = 1 + 5 * int(other["meetings"]) / top
        parts.append(
            f'<line x1="{centre}" y1="{centre}" x2="{x:.0f}" y2="{y:.0f}" '
            f'stroke="#8aa" stroke-width="{width:.1f}"/>'
        )
        parts.append(
            f'<a href="{escape(other["href"])}"><circle cx="{x:.0f}" cy="{y:.0f}" '
            f'r="6" fill="#1d3557"/><text x="{x:.0f}" y="{y - 10:.0f}" '
            f'text-anchor="middle" font-size="12">{escape(other["name"])}</text></a>'
        )
    parts.append(
        f'<circle cx="{centre}" cy="{centre}" r="9" fill="#e63946"/>'
        f'<text x="{centre}" y="{centre + 24}" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(name)}</text></svg>'
    )
    return Markup("".join(parts))
