"""The graph's events as table rows, read a chunk at a time.

One query streams the events that pass the filters (with what each has once:
its type, status, date, confidence, article); for each chunk of them a few
queries fetch what an event has many of (its actors, places, sentence), and
the actors are described once for the whole export (label, class, country,
sector, coordinates), so an export of a million events holds a chunk and the
actors in memory, not the table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import Any

import pyoxigraph as ox

from communique.errors import QueryError
from communique.export.codes import (
    CLASS_MODES,
    CLASS_SECTORS,
    INTERNATIONAL,
    INTERNATIONAL_CODES,
    LEADS_A_GROUP,
    QUAD_CODES,
    ROLE_SECTORS,
    STATUS_CONTEXTS,
    alpha3,
)
from communique.sparql_text import values_of
from communique.store.base import Store

XSD_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
CHUNK = 2000  # events whose details are asked for at once
SEPARATOR = "; "  # between the several actors of one cell
PRECISIONS = {10: "day", 7: "month", 4: "year"}  # by the length of an xsd date's text


@dataclass(frozen=True)
class EventFilter:
    """Which events: a date range (inclusive, on the start of the event's period,
    or the article's date when the text gives none), an actor taking part (a
    country: with its officials and nationals, as on the pages), PLOVER types,
    and a least confidence."""

    start: date | None = None
    end: date | None = None
    actor: str | None = None
    types: tuple[str, ...] = ()
    min_confidence: float = 0.0


EVENTS = """SELECT ?event ?class ?label ?plover ?cameo ?status ?date ?dateText ?confidence
       ?article ?published ?url ?headline WHERE {
  %(actor)s
  ?event dip:status ?status ; a ?class ; dip:confidence ?confidence ;
         prov:wasDerivedFrom ?article .
  %(types)s
  OPTIONAL { ?event rdfs:label ?label }
  OPTIONAL { ?event dip:ploverType ?plover }
  OPTIONAL { ?event dip:cameoCode ?cameo }
  OPTIONAL { ?event dip:date ?date }
  OPTIONAL { ?event dip:dateText ?dateText }
  OPTIONAL { ?article schema:datePublished ?published }
  OPTIONAL { ?article schema:url ?url }
  OPTIONAL { ?article schema:headline ?headline }
  %(when)s
  %(confidence)s
}"""
ACTOR_FILTER = """{ SELECT DISTINCT ?event WHERE {
    { ?event dip:participant ?actor } UNION { ?event dip:involvesCountry ?actor } } }"""
TYPE_FILTER = "?event dip:ploverType ?wanted . VALUES ?wanted { %s }"
WHEN_FILTER = """BIND(SUBSTR(CONCAT(STR(COALESCE(?date, ?published)), "-01-01"), 1, 10) AS ?when)
  FILTER(%s)"""
CONFIDENCE_FILTER = "FILTER(?confidence >= ?least)"

# One pattern per role, each with its predicate written: with the predicate a
# variable, Oxigraph read every triple of the store (397 s at 100,000 articles).
ARGUMENTS = """SELECT ?event ?role ?actor WHERE { VALUES ?event { %s }
  { ?event dip:initiator ?actor BIND("initiator" AS ?role) }
  UNION { ?event dip:recipient ?actor BIND("recipient" AS ?role) }
  UNION { ?event dip:participant ?actor BIND("participant" AS ?role) } }"""
PLACES = """SELECT ?event ?place WHERE { VALUES ?event { %s } ?event dip:location ?place }"""
SENTENCES = """SELECT ?event ?start ?end ?sentence WHERE { VALUES ?event { %s }
  ?event dip:evidence ?mention . ?mention dip:start ?start ; dip:end ?end ; dip:text ?sentence }"""
SOURCES = """SELECT ?article (COUNT(DISTINCT ?copy) AS ?copies) WHERE { VALUES ?article { %s }
  ?article dip:copy ?copy } GROUP BY ?article"""
DESCRIPTIONS = """SELECT ?x ?label ?class ?sameAs ?code ?in ?lat ?long WHERE { VALUES ?x { %s }
  OPTIONAL { ?x rdfs:label ?label } OPTIONAL { ?x a ?class }
  OPTIONAL { ?x owl:sameAs ?sameAs } OPTIONAL { ?x dip:countryCode ?code }
  OPTIONAL { ?x dip:locatedIn ?in } OPTIONAL { ?x geo:lat ?lat ; geo:long ?long } }"""
# The countries an actor stands for: its nationality, an organisation's country,
# the countries it holds offices in; each counted. Three queries, not a UNION:
# Oxigraph joined the VALUES after the union's branches (84 s at 100,000 articles).
COUNTRIES = (
    """SELECT ?x ?country (COUNT(*) AS ?n) WHERE { VALUES ?x { %s }
  ?x dip:nationality ?country } GROUP BY ?x ?country""",
    """SELECT ?x ?country (COUNT(*) AS ?n) WHERE { VALUES ?x { %s }
  ?x dip:country ?country } GROUP BY ?x ?country""",
    """SELECT ?x ?country (COUNT(*) AS ?n) WHERE { VALUES ?x { %s }
  ?holding dip:holder ?x ; dip:inActor ?country . ?country a dip:Country }
