"""Validating a batch of articles on the load path, in fewer steps than
``validate.validate_graph`` and with the same verdicts.

One pyshacl call checks the whole batch against the core shapes less what a
single Python pass over the batch's triples checks faster: the mention shape
and the mentions' offsets (mentions are half the nodes of an article), the
event shape's qualified class constraint, the date-datatype choices (pyshacl
builds a result for every alternative a value does not take), and the links
from actors and facts to their mentions. Each property shape is checked once
for all its targets, and pyshacl sees only the predicates its shapes read.
When anything fails, each article is validated again on its own with every
shape, to say which article broke which shape. Tests check that both ways
reject the same graphs.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from communique.rdf import Triple, Triples
from communique.validation.shapes import (
    CORE_SHAPES,
    EVENT_SHAPE,
    MENTION_SHAPE,
    OFFSETS_MESSAGE,
    SH,
    Violation,
    ontology_graph,
    run_shapes,
    shapes_graph,
    validate_graph,
)
from communique.vocab import DIP, SCHEMA

TripleSource = Graph | Triples


def validate_batch(
    articles: Sequence[TripleSource | Sequence[TripleSource]],
) -> list[list[Violation]]:
    """The violations of each article's graph, validating the batch in one call.

    An article is one graph or several (its facts and its entity
    descriptions). When the batch conforms (the usual case) one pass of the
    Python checks and one pyshacl call over the batch are all; otherwise each
    article is validated on its own with every shape, to say which article
    broke which shape. The batch is checked as the union it will be in the
    store: a property missing on a node several articles share (an actor) that
    another article of the batch supplies counts as present.
    """
    if not articles:
        return []
    parts = [[a] if isinstance(a, Graph | Triples) else list(a) for a in articles]
    triples = _batch_union(parts)
    if _python_checks_pass(triples) and not run_shapes(_batch_graph(triples), batch_shapes_graph()):
        return [[] for _ in parts]
    return [validate_graph(_union(article)) for article in parts]


def _batch_graph(triples: list[Triple]) -> Graph:
    """The batch's triples that a batch shape can see, with the ontology, in one rdflib
    graph for pyshacl. Building the graph costs about two thirds of pyshacl's run,
    and the mentions' offsets, words and classes (over a third of an article's
    triples) are the Python pass's business only."""
    visible = visible_predicates(batch_shapes_graph())
    # a mention's class is only read by the Python pass once its sh:class moved there
    unread_class = DIP.Mention if _mention_class_constraints() else None
    rdf_type = RDF.type
    graph = Graph()
    graph.addN(
        (s, p, o, graph)
        for s, p, o in triples
        if (visible is None or p in visible) and not (p == rdf_type and o == unread_class)
    )
    graph.addN((s, p, o, graph) for s, p, o in _ontology_read_by_shapes())
    return graph


@functools.cache
def _ontology_read_by_shapes() -> tuple[Triple, ...]:
    """The ontology triples a batch shape can see, and the class hierarchy (which
    ``sh:class`` and class targets follow): half the ontology, labels and comments
    left out, 40 ms less graph building every 64 articles (measured)."""
    visible = visible_predicates(batch_shapes_graph())
    return tuple(
        (s, p, o)
        for s, p, o in ontology_graph()
        if visible is None or p in visible or p == RDFS.subClassOf
    )


PATH_PREDICATES = (
    SH.path,
    SH.inversePath,
    SH.alternativePath,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
    RDF.first,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.equals,
    SH.disjoint,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
)


