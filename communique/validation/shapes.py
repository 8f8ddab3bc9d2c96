"""SHACL validation of article graphs and of the whole store.

``validate_graph`` runs every shape with pyshacl, the SPARQL-based offsets
shape included (``communique validate``, and to name the culprit of a failing
batch). The load path validates a batch of articles at once the same way in
fewer steps (``communique.batch_validation``).

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

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from communique.rdf import quads_to_graph
from communique.resources import ontology_turtle
from communique.store.base import Store

SH = Namespace("http://www.w3.org/ns/shacl#")
CORE_SHAPES = ("communique.ttl",)
MENTION_SHAPE = URIRef("https://w3id.org/communique/shapes#MentionShape")
EVENT_SHAPE = URIRef("https://w3id.org/communique/shapes#EventShape")
ALL_SHAPES = ("communique.ttl", "offsets.ttl")
OFFSETS_MESSAGE = (
    "Mention {} does not fit the article body: its offsets fall outside the body, or its "
    "dip:text is not the text at those offsets."
)


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
def shapes_graph(names: tuple[str, ...] = ALL_SHAPES) -> Graph:
    graph = Graph()
    folder = resources.files("communique.shapes")
    for name in names:
        graph.parse(data=folder.joinpath(name).read_text("utf-8"), format="turtle")
    return graph


@functools.cache
def ontology_graph() -> Graph:
    return Graph().parse(data=ontology_turtle(), format="turtle")


def validate_graph(data: Graph, *, shapes: tuple[str, ...] = ALL_SHAPES) -> list[Violation]:
    """Every violation of the shapes in ``data`` (empty when it conforms)."""
    combined = Graph()
    combined += data
    combined += ontology_graph()
    return run_shapes(combined, shapes_graph(shapes))


def run_shapes(data_and_ontology: Graph, shapes: Graph) -> list[Violation]:
    """pyshacl over a graph that already holds the ontology (validated in place).
    Imported here: a load's batches are checked by the compiled shapes, and pyshacl
    only names the violations of one that fails."""
    import pyshacl

    _conforms, results, _text = pyshacl.validate(
        data_and_ontology,
        shacl_graph=shapes,
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
    """Validate everything in the store but the ontology (and change records), as one graph."""
    skipped = {str(store.iris.ontology_graph), str(store.iris.meta_graph)}
    quads = (q for q in store.all_quads() if q.graph_name.value not in skipped)
    return validate_graph(quads_to_graph(quads))
