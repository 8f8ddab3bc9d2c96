"""What people said: a page of statements (who said what, about whom, when),
newest article first, each linked to its sentence; narrowed by the filters of
``filters.STATEMENT_CLAUSES`` (speaker, about, months, confidence).

As for events, the listing reads only the statements and their articles'
dates, and the page's details come after, by required patterns each.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from communique.server import context
from communique.server.analysis import answers_for, labels
from communique.server.errors import ClientError
from communique.server.filters import PAGE_SIZE, Filters
from communique.server.links import link, local_path
from communique.server.sections.text import sentence_anchor

# The filters' patterns first, so that the engine starts from what they bind.
LISTING = """SELECT {projected} ?statement ?g WHERE {{
  GRAPH ?g {{ {clauses} ?statement a dip:Statement . }} }}"""
# The articles' dates, to order the listing (an OPTIONAL joined into the listing
# would read the date of every article in the store).
PUBLISHED = "SELECT ?g ?published WHERE { VALUES ?g { %s } ?g schema:datePublished ?published }"

# The page's details (VALUES names statements the store answered, written by
# pyoxigraph): each query of required patterns, as for events.
DETAILS = (
    """SELECT ?statement ?label ?speaker ?speakerName WHERE { VALUES ?statement { %s }
  ?statement rdfs:label ?label ; dip:speaker ?speaker . ?speaker rdfs:label ?speakerName }""",
    """SELECT ?statement ?quote WHERE { VALUES ?statement { %s } ?statement dip:quote ?quote }""",
    """SELECT ?statement ?start ?sentence WHERE { VALUES ?statement { %s }
  ?statement dip:evidence ?ev . ?ev dip:start ?start ; dip:text ?sentence }""",
    """SELECT ?statement ?confidence WHERE { VALUES ?statement { %s }
  ?statement dip:confidence ?confidence }""",
    """SELECT ?statement ?about ?aboutName WHERE { VALUES ?statement { %s }
  ?statement schema:about ?about . ?about rdfs:label ?aboutName }""",
)

COLUMNS = [
    "published", "speaker_name", "label", "quote", "about", "confidence", "sentence",
    "statement", "speaker", "article",
]  # fmt: skip


NAMED_BY = ("speaker", "about")  # a listing names one of these: all statements are too many


def page_of(filters: Filters) -> tuple[list[dict[str, Any]], bool]:
    """One page of the statements the filters keep, newest article first (those
    of undated articles last), and whether there is a next page."""
    if not any(name in filters.values for name in NAMED_BY):
        raise ClientError(
            400, "name a speaker or whom it is about: ?speaker=person/… or ?about=country/SY"
        )
    query = LISTING.format(projected=filters.projected(), clauses=filters.clauses())
    rows = context.select(query, filters.bindings())
    published = _published({str(row["g"]) for row in rows})
    for row in rows:
        row["published"] = published.get(str(row["g"]))
    rows = [row for row in rows if _in_months(row["published"], filters.values)]
    rows.sort(key=lambda r: (str(r["published"] or ""), str(r["statement"])), reverse=True)
    page = rows[filters.offset : filters.offset + PAGE_SIZE]
    return [_shaped(row) for row in _detailed(page)], len(rows) > filters.offset + PAGE_SIZE


def _in_months(published: str | None, wanted: dict[str, str]) -> bool:
    """Whether an article's date falls in the months the filters give (an
    undated article falls in no range)."""
    month = (published or "")[:7]
    if "from" in wanted and not (month and month >= wanted["from"]):
        return False
    return "to" not in wanted or bool(month and month <= wanted["to"])


TOP_SPEAKERS = """SELECT ?speaker (COUNT(?statement) AS ?n) WHERE {
  ?statement dip:speaker ?speaker } GROUP BY ?speaker ORDER BY DESC(?n) LIMIT 20"""


def top_speakers() -> list[dict[str, Any]]:
    """The twenty most quoted speakers (kept per store change)."""

    def compute() -> list[dict[str, Any]]:
        rows = context.select(TOP_SPEAKERS)
        names = labels({str(r["speaker"]) for r in rows})
        return [
            {
                "name": names.get(str(r["speaker"]), str(r["speaker"])),
                "statements": int(r["n"]),
                "href": url_for("views.said", speaker=local_path(str(r["speaker"]))),
            }
            for r in rows
        ]

    return context.per_generation("top-speakers", compute)


def _published(articles: set[str]) -> dict[str, str]:
    """{article IRI: its date} for articles the store answered."""
    if not articles:
        return {}
    (rows,) = answers_for(sorted(articles), (PUBLISHED,))
    return {str(r["g"]): str(r["published"]) for r in rows}


def _detailed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    details: dict[str, dict[str, Any]] = {}
    for answer in answers_for([str(row["statement"]) for row in rows], DETAILS):
        for found in answer:
            kept = details.setdefault(str(found["statement"]), {"about": []})
            if "about" in found:
                kept["about"].append((str(found["about"]), str(found["aboutName"])))
            else:
                kept.update(found)
    return [{**details.get(str(row["statement"]), {"about": []}), **row} for row in rows]


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    start = row.get("start")
    about = sorted(set(row["about"]), key=lambda pair: pair[1])
    return {
        "statement": str(row["statement"]),
        "label": row.get("label") or "",
        "speaker": str(row.get("speaker") or ""),
        "speaker_name": row.get("speakerName") or "",
        "quote": row.get("quote") or "",
        "about": "; ".join(name for _, name in about),
        "about_links": [{"name": name, "href": link(iri)} for iri, name in about],
        "published": row.get("published") or "",
        "confidence": row.get("confidence") or "",
        "sentence": row.get("sentence") or "",
        "article": str(row["g"]),
        "href": link(str(row["statement"])),
        "speaker_href": link(str(row["speaker"])) if row.get("speaker") else "",
        "sentence_href": link(str(row["g"]))
        + ("#" + sentence_anchor(int(start)) if start is not None else ""),
    }
