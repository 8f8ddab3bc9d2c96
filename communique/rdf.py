"""Triples as the load path builds them, and the write format of one article.

An rdflib ``Graph`` indexes every triple three ways as it is added, which
cost more than the extraction rules on the load path; an article's triples
are only ever added, counted, iterated and validated together with a batch.
So they are kept here (``Triples``), each once and in the order written, and
an rdflib graph is built once per batch, for SHACL
(``communique.validation.batch``).

An article travels from extraction to a store as an ``ArticleWrite`` (rdflib
terms, split by the graph they belong in) and, across processes, as a
``SerializedWrite`` (N-Triples text, cheap to pickle). Extraction produces
the first; every store engine takes either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from communique.vocab import RDFS

Triple = tuple[Node, Node, Node]


class Triples:
    """A set of triples that keeps the order they were added in."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._triples: dict[Triple, None] = dict.fromkeys(triples)

    def add(self, triple: Triple) -> None:
        self._triples[triple] = None

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


@dataclass(frozen=True)
class ArticleWrite:
    """One article's triples, split by the graph they belong in."""

    article: URIRef
    facts: Iterable[Triple]  # goes into the article's named graph (a Triples or a Graph)
    entities: Iterable[Triple]  # shared actor descriptions, merged into the entities graph
    replaces: tuple[str, ...] = ()  # article IRIs this one supersedes


@dataclass(frozen=True)
class SerializedWrite:
    """An article's write as text, ready for one SPARQL Update and cheap to send
    between processes: the facts and the shared descriptions as N-Triples, and the
    labels apart (a label is only added when the actor has none yet)."""

    article: str
    facts_nt: str
    entities_nt: str
    labels: tuple[tuple[str, str], ...] = ()
    replaces: tuple[str, ...] = ()
    triples: int = 0
    # of ``replaces``, those whose recorded copies this version keeps as its own
    # sources (the same story, updated: the loader decides)
    keeps_copies_of: tuple[str, ...] = ()
    # what the article counts in the summaries (``store.summaries.Part``), computed
    # where the write was prepared; None: compute it when writing
    summary_part: Any = None
    # what it makes searchable (``store.text_index.Entry`` list), likewise
    text_entries: Any = None


def serialize_write(write: ArticleWrite | SerializedWrite) -> SerializedWrite:
    if isinstance(write, SerializedWrite):
        return write
    plain = []
    labels = []
    for s, p, o in write.entities:
        if p == RDFS.label:
            labels.append((s.n3(), o.n3()))
        else:
            plain.append((s, p, o))
    facts = list(write.facts)
    return SerializedWrite(
        str(write.article),
        ntriples(facts),
        ntriples(plain),
        tuple(sorted(labels)),
        tuple(write.replaces),
        len(facts) + len(plain) + len(labels),
    )


def ntriples(triples: Iterable[Triple]) -> str:
    """The triples as N-Triples-like text (Turtle escapes in long literals). A term's
    text is made once per call: rdflib checks an IRI again on every ``n3()``, and an
    article names the same predicates, actors, offsets and confidences hundreds of
    times. Terms are told apart by identity (rdflib compares and hashes them in
    Python, which cost more than the text); each is kept with its text, so no
    other term can take its identity during the call."""
    made: dict[int, tuple[Node, str]] = {}

    def text(term: Node) -> str:
        found = made.get(id(term))
        if found is None:
            found = made[id(term)] = (term, term.n3())
        return found[1]

    return "".join(f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in triples)


def quads_to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph of the quads' triples (graph names dropped), for pyshacl."""
    graph = Graph()
    data = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    graph.parse(data=data, format="nt")
    return graph
