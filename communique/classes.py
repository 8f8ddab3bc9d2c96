"""The ontology's classes, as the ontology states them: what is below what, and
what it says of each class. Code that needs a group of classes (the event
classes, the kinds of consultation) asks here instead of listing them, so
the hierarchy is written once, in ``ontology/communique.ttl``.

Classes are named by their local name in the ``dip:`` namespace.

>>> "Meeting" in subclasses("Consult")
True
>>> "Event" in event_classes()
False
>>> EventClass.Assault == "Assault"
True
"""

from __future__ import annotations

import functools
from collections import defaultdict
from enum import StrEnum

import pyoxigraph as ox

from communique.resources import ontology_turtle
from communique.vocab import DIP, RDF, RDFS

SUBCLASS_OF = str(RDFS.subClassOf)
RDF_TYPE = str(RDF.type)
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"


@functools.cache
def _triples() -> tuple[ox.Triple, ...]:
    return tuple(
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(ontology_turtle(), format=ox.RdfFormat.TURTLE)
    )


def _local(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str | None:
    value = getattr(term, "value", "")
    return value[len(str(DIP)) :] if value.startswith(str(DIP)) else None


@functools.cache
def _children() -> dict[str, frozenset[str]]:
    below: dict[str, set[str]] = defaultdict(set)
    for t in _triples():
        child, parent = _local(t.subject), _local(t.object)
        if t.predicate.value == SUBCLASS_OF and child and parent:
            below[parent].add(child)
    return {parent: frozenset(children) for parent, children in below.items()}


@functools.cache
def subclasses(cls: str) -> frozenset[str]:
    """The class and every class below it."""
    found = {cls}
    for child in _children().get(cls, ()):
        found |= subclasses(child)
    return frozenset(found)


def _typed(type_iri: str) -> frozenset[str]:
    """The ``dip:`` terms the ontology types with ``type_iri``."""
    return frozenset(
        name
        for t in _triples()
        if t.predicate.value == RDF_TYPE
        and getattr(t.object, "value", None) == type_iri
        and (name := _local(t.subject))
    )


def declared_classes() -> frozenset[str]:
    """Every ``dip:`` class the ontology declares."""
    return _typed(OWL_CLASS)


def event_classes() -> frozenset[str]:
    """The classes an event can have (every class below ``dip:Event``)."""
    return subclasses("Event") - {"Event"}


def annotation(cls: str, prop: str) -> list[str]:
    """The values of one ``dip:`` annotation on a class (local names for ``dip:``
    IRIs, the text for literals), as the ontology writes them."""
    subject = str(DIP[cls])
    predicate = str(DIP[prop])
    return [
        _local(t.object) or t.object.value
        for t in _triples()
        if t.subject.value == subject and t.predicate.value == predicate
    ]


def instances(cls: str) -> frozenset[str]:
    """The ``dip:`` terms the ontology types with a class (the topics of
    ``dip:Topic``, the roles of ``dip:Role``)."""
    return _typed(str(DIP[cls]))


# The event classes as names code can use: ``EventClass.Assault`` is the string
# "Assault", and a misspelt name fails where it is read, not in a graph that
# breaks the shapes. Built from the ontology, so it cannot drift from it.
EventClass = StrEnum("EventClass", {name: name for name in sorted(event_classes())})  # type: ignore[misc]
