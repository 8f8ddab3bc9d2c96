"""What the endpoint and the dataset are: SPARQL 1.1 Service Description and VoID."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from communique.settings import Settings
from communique.store import Store

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def service_description(root: str, settings: Settings) -> Graph:
    """The Service Description of ``<root>sparql``."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    endpoint = URIRef(root + "sparql")
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    for name in RESULT_FORMATS:
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    if settings.allowed_services:
        graph.add((endpoint, SD.feature, SD.BasicFederatedQuery))
    dataset, default = BNode(), BNode()
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add(
        (
            default,
            RDFS.comment,
            Literal(
                "The union of all named graphs: one per article, plus the shared entities and the "
                "ontology.",
                lang="en",
            ),
        )
    )
    graph.add((endpoint, RDFS.seeAlso, URIRef(root + ".well-known/void")))
    graph.add((dataset, RDFS.seeAlso, URIRef(root + ".well-known/void")))
    return graph


def void_description(root: str, store: Store) -> Graph:
    """The VoID description of the whole dataset, with figures from the store."""
    graph = Graph()
    graph.bind("void", VOID)
    dataset = URIRef(root + ".well-known/void#dataset")
    counts = store.counts()
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("communique diplomacy knowledge graph", lang="en")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    graph.add((dataset, VOID.triples, Literal(counts["quads"], datatype=XSD.integer)))
    graph.add((dataset, VOID.uriSpace, Literal(store.iris.base)))
    graph.add((dataset, DCTERMS.license, LICENSE))
    modified = store.state().get("last_modified")
    if modified:
        graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    return graph
