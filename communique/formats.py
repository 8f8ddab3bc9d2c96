"""Every format communique reads or writes, in one table.

A row says what the format is called (``format=`` values, CLI choices), its
media type, its file suffix, other names clients use for it, what it holds
(solutions, a graph, a dataset of named graphs, or a page), the engine's
serializer, and rdflib's name for it. Every other list of formats (what
``/sparql`` negotiates, what ``communique dump`` writes, the suffixes of a
resource's variants) is a view of this table.

>>> by_name("ttl").media_type
'text/turtle'
>>> [f.name for f in of_kind(Kind.SOLUTIONS)]
['json', 'xml', 'csv', 'tsv']
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox


class Kind(enum.Enum):
    SOLUTIONS = "solutions"  # SELECT and ASK results
    GRAPH = "graph"  # triples: CONSTRUCT and DESCRIBE results, resource descriptions
    DATASET = "dataset"  # quads, named graphs kept: dumps
    PAGE = "page"  # HTML for people


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str | None
    kind: Kind
    engine: Any  # ox.QueryResultsFormat or ox.RdfFormat; None for HTML
    rdflib: str | None = None  # rdflib's serializer name, where rdflib writes it
    aliases: tuple[str, ...] = ()
    dump: bool = False  # offered as a whole-store dump (graph formats hold the union)
    w3c: str | None = None  # its name under http://www.w3.org/ns/formats/

    @property
    def keeps_graphs(self) -> bool:
        """Whether a dump in it keeps each article's named graph (else: the union)."""
        return self.kind is Kind.DATASET


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        ".srj",
        Kind.SOLUTIONS,
        ox.QueryResultsFormat.JSON,
        aliases=("srj", "application/json"),
        w3c="SPARQL_Results_JSON",
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        ".srx",
        Kind.SOLUTIONS,
        ox.QueryResultsFormat.XML,
        aliases=("srx",),
        w3c="SPARQL_Results_XML",
    ),
    Format(
        "csv",
        "text/csv",
        ".csv",
        Kind.SOLUTIONS,
        ox.QueryResultsFormat.CSV,
        w3c="SPARQL_Results_CSV",
    ),
    Format(
        "tsv",
        "text/tab-separated-values",
        ".tsv",
        Kind.SOLUTIONS,
        ox.QueryResultsFormat.TSV,
        w3c="SPARQL_Results_TSV",
    ),
    Format(
        "nquads",
        "application/n-quads",
        ".nq",
        Kind.DATASET,
        ox.RdfFormat.N_QUADS,
        "nquads",
        aliases=("nq",),
        dump=True,
        w3c="N-Quads",
    ),
    Format(
        "trig",
        "application/trig",
        ".trig",
        Kind.DATASET,
        ox.RdfFormat.TRIG,
        "trig",
        dump=True,
        w3c="TriG",
    ),
    Format(
        "turtle",
        "text/turtle",
        ".ttl",
        Kind.GRAPH,
        ox.RdfFormat.TURTLE,
        "turtle",
        aliases=("ttl",),
        dump=True,
        w3c="Turtle",
    ),
    Format(
        "ntriples",
        "application/n-triples",
        ".nt",
        Kind.GRAPH,
        ox.RdfFormat.N_TRIPLES,
        "nt",
        aliases=("nt",),
        dump=True,
        w3c="N-Triples",
    ),
    Format(
        "jsonld",
        "application/ld+json",
        ".jsonld",
        Kind.GRAPH,
        ox.RdfFormat.JSON_LD,
        "json-ld",
        aliases=("json-ld", "application/json", "json"),  # a graph's JSON is JSON-LD
        w3c="JSON-LD",
    ),
    Format(
        "rdfxml",
        "application/rdf+xml",
        ".rdf",
        Kind.GRAPH,
        ox.RdfFormat.RDF_XML,
        "xml",
        aliases=("rdf", "xml-rdf", "xml"),  # format=xml of a graph, as SPARQLWrapper asks
        w3c="RDF_XML",
    ),
    Format("html", "text/html", ".html", Kind.PAGE, None),
)

HTML = next(f for f in FORMATS if f.kind is Kind.PAGE)


def of_kind(*kinds: Kind) -> list[Format]:
    return [f for f in FORMATS if f.kind in kinds]


def table(formats: list[Format]) -> dict[str, Format]:
    """Formats by name, in the order of the table (the first is the default)."""
    return {f.name: f for f in formats}


def by_name(name: str) -> Format | None:
    """A format by its name, an alias or its media type."""
    return next((f for f in FORMATS if name in (f.name, f.media_type, *f.aliases)), None)


def by_suffix(suffix: str, formats: list[Format] | tuple[Format, ...] = FORMATS) -> Format | None:
    return next((f for f in formats if f.suffix == suffix), None)


SOLUTION_FORMATS = table(of_kind(Kind.SOLUTIONS))
GRAPH_FORMATS = table(of_kind(Kind.GRAPH))
RESULT_FORMATS = table(of_kind(Kind.SOLUTIONS, Kind.GRAPH))
DUMP_FORMATS = table([f for f in FORMATS if f.dump])  # named graphs kept first
