"""What a resource page shows beyond its statements, by kind of resource.

- An actor: offices held, a timeline of its events, the counterparts it meets
  most (also drawn as an SVG neighbourhood), its statements, the articles
  that mention it.
- An event: type, status, date, place, participants by role, and the
  sentence that states it, in its paragraph, with the words naming each
  participant highlighted.
- An article: its text with every mention highlighted and linked to its
  actor, and the facts drawn from it with their confidence.

Text is split into escaped pieces here; templates only join them.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from communique.server import context
from communique.server.resources import link
from communique.vocab import DIP

ACTOR_CLASSES = {
    str(DIP[c])
    for c in (
        "Person",
        "Country",
        "Organization",
        "InternationalOrganization",
        "GovernmentBody",
        "ArmedGroup",
        "PoliticalParty",
    )
}


@dataclass
class Sections:
    kind: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def sections_for(iri: str, types: list[str]) -> Sections:
    if str(DIP.Article) in types:
        return Sections("article", article_sections(iri))
    if set(types) & ACTOR_CLASSES:
        return Sections("actor", actor_sections(iri))
    if _is_event(types):
        return Sections("event", event_sections(iri))
    return Sections()


def _is_event(types: list[str]) -> bool:
    if not types:
        return False
    values = " ".join(f"<{t}>" for t in types)
    return bool(
        context.store().select(
            f"SELECT ?c WHERE {{ VALUES ?c {{ {values} }} ?c rdfs:subClassOf* dip:Event }} LIMIT 1"
        )
    )


def parallel(store: Any, queries: list[str]) -> list[list[dict[str, Any]]]:
    """Run independent queries at once: pyoxigraph releases the GIL while it
    evaluates, so a page's queries share the cores instead of queueing."""
    with ThreadPoolExecutor(max_workers=min(len(queries), 4)) as pool:
        return list(pool.map(store.select, queries))


# --------------------------------------------------------------------------- actors
def actor_sections(iri: str) -> dict[str, Any]:
    store = context.store()
    offices, timeline, counterparts, statements, articles = parallel(
        store,
        [
            f"""
        SELECT DISTINCT ?role ?title ?in ?inActor ?article ?headline WHERE {{
          ?h dip:holder <{iri}> ; dip:role/rdfs:label ?role ; dip:roleTitle ?title ;
             prov:wasDerivedFrom ?article . ?article schema:headline ?headline .
          OPTIONAL {{ ?h dip:inActor ?inActor . ?inActor rdfs:label ?in }} }}
        ORDER BY ?role""",
            f"""
        SELECT ?event ?label ?type ?status ?date ?when
               (GROUP_CONCAT(DISTINCT ?otherName; separator=", ") AS ?others) WHERE {{
          ?event dip:participant <{iri}> ; rdfs:label ?label ; a ?class ;
                 dip:status/rdfs:label ?status .
          ?class rdfs:subClassOf+ dip:Event ; rdfs:label ?type .
          OPTIONAL {{ ?event dip:date ?date }} OPTIONAL {{ ?event dip:dateText ?when }}
          OPTIONAL {{ ?event dip:participant ?other . ?other rdfs:label ?otherName
                      FILTER(?other != <{iri}>) }} }}
        GROUP BY ?event ?label ?type ?status ?date ?when ORDER BY ?date ?label LIMIT 200""",
            f"""
        SELECT ?other ?name (COUNT(DISTINCT ?e) AS ?meetings) WHERE {{
          ?e dip:participant <{iri}>, ?other . ?e a ?class .
          ?class rdfs:subClassOf* dip:Consult . ?other rdfs:label ?name
          FILTER(?other != <{iri}>) }}
        GROUP BY ?other ?name ORDER BY DESC(?meetings) ?name LIMIT 12""",
            f"""
        SELECT ?words ?article ?headline WHERE {{
          ?s dip:speaker <{iri}> ; dip:quote|dip:content ?words ; prov:wasDerivedFrom ?article .
          ?article schema:headline ?headline }} LIMIT 50""",
            f"""
        SELECT ?article ?headline WHERE {{
          {{ SELECT DISTINCT ?article WHERE {{ <{iri}> dip:mentionedAs/dip:inArticle ?article }}
            LIMIT 100 }}
          ?article schema:headline ?headline }}""",
        ],
    )
    for rows in (offices, timeline, counterparts, statements, articles):
        for row in rows:
            row["href"] = link(str(row.get("event") or row.get("other") or row.get("article")))
    names = store.select(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l }}")
    name = str(names[0]["l"]) if names else iri
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


