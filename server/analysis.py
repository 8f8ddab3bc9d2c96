"""What the analyst's views show, read from the summaries and the facts: a
country's events by month and quad class, its counterparts, the events of two
actors, the relations of the most active countries.

The counts come from the summary cubes (``store/summaries.py``), so a view
costs the same on a store of ten articles or of 100,000. The listings read the
facts, one page at a time. A country's events are those of its government, its
officials and its nationals: a participant that is the country, or a person the
same article names as holding an office in it or as its national (the rule the
cubes count by).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import url_for

from communique.server import context, paging
from communique.server.filters import PAGE_SIZE, Filters
from communique.server.links import link, local_path
from communique.server.sections.text import sentence_anchor
from communique.sparql_text import values_of
from communique.vocab import XSD

GYEAR_MONTH = ox.NamedNode(str(XSD.gYearMonth))

QUADS = """SELECT DISTINCT ?type ?quad ?quadName ?hostile WHERE {
  ?class dip:classPloverType ?type ; dip:classQuadClass ?quad .
  ?quad rdfs:label ?quadName ; dip:hostile ?hostile }"""

COUNTRY_MONTHS = """SELECT ?this ?month ?type (SUM(?n) AS ?events) WHERE {
  ?cell dip:refCountry ?this ; qb:dataSet dip:EventsByCountry ;
        dip:refEventType ?type ; dip:eventCount ?n .
  OPTIONAL { ?cell dip:refMonth ?month } }
GROUP BY ?this ?month ?type"""

COUNTERPARTS = """SELECT ?this ?other ?type (SUM(?n) AS ?events) WHERE {
  { ?cell dip:refCountry ?this ; dip:refCounterpart ?other }
  UNION { ?cell dip:refCounterpart ?this ; dip:refCountry ?other }
  ?cell qb:dataSet dip:EventsByCountryPair ; dip:refEventType ?type ; dip:eventCount ?n }
GROUP BY ?this ?other ?type"""

PAIR_MONTHS = """SELECT ?first ?second ?month ?type ?status
       (SUM(?n) AS ?events) (SUM(?f) AS ?byFirst) (SUM(?s) AS ?bySecond) WHERE {
  ?cell dip:refCountry ?first ; dip:refCounterpart ?second ;
        qb:dataSet dip:EventsByCountryPair ; dip:refEventType ?type ; dip:refStatus ?status ;
        dip:eventCount ?n ; dip:firstInitiated ?f ; dip:secondInitiated ?s .
  OPTIONAL { ?cell dip:refMonth ?month } }
GROUP BY ?first ?second ?month ?type ?status"""

STORE_MONTHS = """SELECT ?month (SUM(?n) AS ?events) WHERE {
  ?cell qb:dataSet dip:EventsByType ; dip:refMonth ?month ; dip:eventCount ?n }
GROUP BY ?month"""

TOP_COUNTRIES = """SELECT ?country (SUM(?n) AS ?events) WHERE {
  ?cell qb:dataSet dip:EventsByCountry ; dip:refCountry ?country ; dip:eventCount ?n }
GROUP BY ?country ORDER BY DESC(?events) ?country LIMIT 12"""

# Labels of IRIs an answer named (written by pyoxigraph into VALUES: a label
# joined into an aggregate makes the engine read every label of the store).
LABELS = "SELECT ?x ?name WHERE { VALUES ?x { %s } ?x rdfs:label ?name }"

ALL_PAIRS = """SELECT ?first ?second ?type
       (SUM(?n) AS ?events) (SUM(?f) AS ?byFirst) (SUM(?s) AS ?bySecond) WHERE {
  ?cell qb:dataSet dip:EventsByCountryPair ; dip:refCountry ?first ;
        dip:refCounterpart ?second ; dip:refEventType ?type ;
        dip:eventCount ?n ; dip:firstInitiated ?f ; dip:secondInitiated ?s }
