"""SHACL validation of article graphs and of the whole store.

Two ways, the same constraints:
- ``validate_graph`` runs every shape with pyshacl, the SPARQL-based offsets
  shape included (``communique validate``, and to name the culprit of a
  failing batch);
- ``validate_batch`` (the load path) runs the core shapes on a whole batch
  of articles in one pyshacl call, and checks the mention shape, the mention
  offsets and the event shape's class constraint in one Python pass each:
  pyshacl re-parses a SPARQL constraint for every focus node, which would
  cost more than the NLP, mentions are half the nodes it would visit, and the
  qualified class constraint was half of its time on events. Tests check that
  both ways reject the same graphs.

Shapes and the ontology are parsed once per process. The whole ontology is
added to the data graph so that ``sh:targetClass`` and ``sh:class`` see
subclasses (a ``dip:Meeting`` is a ``dip:Event``) and concept memberships
(``dip:ForeignMinister`` is a ``dip:Role``). pyshacl's own ``ont_graph`` only
copies class axioms, not such concept instances.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import pyshacl
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from communique.store import Store, ontology_turtle, quads_to_graph
from communique.triples import Triples
from communique.vocab import DIP, SCHEMA

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


TripleSource = Graph | Triples


def validate_batch(
    articles: Sequence[TripleSource | Sequence[TripleSource]],
) -> list[list[Violation]]:
    """The violations of each article's graph, validating the batch in one call.

    An article is one graph or several (its facts and its entity
    descriptions); they are copied once, into the batch graph, because
    copying rdflib graphs costs as much as a third of the validation. When
    the batch conforms (the usual case) that one call is all; otherwise each
    article is validated on its own with every shape, to say which article
    broke which shape. The batch is checked as the union it will be in the
    store: a property missing on a node several articles share (an actor) that
    another article of the batch supplies counts as present.
    """
    if not articles:
        return []
    parts = [[a] if isinstance(a, Graph | Triples) else list(a) for a in articles]
    combined = _batch_union(parts)
    if not check_offsets(combined) and mentions_conform(combined) and events_typed(combined):
        combined += ontology_graph()
        if not _run_shapes(combined, batch_shapes_graph()):
            return [[] for _ in parts]
    return [validate_graph(_union(article)) for article in parts]


@functools.cache
def batch_shapes_graph() -> Graph:
    """The core shapes without the mention shape, which ``mentions_conform`` checks
    (mentions are half the nodes of an article, and pyshacl's time grows with them),
    and without the event shape's class constraint, which ``events_typed`` checks
    (a qualified value shape: half of pyshacl's time on the event shape)."""
    shapes = Graph()
    shapes += shapes_graph(CORE_SHAPES)
    for prop in list(shapes.objects(MENTION_SHAPE, SH.property)):
        shapes.remove((prop, None, None))
    shapes.remove((MENTION_SHAPE, None, None))
    class_property = _event_class_property(shapes)
    shapes.remove((EVENT_SHAPE, SH.property, class_property))
    return shapes


def _event_class_property(shapes: Graph) -> Node:
    return next(
        prop
        for prop in shapes.objects(EVENT_SHAPE, SH.property)
        if shapes.value(prop, SH.path) == RDF.type
    )


@functools.cache
def _event_classes() -> tuple[frozenset[Node], frozenset[Node]]:
    """(the classes whose instances the event shape targets, the event classes one of
    which each must have), both read from the shapes and the ontology."""
    shapes = shapes_graph(CORE_SHAPES)
    allowed = shapes.value(_event_class_property(shapes), SH.qualifiedValueShape)
    classes = frozenset(Collection(shapes, shapes.value(allowed, SH["in"])))
    ontology = ontology_graph()
    targets, frontier = {DIP.Event}, [DIP.Event]
    while frontier:
        for sub in ontology.subjects(RDFS.subClassOf, frontier.pop()):
            if sub not in targets:
                targets.add(sub)
                frontier.append(sub)
    return frozenset(targets), classes


def events_typed(data: Graph) -> bool:
    """The event shape's class constraint in one Python pass: every instance of
    dip:Event (or of a class below it) has one of the event classes (dip:Meeting,
    dip:Agree, …), not only dip:Event. Says yes or no, like ``mentions_conform``."""
    targets, classes = _event_classes()
    events = {s for target in targets for s in data.subjects(RDF.type, target)}
    return all(any(c in classes for c in data.objects(e, RDF.type)) for e in events)


def mentions_conform(data: Graph) -> bool:
    """dsh:MentionShape, checked in one Python pass: each mention has one dip:inArticle
    naming an article, one xsd:integer dip:start (at least 0, before dip:end), one
    xsd:integer dip:end and one plain-string dip:text. Only says yes or no: when it
    says no, the batch is validated again article by article with pyshacl, which
    reports what is wrong."""
    articles = set(data.subjects(RDF.type, DIP.Article))
    for mention in data.subjects(RDF.type, DIP.Mention):
        in_article = list(data.objects(mention, DIP.inArticle))
        starts = list(data.objects(mention, DIP.start))
        ends = list(data.objects(mention, DIP.end))
        texts = list(data.objects(mention, DIP.text))
        if not (len(in_article) == len(starts) == len(ends) == len(texts) == 1):
            return False
        start, end, text = starts[0], ends[0], texts[0]
        if in_article[0] not in articles or not (_integer(start) and _integer(end)):
            return False
        if not 0 <= start.value < end.value or not _plain_string(text):
            return False
    return True


def _integer(term: Node) -> bool:
    return (
        isinstance(term, Literal)
        and term.datatype == XSD.integer
        and term.ill_typed is not True
        and isinstance(term.value, int)
    )


def _plain_string(term: Node) -> bool:
    return (
        isinstance(term, Literal)
        and term.language is None
        and term.datatype
        in (
            None,
            XSD.string,
        )
    )


def _batch_union(parts: list[list[TripleSource]]) -> Graph:
    """The batch as the store will hold it: an actor labelled by an earlier
    article keeps that label (the store makes a later, different one a
    skos:altLabel), so a shared actor is not counted as having two labels."""
    combined = Graph()
    for article in parts:
        labelled_before = set(combined.subjects(RDFS.label, unique=True))
        for graph in article:
            combined.addN(
                (s, p, o, combined)
                for s, p, o in graph
                if not (p == RDFS.label and s in labelled_before)
            )
    return combined


def _union(graphs: list[TripleSource]) -> Graph:
    if len(graphs) == 1 and isinstance(graphs[0], Graph):
        return graphs[0]
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def check_offsets(data: Graph) -> list[Violation]:
    """The offsets shape of offsets.ttl, as one pass in Python: every mention lies
    inside its article's body and its dip:text is the text there."""
    bodies = {str(a): str(b) for a, b in data.subject_objects(SCHEMA.articleBody)}
    found = []
    for mention, article in data.subject_objects(DIP.inArticle):
        body = bodies.get(str(article))
        start, end = data.value(mention, DIP.start), data.value(mention, DIP.end)
        text = data.value(mention, DIP.text)
        if body is None or start is None or end is None or text is None:
            continue  # missing parts are the core shapes' business
        s, e = int(start), int(end)
        if s < 0 or e > len(body) or s >= e or body[s:e] != str(text):
            found.append(
                Violation(str(article), OFFSETS_MESSAGE.format(mention), value=str(mention))
            )
    return found


def validate_graph(data: Graph, *, shapes: tuple[str, ...] = ALL_SHAPES) -> list[Violation]:
    """Every violation of the shapes in ``data`` (empty when it conforms)."""
    combined = Graph()
    combined += data
    combined += ontology_graph()
    return _run_shapes(combined, shapes_graph(shapes))


def _run_shapes(data_and_ontology: Graph, shapes: Graph) -> list[Violation]:
    """pyshacl over a graph that already holds the ontology (validated in place)."""
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
