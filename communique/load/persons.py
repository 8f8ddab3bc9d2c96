"""One person, one node across articles.

Within an article the rules already take 'Assad' after 'Bashar al-Assad' for one
person. Across articles this is decided here, in the process that writes, in
input order: a person an article names only by surname or by another spelling
becomes the node of the one person of an earlier article (or of the store) the
name fits (``loaders.rules.names.KnownPersons``). Deciding it where articles are
written in order keeps a load's result the same with any number of workers.
"""

from __future__ import annotations

import dataclasses

from communique.loaders.rules.names import KnownPersons
from communique.rdf import SerializedWrite
from communique.store.base import Store

STORED_PERSONS = """SELECT ?person ?name ?role WHERE {
    GRAPH ?g { ?person a dip:Person ; rdfs:label ?name }
    OPTIONAL { ?holding dip:holder ?person ; dip:role ?role } }"""
# (node, name, the offices the article says the person holds) of each person it names
Persons = tuple[tuple[str, str, tuple[str, ...]], ...]


class PersonMerger:
    """The persons named in full so far: the store's, then each written article's."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: KnownPersons | None = None

    def known(self) -> KnownPersons:
        if self._known is None:  # read once, at the first article a load writes
            self._known = KnownPersons()
            for row in self.store.select(STORED_PERSONS):
                role = row.get("role")
                offices = frozenset({_local_name(str(role))}) if role is not None else frozenset()
                self._known.add(str(row["person"]), str(row["name"]), offices)
        return self._known

    def merged(self, write: SerializedWrite, persons: Persons) -> tuple[SerializedWrite, Persons]:
        """The write with each person that fits one earlier person moved onto that
        node, and the article's persons as they now are."""
        known = self.known()
        moves = {}
        for node, name, offices in persons:
            earlier = known.node_for(name, frozenset(offices))
            if earlier is not None and earlier != node:
                moves[node] = earlier
        if not moves:
            return write, persons
        return moved(write, moves), tuple((moves.get(n, n), *rest) for n, *rest in persons)

    def remember(self, persons: Persons) -> None:
        """Persons of an article just written, for the articles after it."""
        known = self.known()
        for node, name, offices in persons:
            known.add(node, name, frozenset(offices))


def moved(write: SerializedWrite, moves: dict[str, str]) -> SerializedWrite:
    """The write with nodes renamed. In N-Triples an IRI is always written whole
    between angle brackets, so replacing '<old>' cannot touch any other term."""

    def rename(text: str) -> str:
        for old, new in moves.items():
            text = text.replace(f"<{old}>", f"<{new}>")
        return text

    return dataclasses.replace(
        write,
        facts_nt=rename(write.facts_nt),
        entities_nt=rename(write.entities_nt),
        labels=tuple((rename(s), o) for s, o in write.labels),
        summary_part=None,  # it names the old nodes: computed again when written
        text_entries=None,
    )


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