GROUP BY ?x ?country""",
)
ROLES = """SELECT ?x ?role ?ledClass (COUNT(*) AS ?n) WHERE { VALUES ?x { %s }
  ?holding dip:holder ?x ; dip:role ?role .
  OPTIONAL { ?holding dip:inActor ?led . ?led a ?ledClass } } GROUP BY ?x ?role ?ledClass"""
QUADS = "SELECT ?class ?quad WHERE { ?class dip:classQuadClass ?quad }"
PLOVER_TYPES = "SELECT DISTINCT ?type WHERE { ?class dip:classPloverType ?type }"


@dataclass
class Actor:
    """What the export says of one actor or place."""

    iri: str
    label: str = ""
    kind: str = ""  # the ontology class's local name
    wikidata: str | None = None
    code: str | None = None  # a country's ISO alpha-2
    located_in: str | None = None
    point: tuple[float, float] | None = None
    countries: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)

    @property
    def country(self) -> str | None:
        """Alpha-3 of the country it stands for; UNO, EUR or IGO for international ones."""
        if self.kind == "Country":
            return alpha3(self.code)
        if self.kind == "InternationalOrganization":
            return INTERNATIONAL_CODES.get(self.wikidata or "", INTERNATIONAL)
        if self.located_in:
            return alpha3(_code_of(self.located_in))
        if self.countries:
            best = sorted(self.countries.items(), key=lambda item: (-item[1], item[0]))[0][0]
            return alpha3(_code_of(best))
        return None

    @property
    def sector(self) -> str | None:
        if self.kind in CLASS_SECTORS:
            return CLASS_SECTORS[self.kind]
        for role, _ in sorted(self.roles.items(), key=lambda item: (-item[1], item[0])):
            name, _, led = role.partition("|")
            sector = CLASS_SECTORS.get(led) if name == LEADS_A_GROUP else ROLE_SECTORS.get(name)
            if sector:
                return sector
        return None


class Exporter:
    """Events of one store as rows; actors described once for the whole export."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.actors: dict[str, Actor] = {}
        self.quads = {
            str(r["class"]): QUAD_CODES.get(_local(str(r["quad"]))) for r in store.select(QUADS)
        }

    def plover_types(self) -> set[str]:
        return {str(r["type"]) for r in self.store.select(PLOVER_TYPES)}

    def rows(self, chosen: EventFilter) -> Iterator[dict[str, Any]]:
        """Every event that passes the filter, as a row of the columns table."""
        self._check(chosen)
        sparql, bindings = _events_query(chosen)
        events = self.store.iter_select(sparql, bindings)
        while chunk := list(islice(events, CHUNK)):
            yield from self._rows_of(_one_per_event(chunk))

    def _check(self, chosen: EventFilter) -> None:
        known = self.plover_types()
        unknown = sorted(set(chosen.types) - known)
        if unknown:
            raise QueryError(
                f"unknown event type {', '.join(unknown)}: give one of {', '.join(sorted(known))}"
            )

    def _rows_of(self, events: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        iris = [str(e["event"]) for e in events]
        arguments: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in self._each(ARGUMENTS, iris):
            arguments[str(row["event"])][str(row["role"])].append(str(row["actor"]))
        places: dict[str, list[str]] = defaultdict(list)
        for row in self._each(PLACES, iris):
            places[str(row["event"])].append(str(row["place"]))
        sentences: dict[str, tuple[int, int, str]] = {}
        for row in self._each(SENTENCES, iris):
            found = (int(row["start"]), int(row["end"]), str(row["sentence"]))
            sentences[str(row["event"])] = min(sentences.get(str(row["event"]), found), found)
        copies = self._copies({str(e["article"]) for e in events})
        mentioned = {a for roles in arguments.values() for ids in roles.values() for a in ids}
        self._describe(mentioned | {p for ps in places.values() for p in ps})
        for event in events:
            iri = str(event["event"])
            yield self._row(
                event,
                arguments[iri],
                sorted(places[iri]),
                sentences.get(iri),
                copies.get(str(event["article"]), 0),
            )

    def _row(
        self,
        event: dict[str, Any],
        roles: dict[str, list[str]],
        places: list[str],
        sentence: tuple[int, int, str] | None,
        copies: int,
    ) -> dict[str, Any]:
        sources = self._ordered(roles.get("initiator") or roles.get("participant") or [])
        targets = self._ordered(roles.get("recipient") or [])
        place = self.actors[places[0]] if places else None
        kind = _local(str(event["class"]))
        when = str(event["date"]) if event.get("date") else None
        cameo = str(event["cameo"]) if event.get("cameo") else None
        start, end, text = sentence if sentence else (None, None, None)
        return {
            "event_iri": str(event["event"]),
            "date": _period_start(when),
            "date_precision": PRECISIONS.get(len(when)) if when else None,
            "date_text": _text(event.get("dateText")),
            "published": _period_start(_text(event.get("published"))),
            "event_type": _text(event.get("plover")),
            "event_class": kind,
            "cameo_code": cameo,
            "cameo_root": cameo[:2] if cameo else None,
            "quad_class": self.quads.get(str(event["class"])),
            "mode": CLASS_MODES.get(kind),
            "status": _local(str(event["status"])).lower(),
            "context": STATUS_CONTEXTS.get(_local(str(event["status"]))),
            **_actor_cells("source", sources),
            **_actor_cells("target", targets),
            "participants": _joined(a.label for a in self._ordered(roles.get("participant", []))),
            "place": place.label if place else None,
            "place_iri": place.iri if place else None,
            "place_country": place.country if place else None,
            "latitude": place.point[0] if place and place.point else None,
            "longitude": place.point[1] if place and place.point else None,
            "confidence": float(event["confidence"]),
            "num_sources": 1 + copies,
            "sentence": text,
            "sentence_start": start,
            "sentence_end": end,
            "headline": _text(event.get("headline")),
            "article_url": _text(event.get("url")),
            "article_iri": str(event["article"]),
            "label": _text(event.get("label")),
            "actors": {"source": sources, "target": targets, "place": place},
        }

    def _ordered(self, iris: list[str]) -> list[Actor]:
        """The actors by label, so a cell reads the same in every export."""
        return sorted((self.actors[i] for i in set(iris)), key=lambda a: (a.label, a.iri))

    def _copies(self, articles: set[str]) -> dict[str, int]:
        return {str(r["article"]): int(r["copies"]) for r in self._each(SOURCES, sorted(articles))}

    def _describe(self, iris: set[str]) -> None:
        new = sorted(iris - self.actors.keys())
        for iri in new:
            self.actors[iri] = Actor(iri)
        for part in _parts(new, CHUNK):
            for row in self._each(DESCRIPTIONS, part):
                _learn(self.actors[str(row["x"])], row)
            for query in COUNTRIES:
                for row in self._each(query, part):
                    self.actors[str(row["x"])].countries[str(row["country"])] += int(row["n"])
            for row in self._each(ROLES, part):
                led = _local(str(row["ledClass"])) if row.get("ledClass") else ""
                role = f"{_local(str(row['role']))}|{led}"
                self.actors[str(row["x"])].roles[role] += int(row["n"])

    def _each(self, query: str, iris: list[str]) -> list[dict[str, Any]]:
        """The query for these IRIs (the store gave them), written into its VALUES
        block by pyoxigraph."""
        return self.store.select(query % values_of(iris)) if iris else []


def day_of(text: str, *, end: bool = False) -> date:
    """A day given as YYYY-MM-DD, or a month as YYYY-MM (its first day, or with
    ``end`` its last), as on the pages' filters."""
    try:
        if len(text) == 7:
            first = date.fromisoformat(text + "-01")
            if not end:
                return first
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise QueryError(f"{text!r} is not a day (2025-03-14) or a month (2025-03)") from exc


def _events_query(chosen: EventFilter) -> tuple[str, dict[str, Any]]:
    """The events query for a filter: fixed fragments chosen, values bound."""
    bindings: dict[str, Any] = {}
    parts = {"actor": "", "types": "", "when": "", "confidence": ""}
    if chosen.actor:
        parts["actor"] = ACTOR_FILTER
        bindings["actor"] = ox.NamedNode(chosen.actor)
    if chosen.types:
        parts["types"] = TYPE_FILTER % " ".join(str(ox.Literal(t)) for t in chosen.types)
    tests = []
    if chosen.start:
        tests.append("?when >= ?from")
        bindings["from"] = ox.Literal(chosen.start.isoformat())
    if chosen.end:
        tests.append("?when <= ?to")
        bindings["to"] = ox.Literal(chosen.end.isoformat())
    if tests:
        parts["when"] = WHEN_FILTER % " && ".join(tests)
    if chosen.min_confidence > 0:
        parts["confidence"] = CONFIDENCE_FILTER
        bindings["least"] = ox.Literal(str(chosen.min_confidence), datatype=XSD_DECIMAL)
    return EVENTS % parts, bindings


def _one_per_event(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per event (a second label or type on an event would repeat it)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(str(row["event"]), row)
    return list(seen.values())


def _learn(actor: Actor, row: dict[str, Any]) -> None:
    if row.get("label") and not actor.label:
        actor.label = str(row["label"])
    kind = _local(str(row["class"])) if row.get("class") else ""
    if kind and (not actor.kind or actor.kind in ("Actor", "Organization", "Place")):
        actor.kind = kind  # the most specific class the graph gives
    if row.get("sameAs"):
        actor.wikidata = _local(str(row["sameAs"]))
    if row.get("code"):
        actor.code = str(row["code"])
    if row.get("in"):
        actor.located_in = str(row["in"])
    if row.get("lat") is not None and row.get("long") is not None:
        actor.point = (float(row["lat"]), float(row["long"]))


def _actor_cells(side: str, actors: list[Actor]) -> dict[str, str | None]:
    return {
        f"{side}_actor": _joined(a.label for a in actors),
        f"{side}_actor_iri": _joined(a.iri for a in actors),
        f"{side}_country": _joined(a.country or "" for a in actors),
        f"{side}_sector": _joined(a.sector or "" for a in actors),
    }


def _joined(values: Iterable[str]) -> str | None:
    items = list(values)
    return SEPARATOR.join(items) if any(items) else None


def _period_start(text: str | None) -> date | None:
    """The first day of an xsd:date, gYearMonth or gYear (or a dateTime's day)."""
    if not text:
        return None
    try:
        return date.fromisoformat((text[:10] + "-01-01")[:10])
    except ValueError:
        return None


def _code_of(country_iri: str) -> str:
    return country_iri.rstrip("/").rsplit("/", 1)[-1]


def _local(iri: str) -> str:
    """The last part of an IRI: a class's, a role's or a Wikidata item's name."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _parts(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = ["EventFilter", "Exporter"]