@functools.cache
def visible_predicates(shapes: Graph) -> frozenset[Node] | None:
    """Every predicate the core constraints of ``shapes`` can read: those on their
    paths (and in property pairs and targets), plus rdf:type and rdfs:subClassOf
    for targets and class constraints. None when a shape can read any predicate
    (a closed shape, a SPARQL constraint): then nothing may be left out."""
    if (None, SH.closed, None) in shapes or (None, SH.sparql, None) in shapes:
        return None
    found = {RDF.type, RDFS.subClassOf}
    for predicate in PATH_PREDICATES:
        found.update(o for o in shapes.objects(None, predicate) if isinstance(o, URIRef))
    return frozenset(found)


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
    shapes.remove((class_property, None, None))
    for choice in _datatype_choices():
        shapes.remove((choice.shape, SH["or"], None))
    for constraint in _mention_class_constraints():
        if constraint.whole:  # the Python pass checks all of it: pyshacl need not see the path
            shapes.remove((None, SH.property, constraint.shape))
            shapes.remove((constraint.shape, None, None))
        else:
            shapes.remove((constraint.shape, SH["class"], DIP.Mention))
    return _property_shapes_targeted(shapes)


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _property_shapes_targeted(shapes: Graph) -> Graph:
    """The same constraints, each property shape of a targeted node shape made a
    shape of its own with the node shape's targets. pyshacl checks a nested
    property shape once per focus node, building its constraint components
    each time, and a targeted shape once for all of them: two thirds of its time
    went to that overhead. A node's violations are the same either way (a node
    shape's property shapes must all hold, and each reports its own results)."""
    for node_shape in set(shapes.subjects(SH.property, None)):
        targets = [(p, o) for p in TARGETS for o in shapes.objects(node_shape, p)]
        if not targets:
            continue
        for prop in list(shapes.objects(node_shape, SH.property)):
            shapes.remove((node_shape, SH.property, prop))
            shapes.add((prop, RDF.type, SH.PropertyShape))
            for predicate, target in targets:
                shapes.add((prop, predicate, target))
        if not set(shapes.predicates(node_shape)) - NOT_CONSTRAINTS:
            # nothing left to check: pyshacl would still gather its focus nodes
            for predicate, target in targets:
                shapes.remove((node_shape, predicate, target))
    return shapes


NOT_CONSTRAINTS = {RDF.type, *TARGETS, SH.message, SH.name, SH.description, RDFS.comment}


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
    return _with_subclasses({DIP.Event}), classes


def _with_subclasses(classes: set[Node]) -> frozenset[Node]:
    """The classes and every class below them in the ontology."""
    ontology = ontology_graph()
    found, frontier = set(classes), list(classes)
    while frontier:
        for sub in ontology.subjects(RDFS.subClassOf, frontier.pop()):
            if sub not in found:
                found.add(sub)
                frontier.append(sub)
    return frozenset(found)


@dataclass(frozen=True)
class _DatatypeChoice:
    """A property shape whose sh:or lists datatypes only (a publication date is an
    xsd:date or an xsd:dateTime). On the load path it is checked in Python:
    pyshacl builds a validation result for every datatype a value does not
    have, which was a third of its time."""

    shape: Node
    targets: frozenset[Node]  # the target classes and the classes below them
    path: Node
    datatypes: frozenset[Node]


@functools.cache
def _datatype_choices() -> tuple[_DatatypeChoice, ...]:
    shapes = shapes_graph(CORE_SHAPES)
    found = []
    for prop, alternatives in shapes.subject_objects(SH["or"]):
        members = list(Collection(shapes, alternatives))
        datatypes = [shapes.value(m, SH.datatype) for m in members]
        datatypes_only = all(set(shapes.predicates(m)) == {SH.datatype} for m in members)
        path = shapes.value(prop, SH.path)
        node_shape = shapes.value(None, SH.property, prop)
        if not (datatypes_only and isinstance(path, URIRef) and node_shape is not None):
            continue
        if any((node_shape, t, None) in shapes for t in TARGETS if t != SH.targetClass):
            continue
        targets = _with_subclasses(set(shapes.objects(node_shape, SH.targetClass)))
        found.append(_DatatypeChoice(prop, targets, path, frozenset(datatypes)))
    return tuple(found)


