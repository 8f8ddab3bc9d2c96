"""SHACL validation of article graphs and of the whole store.

Shapes and the ontology are parsed once per process. The whole ontology is
added to the data graph so that ``sh:targetClass`` and ``sh:class`` see
subclasses (a ``dip:Meeting`` is a ``dip:Event``) and concept memberships
(``dip:ForeignMinister`` is a ``dip:Role``). pyshacl's own ``ont_graph`` only
copies class axioms, not such concept instances.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import pyshacl
from rdflib import Graph, Namespace
from rdflib.term import Node

from communique.store import Store, ontology_turtle, quads_to_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPE_FILES = ("communique.ttl", "offsets.ttl")


@dataclass(frozen=True)
class Violation:
    """One broken constraint, said the way a person reads it."""

    focus: str
    message: str
    path: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        value = f" [value: {self.value}]" if self.value else ""
        return f"{self.focus}{where}: {self.message}{value}"


@functools.cache
def shapes_graph() -> Graph:
    graph = Graph()
    folder = resources.files("communique.shapes")
    for name in SHAPE_FILES:
        graph.parse(data=folder.joinpath(name).read_text("utf-8"), format="turtle")
    return graph


@functools.cache
def ontology_graph() -> Graph:
    return Graph().parse(data=ontology_turtle(), format="turtle")


def validate_graph(data: Graph) -> list[Violation]:
    """Every violation of the shapes in ``data`` (empty when it conforms)."""
    combined = Graph()
    combined += data
    combined += ontology_graph()
    _conforms, results, _text = pyshacl.validate(
        combined,
        shacl_graph=shapes_graph(),
        inplace=True,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    return sorted(_violations(results), key=lambda v: (v.focus, v.message))


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        found.append(
            Violation(
                focus=_text(results.value(result, SH.focusNode)) or "?",
                message=_text(results.value(result, SH.resultMessage)) or "constraint violated",
                path=_text(results.value(result, SH.resultPath)),
                value=_text(results.value(result, SH.value)),
            )
        )
    return found


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def validate_store(store: Store) -> list[Violation]:
    """Validate everything in the store but the ontology graph, as one graph."""
    ontology = str(store.iris.ontology_graph)
    quads = (q for q in store.all_quads() if q.graph_name.value != ontology)
    return validate_graph(quads_to_graph(quads))
