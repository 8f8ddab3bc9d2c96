"""An article's triples as the load path builds them.

An rdflib ``Graph`` indexes every triple three ways as it is added, which
cost more than the extraction rules on the load path; an article's triples
are only ever added, counted, iterated and validated together with a batch.
So they are kept here, each once and in the order written, and an rdflib
graph is built once per batch, for SHACL (``communique.batch_validation``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib.term import Node

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
