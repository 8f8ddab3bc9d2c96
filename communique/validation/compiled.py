"""The core SHACL shapes compiled into Python tests: the load path's yes or no.

pyshacl cost about 24 ms an article on the load path (an rdflib graph of the
batch, then its engine), a quarter of what a load does besides the NLP
(measured 2026-12-06, ``docs/benchmarks.md``). The core shapes use a small part
of SHACL Core, so this module reads them (the same Turtle, no second copy of a
constraint) and turns each property shape into Python tests over the batch's
triples, indexed once.

It only answers "does the batch conform?". A no sends the batch to pyshacl,
article by article, which names each violation; so a test here may be
stricter than SHACL (costing time, never a verdict), but must never pass what
pyshacl refuses. The tests compare both on every broken case and on generated
graphs. A shape using anything outside the supported part raises
``Unsupported`` when compiled, and the load then validates with pyshacl alone.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from communique.rdf import Triple
from communique.validation.shapes import SH

# (values, focus node, index) -> holds; a test on the whole set of a path's values
SetTest = Callable[[frozenset[Node], Node, "Index"], bool]
# (value, index) -> holds; a test each value must pass
ValueTest = Callable[[Node, "Index"], bool]

DESCRIPTIVE = {RDF.type, SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
TARGET_CLASS = SH.targetClass
NUMBER = (int, float, Decimal)


class Unsupported(ValueError):
    """A shape uses SHACL this module does not compile (validate with pyshacl)."""


@dataclass(frozen=True)
class Path:
    """A property path: predicates followed forward (one, or an alternative of
    several) or one followed backward."""

    forward: tuple[URIRef, ...] = ()
    inverse: URIRef | None = None


@dataclass(frozen=True)
class PropertyCheck:
    """One property shape with the targets of the node shape that holds it."""

    shape: Node
    targets: frozenset[Node]  # the target classes and every class below them
    path: Path
    set_tests: tuple[SetTest, ...]
    value_tests: tuple[ValueTest, ...]

    def holds(self, focus: Node, index: Index) -> bool:
        values = index.values(focus, self.path)
        return all(test(value, index) for value in values for test in self.value_tests) and all(
            test(values, focus, index) for test in self.set_tests
        )


class Index:
    """A batch's triples by subject and predicate (and backward for the predicates
    an inverse path follows), with each node's classes, the ontology's included."""

    def __init__(
        self,
        triples: Iterable[Triple],
        ontology_types: dict[Node, frozenset[Node]],
        inverse: set[Node],
    ) -> None:
        self.out: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.back: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
        self.ontology_types = ontology_types
        out, back = self.out, self.back
        for s, p, o in triples:
            out[s][p].add(o)
            if p in inverse:
                back[o][p].add(s)
        self.by_class: dict[Node, list[Node]] = defaultdict(list)
        for node, predicates in out.items():
            for cls in predicates.get(RDF.type, ()):
                self.by_class[cls].append(node)

    def values(self, focus: Node, path: Path) -> frozenset[Node]:
        if path.inverse is not None:
            return frozenset(self.back.get(focus, {}).get(path.inverse, ()))
        own = self.out.get(focus, {})
        if len(path.forward) == 1:
            return frozenset(own.get(path.forward[0], ()))
        return frozenset(v for p in path.forward for v in own.get(p, ()))

    def types(self, node: Node) -> set[Node] | frozenset[Node]:
        stated = self.out.get(node, {}).get(RDF.type, set())
        known = self.ontology_types.get(node)
        return stated if known is None else stated | known

    def instances(self, classes: frozenset[Node]) -> set[Node]:
        return {node for cls in classes for node in self.by_class.get(cls, ())}


@dataclass(frozen=True)
class CompiledShapes:
    """The checks of a shapes graph, with what they need of the ontology."""

    checks: tuple[PropertyCheck, ...]
    ontology_types: dict[Node, frozenset[Node]]
    inverse_predicates: frozenset[Node]

    def index(self, triples: Iterable[Triple]) -> Index:
        return Index(triples, self.ontology_types, set(self.inverse_predicates))

    def conforms(self, index: Index) -> bool:
        """Whether every node the shapes target passes every check."""
        focus_of: dict[frozenset[Node], set[Node]] = {}
        for check in self.checks:
            if check.targets not in focus_of:
                focus_of[check.targets] = index.instances(check.targets)
            if not all(check.holds(focus, index) for focus in focus_of[check.targets]):
                return False
        return True


def compile_shapes(shapes: Graph, ontology: Graph) -> CompiledShapes:
    """Every property shape of ``shapes`` as a ``PropertyCheck``; ``Unsupported``
    names the first shape or feature this module cannot check."""
    subclasses = _subclass_closure(ontology)
    checks = []
    for node_shape in sorted(set(shapes.subjects(SH.property, None)), key=str):
        _only(shapes, node_shape, DESCRIPTIVE | {SH.property, TARGET_CLASS})
        targets = _closure(subclasses, shapes.objects(node_shape, TARGET_CLASS))
        for prop in sorted(shapes.objects(node_shape, SH.property), key=str):
            checks.append(_property_check(shapes, prop, targets, subclasses))
    for shape in set(shapes.subjects(TARGET_CLASS, None)) - set(shapes.subjects(SH.property)):
        if (shape, SH.path, None) not in shapes:
            raise Unsupported(f"{shape}: a node shape with constraints of its own")
        targets = _closure(subclasses, shapes.objects(shape, TARGET_CLASS))
        checks.append(_property_check(shapes, shape, targets, subclasses))
    ontology_types = _types(ontology)
    targeted = frozenset().union(*(c.targets for c in checks)) if checks else frozenset()
    if any(types & targeted for types in ontology_types.values()):
        raise Unsupported("the ontology holds nodes the shapes target")
    inverse = frozenset(c.path.inverse for c in checks if c.path.inverse is not None)
    return CompiledShapes(tuple(checks), ontology_types, inverse)


def _property_check(
    shapes: Graph, prop: Node, targets: frozenset[Node], subclasses: dict[Node, set[Node]]
) -> PropertyCheck:
    parameters = set(SET_TESTS) | set(VALUE_TESTS) | READ_WITH_OTHERS
    _only(shapes, prop, DESCRIPTIVE | {SH.path, TARGET_CLASS} | parameters)
    set_tests = [
        SET_TESTS[p](shapes, prop, o, subclasses)
        for p, o in shapes.predicate_objects(prop)
        if p in SET_TESTS
    ]
    value_tests = _value_tests(shapes, prop, subclasses)
    path = _path(shapes, shapes.value(prop, SH.path), prop)
    return PropertyCheck(prop, targets, path, tuple(set_tests), tuple(value_tests))


def _value_tests(shapes: Graph, shape: Node, subclasses: dict[Node, set[Node]]) -> list[ValueTest]:
    return [
        VALUE_TESTS[p](shapes, shape, o, subclasses)
        for p, o in shapes.predicate_objects(shape)
        if p in VALUE_TESTS
    ]


def _only(shapes: Graph, shape: Node, allowed: set[Node]) -> None:
    for predicate in set(shapes.predicates(shape)):
        if predicate not in allowed:
            raise Unsupported(f"{shape}: {predicate} is not compiled")
    for kind in shapes.objects(shape, RDF.type):
        if kind not in (SH.NodeShape, SH.PropertyShape):
            raise Unsupported(f"{shape}: a shape that is also a {kind}")


def _path(shapes: Graph, path: Node | None, shape: Node) -> Path:
    if isinstance(path, URIRef):
        return Path(forward=(path,))
    inverse = shapes.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, URIRef) and len(set(shapes.predicates(path))) == 1:
        return Path(inverse=inverse)
    alternatives = shapes.value(path, SH.alternativePath) if path is not None else None
    if alternatives is not None and len(set(shapes.predicates(path))) == 1:
        members = list(Collection(shapes, alternatives))
        if members and all(isinstance(m, URIRef) for m in members):
            return Path(forward=tuple(members))
    raise Unsupported(f"{shape}: a path other than a predicate, its inverse or an alternative")


# ---------------------------------------------------------------- tests on the set of values


def _min_count(_shapes: Graph, _shape: Node, value: Node, _sub: dict) -> SetTest:
    least = int(value)
    return lambda values, _focus, _index: len(values) >= least


def _max_count(_shapes: Graph, _shape: Node, value: Node, _sub: dict) -> SetTest:
    most = int(value)
    return lambda values, _focus, _index: len(values) <= most


def _less_than(_shapes: Graph, _shape: Node, other: Node, _sub: dict) -> SetTest:
    path = Path(forward=(other,))

    def test(values: frozenset[Node], focus: Node, index: Index) -> bool:
        bounds = index.values(focus, path)
        return all(_compare(v, b, operator.lt) for v in values for b in bounds)

    return test


def _qualified(shapes: Graph, shape: Node, qualified: Node, subclasses: dict) -> SetTest:
    _only(shapes, qualified, DESCRIPTIVE | set(VALUE_TESTS) | {SH.flags})
    tests = _value_tests(shapes, qualified, subclasses)
    least = shapes.value(shape, SH.qualifiedMinCount)
    most = shapes.value(shape, SH.qualifiedMaxCount)
    low, high = int(least) if least is not None else 0, int(most) if most is not None else None

    def test(values: frozenset[Node], _focus: Node, index: Index) -> bool:
        count = sum(1 for v in values if all(t(v, index) for t in tests))
        return count >= low and (high is None or count <= high)

    return test


SET_TESTS: dict[Node, Callable[..., SetTest]] = {
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.lessThan: _less_than,
    SH.qualifiedValueShape: _qualified,
}
# parameters read by another's test: the counts by the qualified shape's, flags by the pattern's
READ_WITH_OTHERS = {SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags}


# ---------------------------------------------------------------- tests on each value


def _datatype(_shapes: Graph, _shape: Node, datatype: Node, _sub: dict) -> ValueTest:
    return lambda value, _index: _has_datatype(value, datatype)


def _has_datatype(value: Node, datatype: Node) -> bool:
    """sh:datatype: a literal of that datatype, well formed (a plain literal is an
    xsd:string, a tagged one an rdf:langString)."""
    if not isinstance(value, Literal) or value.ill_typed is True:
        return False
    if value.language is not None:
        return datatype == RDF.langString
    return (value.datatype or XSD.string) == datatype


def _or(shapes: Graph, shape: Node, members: Node, subclasses: dict) -> ValueTest:
    choices = []
    for member in Collection(shapes, members):
        _only(shapes, member, DESCRIPTIVE | set(VALUE_TESTS) | {SH.flags})
        choices.append(_value_tests(shapes, member, subclasses))
    return lambda value, index: any(all(t(value, index) for t in tests) for tests in choices)


def _class(_shapes: Graph, _shape: Node, cls: Node, subclasses: dict) -> ValueTest:
    accepted = frozenset(_closure(subclasses, [cls]))
    return lambda value, index: bool(index.types(value) & accepted)


def _pattern(shapes: Graph, shape: Node, pattern: Node, _sub: dict) -> ValueTest:
    flags = str(shapes.value(shape, SH.flags) or "")
    unknown = set(flags) - set(REGEX_FLAGS)
    if unknown:
        raise Unsupported(f"{shape}: regular expression flags {''.join(sorted(unknown))}")
    chosen = functools.reduce(operator.or_, (REGEX_FLAGS[f] for f in flags), 0)
    compiled = re.compile(str(pattern), chosen)
    return lambda value, _index: (
        not isinstance(value, BNode) and compiled.search(str(value)) is not None
    )


REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _min_length(_shapes: Graph, _shape: Node, length: Node, _sub: dict) -> ValueTest:
    least = int(length)
    return lambda value, _index: not isinstance(value, BNode) and len(str(value)) >= least


def _max_length(_shapes: Graph, _shape: Node, length: Node, _sub: dict) -> ValueTest:
    most = int(length)
    return lambda value, _index: not isinstance(value, BNode) and len(str(value)) <= most


def _bound(compare: Callable[[object, object], bool]) -> Callable[..., ValueTest]:
    def build(_shapes: Graph, _shape: Node, limit: Node, _sub: dict) -> ValueTest:
        return lambda value, _index: _compare(value, limit, compare)

    return build


def _compare(value: Node, limit: Node, compare: Callable[[object, object], bool]) -> bool:
    """Numbers only; anything else is refused here and judged by pyshacl."""
    if not (isinstance(value, Literal) and isinstance(limit, Literal)):
        return False
    left, right = value.value, limit.value
    if value.ill_typed is True or isinstance(left, bool) or isinstance(right, bool):
        return False
    return isinstance(left, NUMBER) and isinstance(right, NUMBER) and compare(left, right)


def _language_in(shapes: Graph, _shape: Node, ranges: Node, _sub: dict) -> ValueTest:
    wanted = [str(r).lower() for r in Collection(shapes, ranges)]

    def test(value: Node, _index: Index) -> bool:
        if not isinstance(value, Literal) or not value.language:
            return False
        tag = value.language.lower()
        return any(tag == r or tag.startswith(r + "-") for r in wanted)

    return test


NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}


def _node_kind(_shapes: Graph, shape: Node, kind: Node, _sub: dict) -> ValueTest:
    if kind not in NODE_KINDS:
        raise Unsupported(f"{shape}: node kind {kind}")
    kinds = NODE_KINDS[kind]
    return lambda value, _index: isinstance(value, kinds)


def _in(shapes: Graph, _shape: Node, members: Node, _sub: dict) -> ValueTest:
    allowed = frozenset(Collection(shapes, members))
    return lambda value, _index: value in allowed


VALUE_TESTS: dict[Node, Callable[..., ValueTest]] = {
    SH.datatype: _datatype,
    SH["or"]: _or,
    SH["class"]: _class,
    SH.pattern: _pattern,
    SH.minLength: _min_length,
    SH.maxLength: _max_length,
    SH.minInclusive: _bound(operator.ge),
    SH.maxInclusive: _bound(operator.le),
    SH.minExclusive: _bound(operator.gt),
    SH.maxExclusive: _bound(operator.lt),
    SH.languageIn: _language_in,
    SH.nodeKind: _node_kind,
    SH["in"]: _in,
}


# ---------------------------------------------------------------- the ontology


def _subclass_closure(ontology: Graph) -> dict[Node, set[Node]]:
    """Each class with every class below it (itself included), from the graph given:
    the one pyshacl reads (``communique.classes`` knows ``dip:`` local names only)."""
    below: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        below[sup].add(sub)
    closure: dict[Node, set[Node]] = {}
    for cls in list(below):
        found, frontier = {cls}, [cls]
        while frontier:
            for sub in below.get(frontier.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    frontier.append(sub)
        closure[cls] = found
    return closure


def _closure(subclasses: dict[Node, set[Node]], classes: Iterable[Node]) -> frozenset[Node]:
    return frozenset(c for cls in classes for c in subclasses.get(cls, {cls}))


def _types(ontology: Graph) -> dict[Node, frozenset[Node]]:
    found: dict[Node, set[Node]] = defaultdict(set)
    for node, cls in ontology.subject_objects(RDF.type):
        found[node].add(cls)
    return {node: frozenset(classes) for node, classes in found.items()}
