"""Validating a batch of articles on the load path, with the verdicts of
``shapes.validate_graph`` in a fraction of its time.

The core shapes run as Python tests compiled from them (``compiled``), and the
SPARQL-based offsets shape as one Python pass, over the batch's triples
indexed once. When anything fails, each article is validated again with
pyshacl and every shape, to say which article broke which shape. Tests check
that both ways reject the same graphs.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from itertools import product

from rdflib import RDFS, Graph, Literal
from rdflib.term import Node

from communique.rdf import Triple, Triples
from communique.validation.compiled import CompiledShapes, Index, Unsupported, compile_shapes
from communique.validation.shapes import (
    CORE_SHAPES,
    OFFSETS_MESSAGE,
    Violation,
    ontology_graph,
    shapes_graph,
    validate_graph,
)
from communique.vocab import DIP, SCHEMA

TripleSource = Graph | Triples
log = logging.getLogger(__name__)


def validate_batch(
    articles: Sequence[TripleSource | Sequence[TripleSource]],
) -> list[list[Violation]]:
    """The violations of each article's graph, validating the batch at once.

    An article is one graph or several (its facts and its entity
    descriptions). When the batch conforms (the usual case) one pass of the
    compiled checks is all; otherwise each article is validated on its own
    with pyshacl and every shape, to say which article broke which shape. The
    batch is checked as the union it will be in the store: a property missing
    on a node several articles share (an actor) that another article of the
    batch supplies counts as present.
    """
    if not articles:
        return []
    parts = [[a] if isinstance(a, Graph | Triples) else list(a) for a in articles]
    if batch_conforms(_batch_union(parts)):
        return [[] for _ in parts]
    return [validate_graph(_union(article)) for article in parts]


def batch_conforms(triples: Iterable[Triple]) -> bool:
    """Yes when every shape holds on ``triples`` (the core shapes compiled, the
    offsets in Python); no when one may not (pyshacl then says which)."""
    shapes = core_shapes()
    if shapes is None:
        return False
    index = shapes.index(triples)
    return not _offset_violations(index) and shapes.conforms(index)


@functools.cache
def core_shapes() -> CompiledShapes | None:
    """The core shapes compiled, once a process; None when one of them uses SHACL
    the compiler does not know (every batch then goes to pyshacl)."""
    try:
        return compile_shapes(shapes_graph(CORE_SHAPES), ontology_graph())
    except Unsupported as exc:
        log.warning("shapes not compiled (%s): pyshacl checks every batch, slowly", exc)
        return None


def _batch_union(parts: list[list[TripleSource]]) -> list[Triple]:
    """The batch as the store will hold it: an actor labelled by an earlier
    article keeps that label (the store makes a later, different one a
    skos:altLabel), so a shared actor is not counted as having two labels.
    A triple two articles share (an actor's class) comes twice: the index keeps
    one."""
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
    return _offset_violations(Index(data, {}, set()))


def _offset_violations(index: Index) -> list[Violation]:
    found = []
    for mention, values in index.out.items():
        in_article, starts, ends, texts = (values.get(p) for p in MENTION_PARTS)
        if not (in_article and starts and ends and texts):
            continue  # missing parts are the core shapes' business
        for article in in_article:
            bodies = index.out.get(article, {}).get(SCHEMA.articleBody, ())
            for body, start, end, text in product(bodies, starts, ends, texts):
                s, e = _offset(start), _offset(end)
                if s is None or e is None:
                    continue  # not integers: the core shapes' business
                if s < 0 or e > len(body) or s >= e or str(body)[s:e] != str(text):
                    message = OFFSETS_MESSAGE.format(mention)
                    found.append(Violation(str(article), message, value=str(mention)))
    return found


def _offset(term: Node) -> int | None:
    value = term.value if isinstance(term, Literal) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


MENTION_PARTS = (DIP.inArticle, DIP.start, DIP.end, DIP.text)
