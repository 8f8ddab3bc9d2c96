"""Running SPARQL queries and writing their results in the standard formats.

Shared by ``communique query`` and the HTTP endpoint, so both answer alike.
"""

from __future__ import annotations

import io
import json
from typing import IO, Any

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from communique.formats import GRAPH_FORMATS, SOLUTION_FORMATS, Format
from communique.query.capped import (
    ResultCap,
    is_graph_result,
    write_capped,
    write_tsv_chunks,
)
from communique.store.base import Store
from communique.vocab import PREFIXES


def run_query(
    store: Store,
    sparql: str,
    *,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    substitutions: dict[str, Any] | None = None,
    base_iri: str | None = None,
) -> Any:
    """Run a query with communique's prefixes predefined.

    With ``default_graphs`` the default graph is their merge instead of the
    union of all graphs; ``named_graphs`` restricts what GRAPH can see;
    ``substitutions`` bind variables to terms (see ``Store.query``).
    """
    return store.query(sparql, **_options(default_graphs, named_graphs, substitutions, base_iri))


def _options(
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    substitutions: dict[str, Any] | None = None,
    base_iri: str | None = None,
) -> dict[str, Any]:
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if base_iri:
        options["base_iri"] = base_iri
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    if substitutions:
        options["substitutions"] = substitutions
    return options


def stream_capped(
    store: Store,
    sparql: str,
    fmt: Format,
    out: IO[bytes],
    cap: ResultCap,
    *,
    csv_safe: bool,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    substitutions: dict[str, Any] | None = None,
    base_iri: str | None = None,
) -> str | None:
    """Run a query and write its results in one format up to the caps; which cap
    cut them, or None. An external store's own TSV bytes are passed on (cut at a
    line); everything else is written here, row by row, so that it can end
    cleanly at a cap."""
    options = _options(default_graphs, named_graphs, substitutions, base_iri)
    if fmt.name == "tsv":
        chunks = store.stream_query(sparql, fmt.media_type, **options)
        if chunks is not None:
            return write_tsv_chunks(chunks, out, cap)
    return write_capped(store.query(sparql, **options), fmt, out, cap, csv_safe=csv_safe)


def serialize(results: Any, fmt: Format, *, csv_safe: bool = True) -> bytes:
    """The results (solutions, boolean or triples) in one format, as bytes."""
    buffer = io.BytesIO()
    write_capped(results, fmt, buffer, ResultCap(), csv_safe=csv_safe)
    return buffer.getvalue()


def write_first(results: Any, fmt: Format, out: IO[bytes], limit: int) -> str | None:
    """Only the first ``limit`` results: triples in ``fmt``, solutions and booleans
    as SPARQL JSON (the one solutions format a page reads). The worker stops
    reading after them, so a page asking for a few rows of a huge answer costs
    only those rows."""
    if is_graph_result(results):
        return write_capped(results, fmt, out, ResultCap(rows=limit))
    return write_capped(results, SOLUTION_FORMATS["json"], out, ResultCap(rows=limit))


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
INTEGER_TYPES = tuple(
    "http://www.w3.org/2001/XMLSchema#" + name for name in ("integer", "int", "long")
)


def python_value(term: dict[str, Any] | None) -> Any:
    """A SPARQL JSON term as a page uses it: whole numbers as int, anything else
    as its text (an IRI's, a literal's value), an unbound variable as None."""
    if term is None:
        return None
    if term["type"] == "literal" and term.get("datatype") in INTEGER_TYPES:
        return int(term["value"])
    return term["value"]


def ox_term(term: dict[str, Any] | None) -> Any:
    """A SPARQL JSON term as a pyoxigraph term (None for an unbound variable)."""
    if term is None:
        return None
    kind = term["type"]
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind == "bnode":
        return ox.BlankNode(term["value"])
    if kind == "triple":
        parts = term["value"]
        return ox.Triple(*(ox_term(parts[k]) for k in ("subject", "predicate", "object")))
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    datatype = term.get("datatype")
    return ox.Literal(term["value"], datatype=ox.NamedNode(datatype) if datatype else None)


def json_rows(body: bytes, *, terms: bool = False) -> list[dict[str, Any]]:
    """The solutions of a SPARQL JSON answer as {variable: python value} rows, or
    {variable: pyoxigraph term} rows with ``terms``."""
    document = json.loads(body)
    names = document["head"]["vars"]
    convert = ox_term if terms else python_value
    return [
        {name: convert(binding.get(name)) for name in names}
        for binding in document["results"]["bindings"]
    ]


def term_text(term: Any) -> str:
    """A term as a person reads it: the IRI, or the literal's value."""
    if term is None:
        return ""
    return term.value if hasattr(term, "value") else str(term)


def print_results(store: Store, sparql: str, fmt: str, out: IO[str]) -> None:
    results = run_query(store, sparql)
    if isinstance(results, ox.QueryBoolean):
        out.write(("true" if bool(results) else "false") + "\n")
    elif is_graph_result(results):
        out.write(serialize(results, GRAPH_FORMATS["turtle"]).decode("utf-8"))
    elif fmt == "table":
        _print_table(results, out)
    else:
        out.write(serialize(results, SOLUTION_FORMATS[fmt]).decode("utf-8"))


def _print_table(results: Any, out: IO[str]) -> None:
    names = [v.value for v in results.variables]
    table = Table(*names, show_lines=False)
    count = 0
    for row in results:
        table.add_row(*(term_text(row[name]) for name in names))
        count += 1
    console = Console(file=out, width=200 if not out.isatty() else None, highlight=False)
    console.print(table)
    console.print(f"{count} row(s)")