def _datatypes_conform(index: _TripleIndex) -> bool:
    """Each value of a datatype choice's path, on each of its targets, has one of
    its datatypes and is well formed (sh:datatype's two conditions)."""
    return all(
        _typed(value, choice.datatypes)
        for choice in _datatype_choices()
        for values in index.values_on_targets(choice.targets, choice.path)
        for value in values
    )


def _typed(term: Node, datatypes: frozenset[Node]) -> bool:
    return isinstance(term, Literal) and term.datatype in datatypes and term.ill_typed is not True


@dataclass(frozen=True)
class _ClassConstraint:
    """A property shape's 'every value is a dip:Mention' (sh:class). On the load path
    it is checked in Python, where mentions are checked whole anyway, so that the
    mentions' own triples (a sixth of the batch graph) stay out of pyshacl. When
    the shape says nothing else but a minimum count (an actor is mentioned at
    least once, a fact has evidence), the Python pass checks that too and pyshacl
    does not see the path at all."""

    shape: Node
    targets: frozenset[Node]
    path: Node
    min_count: int
    whole: bool


SIMPLE_PROPERTY_PARTS = {SH.path, SH["class"], SH.minCount, SH.message, SH.name, SH.description}


@functools.cache
def _mention_class_constraints() -> tuple[_ClassConstraint, ...]:
    """Every sh:class dip:Mention of the core shapes, on a plain path of a node shape
    with class targets. If any did not fit that form, none is moved (pyshacl would
    then need the mentions' classes)."""
    shapes = shapes_graph(CORE_SHAPES)
    found = []
    for prop in shapes.subjects(SH["class"], DIP.Mention):
        path = shapes.value(prop, SH.path)
        node_shape = shapes.value(None, SH.property, prop)
        if not isinstance(path, URIRef) or node_shape is None:
            return ()
        if any((node_shape, t, None) in shapes for t in TARGETS if t != SH.targetClass):
            return ()
        targets = _with_subclasses(set(shapes.objects(node_shape, SH.targetClass)))
        min_count = shapes.value(prop, SH.minCount)
        whole = set(shapes.predicates(prop)) <= SIMPLE_PROPERTY_PARTS
        count = int(min_count) if min_count is not None else 0
        found.append(_ClassConstraint(prop, targets, path, count, whole))
    return tuple(found)


def _mention_values_conform(index: _TripleIndex) -> bool:
    """Each moved constraint holds on each of its targets: every value of the path
    is a dip:Mention, and there are at least as many as the shape asks."""
    return all(
        len(values) >= constraint.min_count
        and all(DIP.Mention in index.types.get(v, ()) for v in values)
        for constraint in _mention_class_constraints()
        for values in index.values_on_targets(constraint.targets, constraint.path)
    )


