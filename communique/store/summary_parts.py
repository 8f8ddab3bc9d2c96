"""What one article counts in each summary cube, computed in Python from the
article's own triples.

This is the write path's half of ``summaries``: the cubes' SPARQL patterns say
what a cell counts, and rebuild the summaries from scratch; this module
computes the same counts for one article from its triples, at a fraction of
the cost of running five queries over a store made for it (a load computes it
in the worker that extracted the article). A test keeps the two equal: the
summaries after any sequence of writes, replacements and removals equal a
rebuild (``tests/store/test_summaries.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from communique.errors import QueryError
from communique.rdf import SerializedWrite, Triple
from communique.store.summaries import CUBES, READ_BY_CUBES, Cell, Part
from communique.vocab import PREFIXES, Iris

_DIP, _SCHEMA, _XSD = PREFIXES["dip"], PREFIXES["schema"], PREFIXES["xsd"]
_MONTH_BEARING = {_XSD + "date", _XSD + "dateTime", _XSD + "gYearMonth"}
_CUBE = {cube.name: cube for cube in CUBES}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class _Graph:
    """One article's triples, indexed by predicate and subject."""

    def __init__(self, triples: Iterable[tuple[Term, Term, Term]]) -> None:
        self.index: dict[str, dict[Term, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.by_object: dict[str, dict[Term, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for subject, predicate, obj in triples:
            if predicate.value in READ_BY_CUBES:
                self.index[predicate.value][subject].append(obj)
                self.by_object[predicate.value][obj].append(subject)

    def objects(self, subject: Term, prop: str) -> list[Term]:
        return self.index[prop].get(subject, [])

    def subjects(self, prop: str) -> Iterable[Term]:
        return self.index[prop].keys()

    def subjects_with(self, prop: str, obj: Term) -> list[Term]:
        return self.by_object[prop].get(obj, [])


def part_of_write(write: SerializedWrite, iris: Iris) -> Part:
    """What an article not yet stored will count."""
    try:
        parsed = list(ox.parse(write.facts_nt, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:  # the store would refuse the write the same way
        raise QueryError(f"{write.article}: {exc}") from exc
    return part_of_triples(
        write.article, ((t.subject, t.predicate, t.object) for t in parsed), iris
    )


def part_of_facts(article: str, facts: Iterable[Triple], iris: Iris) -> Part:
    """As ``part_of_write``, from the rdflib triples the write is made of, before
    they become text: only the triples the cubes read (a quarter of an article's)
    become pyoxigraph terms, where parsing the text made all of them."""
    return part_of_triples(
        article,
        ((_term(s), _term(p), _term(o)) for s, p, o in facts if p in _READ_BY_CUBES),
        iris,
    )


_READ_BY_CUBES = frozenset(URIRef(p) for p in READ_BY_CUBES)


def _term(node: Node) -> Term:
    if isinstance(node, URIRef):
        return ox.NamedNode(node)
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = ox.NamedNode(node.datatype) if node.datatype else None
        return ox.Literal(str(node), datatype=datatype)
    return ox.BlankNode(str(node))


def part_of_triples(article: str, triples: Iterable[tuple[Term, Term, Term]], iris: Iris) -> Part:
    """What the article graph made of ``triples`` counts in every cube."""
    graph = _Graph(triples)
    counter = _Counter(iris)
    node = ox.NamedNode(article)
    published = next(iter(graph.objects(node, _SCHEMA + "datePublished")), None)
    for event in graph.subjects(_DIP + "ploverType"):
        _count_event(graph, counter, event, published)
    for actor, mentions in graph.index[_DIP + "mentionedAs"].items():
        counter.add("MentionsByActor", (actor,), (len(set(mentions)),))
    _count_totals(graph, counter, node)
    return counter.part


def _count_event(graph: _Graph, counter: _Counter, event: Term, published: Term | None) -> None:
    participants = set(graph.objects(event, _DIP + "involvesCountry"))
    initiators = set(graph.objects(event, _DIP + "initiatorCountry"))
    for kind in graph.objects(event, _DIP + "ploverType"):
        for status in graph.objects(event, _DIP + "status"):
            for date in graph.objects(event, _DIP + "date") or [None]:
                month = _month(date, published)
                counter.add_event("EventsByType", (kind, status, month), event)
                for country in participants:
                    counter.add_event("EventsByCountry", (country, kind, month), event)
                for first in participants:
                    for second in participants:
                        if first.value < second.value:
                            counter.add_pair(
                                (first, second, kind, status, month),
                                event,
                                first in initiators,
                                second in initiators,
                            )


def _month(date: Term | None, published: Term | None) -> Term | None:
    text = None
    if isinstance(date, ox.Literal) and date.datatype.value in _MONTH_BEARING:
        text = date.value[:7]
    elif isinstance(published, ox.Literal) and (
        date is None or date.value[:4] == published.value[:4]
    ):
        text = published.value[:7]
    return (
        ox.Literal(text, datatype=ox.NamedNode(_XSD + "gYearMonth")) if text is not None else None
    )


def _count_totals(graph: _Graph, counter: _Counter, article: Term) -> None:
    types = graph.index[PREFIXES["rdf"] + "type"]
    if ox.NamedNode(_DIP + "Article") not in types.get(article, []):
        return
    events = len(graph.index[_DIP + "ploverType"])
    statement = ox.NamedNode(_DIP + "Statement")
    statements = sum(1 for kinds in types.values() if statement in kinds)
    counter.add("Totals", (), (1, events, statements))


class _Counter:
    """Cells as they are counted: distinct events per cell, or given counts."""

    def __init__(self, iris: Iris) -> None:
        self.iris = iris
        self.part: Part = {}
        self._events: dict[str, list[set[Term]]] = {}

    def add(self, cube_name: str, values: tuple[Term | None, ...], counts: tuple[int, ...]) -> None:
        iri, cell = self._cell(cube_name, values, counts)
        self.part[iri] = cell

    def add_event(self, cube_name: str, values: tuple[Term | None, ...], event: Term) -> None:
        self._add_sets(cube_name, values, (event,))

    def add_pair(
        self, values: tuple[Term | None, ...], event: Term, by_first: bool, by_second: bool
    ) -> None:
        self._add_sets(
            "EventsByCountryPair",
            values,
            (event, event if by_first else None, event if by_second else None),
        )

    def _add_sets(
        self, cube_name: str, values: tuple[Term | None, ...], members: tuple[Term | None, ...]
    ) -> None:
        iri, cell = self._cell(cube_name, values, (0,) * len(members))
        sets = self._events.setdefault(iri, [set() for _ in members])
        for found, member in zip(sets, members, strict=True):
            if member is not None:
                found.add(member)
        self.part[iri] = Cell(cell.cube, cell.dimensions, tuple(len(s) for s in sets))

    def _cell(
        self, cube_name: str, values: tuple[Term | None, ...], counts: tuple[int, ...]
    ) -> tuple[str, Cell]:
        cube = _CUBE[cube_name]
        base = self.iris.base
        iri = f"{base}summary/{cube.name}" + "".join("/" + _key_part(v, base) for v in values)
        dims = tuple(
            (prop, str(v))
            for (_, prop), v in zip(cube.dimensions, values, strict=True)
            if v is not None
        )
        return iri, Cell(cube, dims, counts)


def _key_part(term: Term | None, base: str) -> str:
    """As ``summaries._key_part`` in SPARQL: a readable, escaped IRI segment."""
    if term is None:
        return "-"
    value = term.value
    if isinstance(term, ox.NamedNode):
        value = value[len(base) :] if value.startswith(base) else re.sub(r"^.*[/#]", "", value)
    return quote(value, safe="")