GROUP BY ?first ?second ?type"""

NAME = "SELECT ?this ?name ?kind WHERE { ?this rdfs:label ?name . OPTIONAL { ?this a ?kind } }"


def _gathered(actor: str, is_country: bool) -> str:
    """The events ``actor`` takes part in: for a country, also those of its
    officials and nationals (dip:involvesCountry, written at extraction). One
    triple pattern: a union or a sub-select here makes the engine plan the page
    fifty times slower."""
    prop = "dip:involvesCountry" if is_country else "dip:participant"
    return f"?event {prop} {actor} ."


def _listing(
    inner: str, projected: str, filters: Filters, dated: bool, by_month: bool = False
) -> str:
    """Every event of the pattern ``inner`` that passes the filters, with its
    month (``dated``; the months bound to ?month when it is bound) or those
    without one: the page is cut in Python, because ordering thousands of rows
    in the engine costs a second at 100,000 articles (it reads each IRI's text
    to compare), and an OPTIONAL here would read the property of every event in
    the store. Only required patterns, therefore; the details of the page come
    from ``DETAILS``. With ``by_month`` (?month bound to a few months) the
    engine starts from the months' events (half the time of starting from the
    actor's at 100,000 articles)."""
    typed = "type" in filters.values or "status" in filters.values
    kind = "?event dip:ploverType ?type ; dip:status ?statusNode ." if typed else ""
    month = (
        "?event dip:placedIn ?month ."
        if dated
        else "FILTER NOT EXISTS { ?event dip:placedIn ?month }"
    )
    # one GRAPH block: Oxigraph joins patterns within it by lookups, but patterns
    # of two blocks by reading both in full
    return f"""SELECT {projected} {filters.projected()} ?event ?g ?month WHERE {{
  GRAPH ?g {{ {f"{month} {inner}" if by_month else f"{inner} {month}"} {kind} }}
  {filters.clauses()} }}"""


def _page(
    bindings: dict[str, ox.Term],
    inner: str,
    projected: str,
    filters: Filters,
    counted: tuple[paging.Window, int] | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """One page of the events, newest month first (events without a month last),
    and whether there is a next page. With ``counted`` (the months the page
    falls in, and the listing's total, from the summaries) only those months are
    read."""
    if counted is not None:
        window, total = counted
        # a query a month, run side by side (each goes through the month's events),
        # the month bound with the actor in one VALUES block: the engine then starts
        # from the pair (0.12 s for a busy month at 100k, against 0.33 s when it
        # joins the actor's events with their months)
        listing = _listing(inner, projected, filters, True, by_month=True)
        answers = context.select_many(
            [
                (listing, {**bindings, "month": ox.Literal(month, datatype=GYEAR_MONTH)})
                for month in window.months
            ]
        )
        rows = _newest_first([row for answer in answers for row in answer])
        start = filters.offset - window.skipped
        page, more = rows[start : start + PAGE_SIZE], total > filters.offset + PAGE_SIZE
    else:
        page, more = _whole(bindings, inner, projected, filters)
    return _shaped(_by_date(_detailed(page))), more


def _whole(
    bindings: dict[str, ox.Term], inner: str, projected: str, filters: Filters
) -> tuple[list[dict[str, Any]], bool]:
    """A page cut from the whole listing read, and whether there is a next page."""
    queries = [(_listing(inner, projected, filters, dated=True), bindings)]
    if not ({"from", "to"} & set(filters.values)):  # a month range leaves the undated out
        queries.append((_listing(inner, projected, filters, dated=False), bindings))
    answers = context.select_many(queries)
    rows = _newest_first(answers[0])
    rows += sorted(answers[1], key=lambda r: str(r["event"])) if len(answers) > 1 else []
    return rows[filters.offset : filters.offset + PAGE_SIZE], len(rows) > filters.offset + PAGE_SIZE


def _newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (str(r["month"]), str(r["event"])), reverse=True)


def _counted(
    rows: list[dict[str, Any]], filters: Filters, exact: set[str]
) -> tuple[paging.Window, int] | None:
    """The months a page reads and the listing's total, from summary rows of
    (month, type[, status], events), when the cube counts exactly what the
    filters keep (its dimensions include every filter given) and reading those
    months costs less than the whole listing."""
    if set(filters.values) - exact:
        return None
    counts: dict[str, int] = defaultdict(int)
    undated = 0
    ranged = bool({"from", "to"} & set(filters.values))
    for row in rows:
        if not _kept(row, filters.values):
            continue
        if row.get("month") is None:
            undated += 0 if ranged else int(row["events"])
        else:
            counts[str(row["month"])] += int(row["events"])
    scanned = sum(int(row["events"]) for row in rows)  # the actor's events, all read whole
    window = paging.plan(counts, undated, store_months(), filters.offset, PAGE_SIZE, scanned)
    return None if window is None else (window, sum(counts.values()) + undated)