@dataclass
class _TripleIndex:
    """What the Python checks read, gathered in one pass over a batch's triples:
    each node's classes, the values of the mention properties, article bodies."""

    types: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    parts: dict[Node, dict[Node, list[Node]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    bodies: dict[str, str] = field(default_factory=dict)
    values: dict[Node, dict[Node, list[Node]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    @classmethod
    def of(cls, data: Iterable[Triple]) -> _TripleIndex:
        index = cls()
        choice_paths = {choice.path for choice in _datatype_choices()}
        choice_paths |= {constraint.path for constraint in _mention_class_constraints()}
        wanted = {RDF.type, SCHEMA.articleBody, *MENTION_PARTS, *choice_paths}
        for s, p, o in data:
            if p not in wanted:  # most triples: one set lookup instead of four comparisons
                continue
            if p == RDF.type:
                index.types[s].add(o)
            elif p in MENTION_PARTS:
                index.parts[s][p].append(o)
            elif p == SCHEMA.articleBody:
                index.bodies[str(s)] = str(o)
            if p in choice_paths:
                index.values[p][s].append(o)
        return index

    def values_on_targets(self, targets: frozenset[Node], path: Node) -> Iterator[list[Node]]:
        """The values of ``path`` on each node of one of the ``targets`` classes
        (an empty list where the node has none)."""
        values = self.values.get(path, {})
        for node, types in self.types.items():
            if types & targets:
                yield values.get(node, [])

    def instances(self, cls: Node) -> Iterator[Node]:
        return (node for node, classes in self.types.items() if cls in classes)


MENTION_PARTS = (DIP.inArticle, DIP.start, DIP.end, DIP.text)


def _python_checks_pass(triples: list[Triple]) -> bool:
    index = _TripleIndex.of(triples)
    return (
        not _offset_violations(index)
        and _mentions_conform(index)
        and _events_typed(index)
        and _datatypes_conform(index)
        and _mention_values_conform(index)
    )


def events_typed(data: Iterable[Triple]) -> bool:
    """The event shape's class constraint in one Python pass: every instance of
    dip:Event (or of a class below it) has one of the event classes (dip:Meeting,
    dip:Agree, …), not only dip:Event. Says yes or no, like ``mentions_conform``."""
    return _events_typed(_TripleIndex.of(data))


def _events_typed(index: _TripleIndex) -> bool:
    targets, classes = _event_classes()
    return all(not (types & targets) or bool(types & classes) for types in index.types.values())


def mentions_conform(data: Iterable[Triple]) -> bool:
    """dsh:MentionShape, checked in one Python pass: each mention has one dip:inArticle
    naming an article, one xsd:integer dip:start (at least 0, before dip:end), one
    xsd:integer dip:end and one plain-string dip:text. Only says yes or no: when it
    says no, the batch is validated again article by article with pyshacl, which
    reports what is wrong."""
    return _mentions_conform(_TripleIndex.of(data))


def _mentions_conform(index: _TripleIndex) -> bool:
    articles = set(index.instances(DIP.Article))
    for mention in index.instances(DIP.Mention):
        values = index.parts.get(mention, {})
        in_article, starts, ends, texts = (values.get(p, []) for p in MENTION_PARTS)
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


def _batch_union(parts: list[list[TripleSource]]) -> list[Triple]:
    """The batch as the store will hold it: an actor labelled by an earlier
    article keeps that label (the store makes a later, different one a
    skos:altLabel), so a shared actor is not counted as having two labels.

    A triple two articles share (an actor's class) comes twice: the rdflib graph
    keeps one, and the Python checks only read what is an article's own (a
    duplicate there would only send the batch to the article-by-article path)."""
    combined: list[Triple] = []
    labelled: set[Node] = set()
    label = RDFS.label
    for article in parts:
        labelled_before = set(labelled)
        for graph in article:
            for triple in graph:
                if triple[1] == label:
                    if triple[0] in labelled_before:
                        continue
                    labelled.add(triple[0])
                combined.append(triple)
    return combined


def _union(graphs: list[TripleSource]) -> Graph:
    if len(graphs) == 1 and isinstance(graphs[0], Graph):
        return graphs[0]
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def check_offsets(data: Iterable[Triple]) -> list[Violation]:
    """The offsets shape of offsets.ttl, as one pass in Python: every mention lies
    inside its article's body and its dip:text is the text there."""
    return _offset_violations(_TripleIndex.of(data))


def _offset_violations(index: _TripleIndex) -> list[Violation]:
    found = []
    for mention, values in index.parts.items():
        in_article, starts, ends, texts = (values.get(p) for p in MENTION_PARTS)
        if not (in_article and starts and ends and texts):
            continue  # missing parts are the core shapes' business
        article = in_article[0]
        body = index.bodies.get(str(article))
        if body is None:
            continue
        s, e = int(starts[0]), int(ends[0])
        if s < 0 or e > len(body) or s >= e or body[s:e] != str(texts[0]):
            found.append(
                Violation(str(article), OFFSETS_MESSAGE.format(mention), value=str(mention))
            )
    return found
