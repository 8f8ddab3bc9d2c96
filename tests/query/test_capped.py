"""Answers held to the result caps: on generated data, each format's capped
answer parses, holds exactly the first rows of the full answer (as pyoxigraph's
own serializer writes it), stays under the byte cap, and says which cap cut it."""

from __future__ import annotations

import csv
import io
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.formats import GRAPH_FORMATS, SOLUTION_FORMATS
from communique.query.capped import ResultCap, csv_cell, write_capped, write_tsv_chunks
from tests.helpers import examples

SELECT = (
    "SELECT ?s ?o ?extra WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x:extra> ?extra } } ORDER BY ?s ?p ?o"
)
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
iris = st.builds(lambda n: ox.NamedNode(f"urn:x:{n}"), st.integers(0, 30))
literals = st.one_of(
    st.builds(ox.Literal, texts),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), texts, st.sampled_from(["en", "fr"])),
    st.builds(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(INTEGER)), st.integers()),
)
objects = st.one_of(iris, literals, st.builds(ox.BlankNode, st.sampled_from(["b1", "b2"])))
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
quads = st.lists(
    st.builds(
        lambda s, p, o: ox.Quad(s, p, o),
        iris,
        st.sampled_from([ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:extra")]),
        objects,
    ),
    max_size=25,
)
caps = st.builds(
    ResultCap,
    rows=st.one_of(st.none(), st.integers(0, 30)),
    bytes=st.one_of(st.none(), st.integers(300, 3000)),
)


def store_of(found: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(found)
    return store


def parsed_rows(body: bytes, name: str) -> list[tuple[Any, ...]]:
    fmt = SOLUTION_FORMATS[name].engine
    results = ox.parse_query_results(io.BytesIO(body), fmt)
    names = [v.value for v in results.variables]
    return [tuple(row[n] for n in names) for row in results]


@pytest.mark.parametrize("name", ["json", "xml", "tsv"])
@settings(max_examples=examples(60))
@given(found=quads, cap=caps)
def test_a_capped_answer_is_the_first_rows_of_the_whole(
    name: str, found: list[ox.Quad], cap: ResultCap
) -> None:
    store = store_of(found)
    whole = parsed_rows(store.query(SELECT).serialize(format=SOLUTION_FORMATS[name].engine), name)
    out = io.BytesIO()
    cut = write_capped(store.query(SELECT), SOLUTION_FORMATS[name], out, cap)
    rows = parsed_rows(out.getvalue(), name)
    assert rows == whole[: len(rows)]
    if cap.bytes is not None:
        assert len(out.getvalue()) <= cap.bytes
    if cut is None:
        assert rows == whole
    elif cut == "rows":
        assert len(rows) == cap.rows < len(whole)
    else:
        assert cut == "bytes" and len(rows) < len(whole)


@settings(max_examples=examples(60))
@given(found=quads, rows=st.integers(0, 30), safe=st.booleans())
def test_capped_csv_keeps_every_cell(found: list[ox.Quad], rows: int, safe: bool) -> None:
    store = store_of(found)
    out = io.BytesIO()
    cut = write_capped(
        store.query(SELECT), SOLUTION_FORMATS["csv"], out, ResultCap(rows=rows), csv_safe=safe
    )
    expected = [[csv_cell(term, safe=safe) for term in row] for row in store.query(SELECT)]
    table = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
    assert table[0] == ["s", "o", "extra"]
    assert table[1:] == expected[:rows]
    assert (cut == "rows") == (len(expected) > rows)


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml", "jsonld"])
@settings(max_examples=examples(30))
@given(found=quads, rows=st.integers(0, 30))
def test_a_capped_graph_parses_and_holds_the_cap(
    name: str, found: list[ox.Quad], rows: int
) -> None:
    store = store_of(found)
    out = io.BytesIO()
    cut = write_capped(store.query(CONSTRUCT), GRAPH_FORMATS[name], out, ResultCap(rows=rows))
    got = list(ox.parse(out.getvalue(), format=GRAPH_FORMATS[name].engine))
    every = {ox.Triple(q.subject, q.predicate, q.object) for q in found}
    assert len(got) == min(rows, len(every))
    assert (cut == "rows") == (len(every) > rows)


@settings(max_examples=examples(60))
@given(found=quads, cap=caps, size=st.integers(1, 50))
def test_engine_tsv_is_cut_at_a_line_however_it_is_chunked(
    found: list[ox.Quad], cap: ResultCap, size: int
) -> None:
    body = store_of(found).query(SELECT).serialize(format=ox.QueryResultsFormat.TSV)
    chunks = iter([body[i : i + size] for i in range(0, len(body), size)])
    out = io.BytesIO()
    cut = write_tsv_chunks(chunks, out, cap)
    lines = out.getvalue().splitlines(keepends=True)
    whole = body.splitlines(keepends=True)
    assert lines == whole[: len(lines)]
    if cut is None:
        assert out.getvalue() == body
    if cap.rows is not None:
        assert len(lines) <= cap.rows + 1


def test_a_boolean_is_never_cut() -> None:
    out = io.BytesIO()
    cut = write_capped(ox.Store().query("ASK {}"), SOLUTION_FORMATS["json"], out, ResultCap(0, 1))
    assert cut is None and b"true" in out.getvalue()


def test_the_caps_as_a_header_says_them() -> None:
    assert ResultCap(rows=10, bytes=2048).header() == "rows=10, bytes=2048"
    assert ResultCap().header() == "none"