def _kept(row: dict[str, Any], wanted: dict[str, str]) -> bool:
    """Whether a summary row counts events the filters keep (type, status, months)."""
    month = str(row.get("month") or "")
    checks = {
        "type": lambda v: str(row["type"]) == v.upper(),
        "status": lambda v: str(row.get("status", "")).rsplit("#", 1)[-1] == v.capitalize(),
        "from": lambda v: bool(month) and month >= v,
        "to": lambda v: bool(month) and month <= v,
    }
    return all(checks[name](value) for name, value in wanted.items() if name in checks)


def store_months() -> dict[str, int]:
    """Every event of the store counted by month, from the summaries."""

    def compute() -> dict[str, int]:
        return {str(r["month"]): int(r["events"]) for r in context.select(STORE_MONTHS)}

    return context.per_generation("store-months", compute)


def _by_date(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page's rows newest first within each month, by the event's own date or
    its article's."""

    def key(row: dict[str, Any]) -> tuple[str, str]:
        return str(row.get("month") or ""), str(row.get("date") or row.get("published") or "")

    return sorted(rows, key=key, reverse=True)


# The details of a page of events, in three queries of required patterns each
# (an OPTIONAL here makes the engine read the property for every event of the
# store: 44 s at 100,000 articles, against milliseconds); VALUES names the
# events (IRIs the store answered, written by pyoxigraph, never request text).
DETAILS = (
    """SELECT ?event ?label ?type ?status WHERE { VALUES ?event { %s }
  ?event rdfs:label ?label ; dip:ploverType ?type ; dip:status/rdfs:label ?status }""",
    """SELECT ?event ?confidence WHERE { VALUES ?event { %s }
  ?event dip:confidence ?confidence }""",
    """SELECT ?event ?start ?sentence WHERE { VALUES ?event { %s }
  ?event dip:evidence ?ev . ?ev dip:start ?start ; dip:text ?sentence }""",
    """SELECT ?event ?date WHERE { VALUES ?event { %s } ?event dip:date ?date }""",
    """SELECT ?event ?published WHERE { VALUES ?event { %s }
  ?event prov:wasDerivedFrom ?article . ?article schema:datePublished ?published }""",
)


@dataclass(frozen=True)
class QuadClass:
    iri: str
    name: str
    hostile: bool


def quad_classes() -> dict[str, QuadClass]:
    """PLOVER type -> its quad class, from the ontology (kept per store change)."""

    def compute() -> dict[str, QuadClass]:
        rows = context.select(QUADS)
        return {
            str(r["type"]): QuadClass(str(r["quad"]), str(r["quadName"]), r["hostile"] == "true")
            for r in rows
        }

    return context.per_generation("quad-classes", compute)


def labels(iris: set[str]) -> dict[str, str]:
    """{IRI: its label} for IRIs the store answered."""
    if not iris:
        return {}
    (rows,) = answers_for(sorted(iris), (LABELS,))
    return {str(r["x"]): str(r["name"]) for r in rows}


def name_of(iri: ox.NamedNode) -> tuple[str, bool]:
    """An actor's label (its IRI when it has none), and whether it is a country."""
    rows = context.select(NAME, {"this": iri})
    name = str(rows[0]["name"]) if rows else iri.value
    is_country = any(str(r.get("kind") or "").endswith("#Country") for r in rows)
    return name, is_country


def months_by_quad(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of (month, type, events) as one row a month with a count per quad class
    and in all; events without a month are left out (they are counted apart)."""
    quads = quad_classes()
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row.get("month") is None:
            continue
        quad = quads.get(str(row["type"]))
        months[str(row["month"])][quad.name if quad else "other"] += int(row["events"])
    return [
        {"month": month, **counts, "total": sum(counts.values()), "hostile": _hostile(counts)}
        for month, counts in ((m, months.get(m, {})) for m in _every_month(sorted(months)))
    ]


MONTHS_SHOWN = 240  # a chart's axis runs through every month, up to twenty years


def _every_month(months: list[str]) -> list[str]:
    """The months from the first to the last given, none skipped (a month without
    events is a month on the axis, empty); the last ``MONTHS_SHOWN`` of them."""
    if not months:
        return []
    (year, month), (last_year, last_month) = (
        map(int, m.split("-")) for m in (months[0], months[-1])
    )
    steps = min((last_year - year) * 12 + last_month - month, 12 * 3000)
    every = []
    for step in range(steps + 1):
        y, m = divmod(year * 12 + month - 1 + step, 12)
        every.append(f"{y:04d}-{m + 1:02d}")
    return every[-MONTHS_SHOWN:]


def _hostile(counts: dict[str, int]) -> int:
    hostile = {q.name for q in quad_classes().values() if q.hostile}
    return sum(n for name, n in counts.items() if name in hostile)


def by_type(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of (type, events) summed over months, most frequent first."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[str(row["type"])] += int(row["events"])
    quads = quad_classes()
    return [
        {"type": kind, "events": n, "quad": quads[kind].name if kind in quads else ""}
        for kind, n in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    ]


def country_summary(country: ox.NamedNode) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A country's events by month and quad class, by type, and its counterparts;
    and the summary rows of its months (month, type, events) for its listing."""
    months, counterparts = context.select_many(
        [(COUNTRY_MONTHS, {"this": country}), (COUNTERPARTS, {"this": country})]
    )
    return months, {
        "months": months_by_quad(months),
        "undated": sum(int(r["events"]) for r in months if r.get("month") is None),
        "types": by_type(months),
        "counterparts": _counterparts(country, counterparts),
    }


def _counterparts(country: ox.NamedNode, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    quads = quad_classes()
    names = labels({str(row["other"]) for row in rows})
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        other = str(row["other"])
        entry = found.setdefault(
            other,
            {
                "other": other,
                "name": names.get(other, other),
                "events": 0,
                "hostile": 0,
                "href": pair_link(country.value, other),
            },
        )
        entry["events"] += int(row["events"])
        if quads.get(str(row["type"]), QuadClass("", "", False)).hostile:
            entry["hostile"] += int(row["events"])
    return sorted(found.values(), key=lambda e: (-e["events"], e["name"]))[:15]


def country_events(
    country: ox.NamedNode, filters: Filters, months: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the country's events (gathered), and whether there is a next one;
    ``months`` are its summary rows (``country_summary``)."""
    return _page(
        {"this": country, **filters.bindings()},
        _gathered("?this", True),
        "?this",
        filters,
        _counted(months, filters, {"type", "from", "to"}),
    )


def pair_events(
    first: tuple[ox.NamedNode, bool],
    second: tuple[ox.NamedNode, bool],
    filters: Filters,
    months: list[dict[str, Any]] | None,
) -> tuple[list[dict[str, Any]], bool]:
    """A page of the events both actors (each with whether it is a country) take
    part in, a country's gathered; ``months`` are the pair's summary rows when
    both are countries (``pair_summary``). Two countries' events are those of
    their dyad, one lookup (joining the events of each reads both in full)."""
    if first[1] and second[1]:
        dyad = context.store().iris.dyad(first[0].value, second[0].value)
        inner, bindings = "?event dip:dyad ?dyad .", {"dyad": ox.NamedNode(str(dyad))}
        projected = "?dyad"
    else:
        inner = _gathered("?a", first[1]) + " " + _gathered("?b", second[1])
        bindings, projected = {"a": first[0], "b": second[0]}, "?a ?b"
    counted = _counted(months, filters, {"type", "status", "from", "to"}) if months else None
    return _page({**bindings, **filters.bindings()}, inner, projected, filters, counted)


def answers_for(iris: list[str], queries: tuple[str, ...]) -> list[list[dict[str, Any]]]:
    """Each query answered for these IRIs (the store gave them), written by
    pyoxigraph into the query's VALUES block (its ``%s``)."""
    terms = values_of(iris)
    return context.select_many([(query % terms, None) for query in queries])


def _detailed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's rows with each event's label, type, status and sentence."""
    if not rows:
        return []
    details: dict[str, dict[str, Any]] = {}
    for answer in answers_for([str(row["event"]) for row in rows], DETAILS):
        for found in answer:
            details.setdefault(str(found["event"]), {}).update(found)
    return [{**details.get(str(row["event"]), {}), **row} for row in rows]


def _shaped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Listing rows with their links: the event's page, and its sentence in the
    article; an event without a date of its own says it is placed by the article's."""
    shaped = []
    for row in rows:
        start = row.get("start")
        shaped.append(
            {
                "event": str(row["event"]),
                "label": row.get("label") or "",
                "type": row.get("type") or "",
                "status": row.get("status") or "",
                "date": row.get("date") or "",
                "published": row.get("published") or "",
                "placed_by_article": row.get("date") is None,
                "month": row.get("month") or "",
                "confidence": row.get("confidence") or "",
                "sentence": row.get("sentence") or "",
                "article": str(row["g"]),
                "href": link(str(row["event"])),
                "sentence_href": link(str(row["g"]))
                + ("#" + sentence_anchor(int(start)) if start is not None else ""),
            }
        )
    return shaped


def pair_summary(
    first: ox.NamedNode, second: ox.NamedNode
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Two countries' events by month, type and status, from the pair cube: who
    acted first and the month with the most hostile events; and the summary rows
    (month, type, status, events) for their listing."""
    a, b = sorted([first, second], key=lambda node: node.value)
    rows = context.select(PAIR_MONTHS, {"first": a, "second": b})
    flipped = a != first  # the cube keeps a pair once, the lesser IRI first
    by_first = sum(int(r["bySecond" if flipped else "byFirst"]) for r in rows)
    by_second = sum(int(r["byFirst" if flipped else "bySecond"]) for r in rows)
    months = months_by_quad(rows)
    statuses: dict[str, int] = defaultdict(int)
    for row in rows:
        statuses[str(row["status"]).rsplit("#", 1)[-1]] += int(row["events"])
    worst = max(months, key=lambda m: (m["hostile"], m["month"]), default=None)
    return rows, {
        "months": months,
        "types": by_type(rows),
        "statuses": dict(sorted(statuses.items())),
        "initiated": {"first": by_first, "second": by_second},
        "most_hostile": worst if worst and worst["hostile"] else None,
        "undated": sum(int(r["events"]) for r in rows if r.get("month") is None),
    }


def relations() -> dict[str, Any]:
    """The most active countries and, for each ordered pair, how many events the
    row's country initiated towards the column's, with the share that is hostile
    (kept per store change: it reads every pair cell)."""

    def compute() -> dict[str, Any]:
        top, pairs = context.select_many([(TOP_COUNTRIES, None), (ALL_PAIRS, None)])
        names = labels({str(r["country"]) for r in top})
        countries = [
            {
                "iri": str(r["country"]),
                "name": names.get(str(r["country"]), str(r["country"])),
                "events": int(r["events"]),
            }
            for r in top
        ]
        return {"countries": countries, "cells": _matrix(countries, pairs)}

    return context.per_generation("relations", compute)


def _matrix(
    countries: list[dict[str, Any]], pairs: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """{row IRI + ' ' + column IRI: cell}: all events of the pair, those the row
    initiated, and the hostile share of all."""
    wanted = {c["iri"] for c in countries}
    quads = quad_classes()
    cells: dict[str, dict[str, Any]] = {}
    for row in pairs:
        first, second = str(row["first"]), str(row["second"])
        if first not in wanted or second not in wanted:
            continue
        hostile = quads.get(str(row["type"]), QuadClass("", "", False)).hostile
        for this, other, initiated in ((first, second, "byFirst"), (second, first, "bySecond")):
            cell = cells.setdefault(
                f"{this} {other}",
                {"events": 0, "initiated": 0, "hostile": 0, "href": pair_link(this, other)},
            )
            cell["events"] += int(row["events"])
            cell["initiated"] += int(row[initiated])
            cell["hostile"] += int(row["events"]) if hostile else 0
    top = max((cell["events"] for cell in cells.values()), default=1)
    for cell in cells.values():
        cell["hostile_share"] = round(cell["hostile"] / cell["events"], 2) if cell["events"] else 0
        cell["lightness"] = round(92 - 45 * cell["events"] / top)  # darker: more events
    return cells


def pair_link(first: str, second: str) -> str:
    return url_for("views.pair", a=local_path(first), b=local_path(second))
