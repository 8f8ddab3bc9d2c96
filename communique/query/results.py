"""Running SPARQL queries and writing their results in the standard formats.

Shared by ``communique query`` and the HTTP endpoint, so both answer alike.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from communique.store.base import Store
from communique.vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    ox_format: Any  # QueryResultsFormat or RdfFormat


SOLUTION_FORMATS = {
    "json": Format("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": Format("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": Format("csv", "text/csv", ox.QueryResultsFormat.CSV),
    "tsv": Format("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS = {
    "turtle": Format("turtle", "text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": Format("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": Format("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": Format("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
}


ALL_FORMATS = {**SOLUTION_FORMATS, **GRAPH_FORMATS}


def run_query(
    store: Store,
    sparql: str,
    *,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> Any:
    """Run a query with communique's prefixes predefined.

    With ``default_graphs`` the default graph is their merge instead of the
    union of all graphs; ``named_graphs`` restricts what GRAPH can see.
    """
    return store.query(sparql, **_options(default_graphs, named_graphs))


def _options(default_graphs: list[str] | None, named_graphs: list[str] | None) -> dict[str, Any]:
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return options


def stream_query(
    store: Store,
    sparql: str,
    fmt: Format,
    out: IO[bytes],
    *,
    csv_safe: bool,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> None:
    """Run a query and stream its results in one format: the engine's own bytes when
    it offers them (an external store), else serialized here. Safe CSV is always
    written here, since engines write formula-like cells as they are."""
    options = _options(default_graphs, named_graphs)
    if not (fmt.name == "csv" and csv_safe):
        chunks = store.stream_query(sparql, fmt.media_type, **options)
        if chunks is not None:
            for chunk in chunks:
                out.write(chunk)
            return
    write_results(store.query(sparql, **options), fmt, out, csv_safe=csv_safe)


def is_graph_result(results: Any) -> bool:
    """Triples (CONSTRUCT, DESCRIBE), from the embedded store or a SPARQL service."""
    from communique.store.remote import RemoteTriples

    return isinstance(results, ox.QueryTriples | RemoteTriples)


def serialize(results: Any, fmt: Format, *, csv_safe: bool = True) -> bytes:
    """The results (solutions, boolean or triples) in one format, as bytes."""
    buffer = io.BytesIO()
    write_results(results, fmt, buffer, csv_safe=csv_safe)
    return buffer.getvalue()


def write_results(results: Any, fmt: Format, out: IO[bytes], *, csv_safe: bool) -> None:
    """Stream the results to a binary writer as the serializer produces them."""
    if is_graph_result(results):
        ox.serialize(results, out, fmt.ox_format, prefixes=PREFIXES)
    elif fmt.name == "csv" and csv_safe and isinstance(results, ox.QuerySolutions):
        _safe_csv(results, out)
    else:
        results.serialize(out, fmt.ox_format)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
CSV_CHUNK = 256


def _safe_csv(results: ox.QuerySolutions, out: IO[bytes]) -> None:
    """SPARQL 1.1 CSV, with cells that a spreadsheet would run as a formula
    ('=HYPERLINK(…)', '@SUM(…)') prefixed with an apostrophe; numbers stay as they are."""
    names = [v.value for v in results.variables]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    for n, solution in enumerate(results, start=1):
        writer.writerow([_csv_cell(solution[name]) for name in names])
        if n % CSV_CHUNK == 0:
            out.write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode("utf-8"))


def _csv_cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    value = term.value
    if value.startswith(FORMULA_STARTS) and not NUMERIC.match(value):
        return "'" + value
    return value


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