# --------------------------------------------------------------------------- events
def event_sections(iri: str) -> dict[str, Any]:
    store = context.store()
    roles = store.select(f"""
        SELECT ?actor ?name ?role WHERE {{
          VALUES (?property ?role) {{ (dip:initiator "initiator") (dip:recipient "recipient")
                                     (dip:participant "participant") }}
          <{iri}> ?property ?actor . ?actor rdfs:label ?name }}""")
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
    evidence = store.select(f"""
        SELECT ?article ?start ?end ?body ?headline WHERE {{
          <{iri}> dip:evidence ?m . ?m dip:inArticle ?article ; dip:start ?start ; dip:end ?end .
          ?article schema:articleBody ?body ; schema:headline ?headline }}
        ORDER BY ?start LIMIT 1""")
    paragraph = None
    article = None
    if evidence:
        row = evidence[0]
        article = {"href": link(str(row["article"])), "headline": row["headline"]}
        paragraph = _evidence_paragraph(
            str(row["article"]), row["body"], int(row["start"]), int(row["end"]), set(people)
        )
    return {"participants": list(people.values()), "paragraph": paragraph, "article": article}


def _evidence_paragraph(
    article: str, body: str, start: int, end: int, participants: set[str]
) -> Markup:
    """The paragraph holding the sentence, the sentence emphasised and the words that
    name each participant highlighted."""
    first = body.rfind("\n", 0, start) + 1
    last = body.find("\n", end)
    last = len(body) if last < 0 else last
    mentions = [m for m in _mentions(article, first, last) if m["actor"] in participants]
    return _emphasise(body, first, last, start, end, mentions)


def _emphasise(
    body: str, first: int, last: int, start: int, end: int, mentions: list[dict[str, Any]]
) -> Markup:
    before = _highlighted(body, first, start, [m for m in mentions if m["end"] <= start])
    inside = _highlighted(
        body, start, end, [m for m in mentions if m["start"] >= start and m["end"] <= end]
    )
    after = _highlighted(body, end, last, [m for m in mentions if m["start"] >= end])
    return (
        Markup("").join(before)
        + Markup('<strong class="evidence">')
        + Markup("").join(inside)
        + Markup("</strong>")
        + Markup("").join(after)
    )


# --------------------------------------------------------------------------- articles
def article_sections(iri: str) -> dict[str, Any]:
    store = context.store()
    row = store.select(f"""
        SELECT ?body ?date ?publisher ?url WHERE {{ <{iri}> schema:articleBody ?body .
          OPTIONAL {{ <{iri}> schema:datePublished ?date }}
          OPTIONAL {{ <{iri}> schema:publisher ?publisher }}
          OPTIONAL {{ <{iri}> schema:url ?url }} }}""")[0]
    body = str(row["body"])
    mentions = _mentions(iri, 0, len(body))
    paragraphs = []
    offset = 0
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            inside = [m for m in mentions if m["start"] >= start and m["end"] <= end]
            paragraphs.append(Markup("").join(_highlighted(body, start, end, inside)))
    facts = store.select(f"""
        SELECT ?fact ?label ?kind ?confidence WHERE {{
          ?fact prov:wasDerivedFrom <{iri}> ; dip:confidence ?confidence ; a ?class .
          ?class rdfs:label ?kind .
          OPTIONAL {{ ?fact rdfs:label ?label }} }} ORDER BY ?kind ?label""")
    for fact in facts:
        fact["href"] = link(str(fact["fact"]))
    return {
        "paragraphs": paragraphs,
        "facts": facts,
        "date": row.get("date"),
        "publisher": row.get("publisher"),
        "url": row.get("url"),
    }


# --------------------------------------------------------------------------- shared
def _mentions(article: str, first: int, last: int) -> list[dict[str, Any]]:
    """Actor mentions in [first, last) of the article, without overlaps, in order."""
    rows = context.store().select(f"""
        SELECT ?actor ?name ?start ?end WHERE {{
          ?m dip:inArticle <{article}> ; dip:start ?start ; dip:end ?end .
          ?actor dip:mentionedAs ?m ; rdfs:label ?name .
          FILTER(?start >= {first} && ?end <= {last}) }} ORDER BY ?start DESC(?end)""")
    kept: list[dict[str, Any]] = []
    for row in rows:
        if kept and int(row["start"]) < kept[-1]["end"]:
            continue
        kept.append(
            {
                "actor": str(row["actor"]),
                "name": row["name"],
                "start": int(row["start"]),
                "end": int(row["end"]),
                "href": link(str(row["actor"])),
            }
        )
    return kept


def _highlighted(body: str, first: int, last: int, mentions: list[dict[str, Any]]) -> list[Markup]:
    pieces: list[Markup] = []
    cursor = first
    for m in mentions:
        pieces.append(escape(body[cursor : m["start"]]))
        pieces.append(
            Markup('<a class="mention" href="{}" title="{}"><mark>{}</mark></a>').format(
                m["href"], m["name"], body[m["start"] : m["end"]]
            )
        )
        cursor = m["end"]
    pieces.append(escape(body[cursor:last]))
    return pieces
