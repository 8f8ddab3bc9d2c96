"""An article's triples as N-Triples text: each term written as rdflib writes it,
however the triples are made and however often a term recurs."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from communique.rdf import ntriples

iris = st.sampled_from([URIRef(f"http://example.org/{n}") for n in range(6)])
literals = st.one_of(
    st.text(max_size=30).map(Literal),
    st.integers(-5, 5).map(Literal),
    st.decimals(0, 1, places=2).map(lambda d: Literal(d, datatype=XSD.decimal)),
    st.text(max_size=10).map(lambda t: Literal(t, lang="en")),
)
objects = st.one_of(iris, literals, st.just(BNode("b1")))


@given(st.lists(st.tuples(iris, iris, objects), max_size=40))
def test_each_triple_is_written_as_rdflib_writes_its_terms(triples: list) -> None:
    expected = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)
    assert ntriples(triples) == expected
    parsed = list(ox.parse(ntriples(triples), format=ox.RdfFormat.TURTLE))
    assert len(parsed) == len(triples)


@given(st.lists(st.tuples(st.integers(0, 3), st.text(max_size=8)), max_size=40))
def test_terms_made_while_the_text_is_written_are_never_confused(rows: list) -> None:
    """Terms built one triple at a time and dropped after it: a new term may then
    be given an old one's identity, which must not bring back the old text."""

    def made_on_the_fly():  # type: ignore[no-untyped-def]
        for n, text in rows:
            yield URIRef(f"http://example.org/s{n}"), URIRef("http://example.org/p"), Literal(text)

    expected = "".join(
        f"<http://example.org/s{n}> <http://example.org/p> {Literal(text).n3()} .\n"
        for n, text in rows
    )
    assert ntriples(made_on_the_fly()) == expected
