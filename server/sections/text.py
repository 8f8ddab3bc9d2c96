"""An article's text with the words that name actors highlighted and linked.

Text is split into escaped pieces here; templates only join them.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from communique.server import context
from communique.server.links import link

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

MENTIONS = """
SELECT ?this ?first ?last ?actor ?name ?start ?end WHERE {
  ?m dip:inArticle ?this ; dip:start ?start ; dip:end ?end .
  ?actor dip:mentionedAs ?m ; rdfs:label ?name .
  FILTER(?start >= ?first && ?end <= ?last) } ORDER BY ?start DESC(?end)"""


def mentions(article: ox.NamedNode, first: int, last: int) -> list[dict[str, Any]]:
    """Actor mentions in [first, last) of the article, without overlaps, in order."""
    rows = context.select(
        MENTIONS,
        {"this": article, "first": _integer(first), "last": _integer(last)},
    )
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


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def highlighted(body: str, first: int, last: int, found: list[dict[str, Any]]) -> list[Markup]:
    """The text from first to last as escaped pieces, each mention a marked link."""
    pieces: list[Markup] = []
    cursor = first
    for m in found:
        pieces.append(escape(body[cursor : m["start"]]))
        pieces.append(
            Markup('<a class="mention" href="{}" title="{}"><mark>{}</mark></a>').format(
                m["href"], m["name"], body[m["start"] : m["end"]]
            )
        )
        cursor = m["end"]
    pieces.append(escape(body[cursor:last]))
    return pieces


def sentence_anchor(start: int) -> str:
    """The id of a sentence on its article's page: where it starts in the body. Fact
    pages and lists link ``article#s123`` to open the article at the sentence."""
    return f"s{start}"


def with_sentences(
    body: str,
    first: int,
    last: int,
    found: list[dict[str, Any]],
    sentences: list[tuple[int, int]],
) -> list[Markup]:
    """As ``highlighted``, with each sentence that states a fact wrapped in an element
    its link can open (``sentences``: sorted, not overlapping, inside the range)."""
    pieces: list[Markup] = []
    cursor = first
    for start, end in sentences:
        pieces += highlighted(body, cursor, start, _within(found, cursor, start))
        pieces.append(Markup('<span class="sentence" id="{}">').format(sentence_anchor(start)))
        pieces += highlighted(body, start, end, _within(found, start, end))
        pieces.append(Markup("</span>"))
        cursor = end
    pieces += highlighted(body, cursor, last, _within(found, cursor, last))
    return pieces


def _within(found: list[dict[str, Any]], first: int, last: int) -> list[dict[str, Any]]:
    return [m for m in found if m["start"] >= first and m["end"] <= last]
