"""What the endpoint and the dataset are: SPARQL 1.1 Service Description and VoID."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from communique.settings import Settings
from communique.store.base import Store

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


VOID_FIGURES = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
    "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?base)) }",
}
CLASSES = "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"


def void_figures(store: Store) -> dict[str, int]:
    """The dataset's VoID figures, each from one COUNT query over the union graph."""
    base = f'"{store.iris.base}"'
    return {
        name: int(store.select(query.replace("?base", base))[0]["n"])
        for name, query in VOID_FIGURES.items()
    }


def void_description(root: str, store: Store, dump_names: list[str]) -> Graph:
    """The VoID description of the whole dataset, with figures from the store."""
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = URIRef(root + ".well-known/void#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("communique diplomacy knowledge graph", lang="en")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(store.iris.base)))
    graph.add((dataset, VOID.vocabulary, URIRef("https://w3id.org/communique/ontology#")))
    graph.add((dataset, DCTERMS.license, LICENSE))
    for name in dump_names:
        graph.add((dataset, VOID.dataDump, URIRef(root + "dumps/" + name)))
    modified = store.state().get("last_modified")
    if modified:
        graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for name, value in void_figures(store).items():
        graph.add((dataset, VOID[name], Literal(value, datatype=XSD.integer)))
    _partitions(graph, dataset, store)
    return graph


def _partitions(graph: Graph, dataset: URIRef, store: Store) -> None:
    for row in store.select(CLASSES):
        part = BNode()
        graph.add((dataset, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(row["c"])))
        graph.add((part, VOID.entities, Literal(int(row["n"]), datatype=XSD.integer)))
    for row in store.select(PROPERTIES):
        part = BNode()
        graph.add((dataset, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(row["p"])))
        graph.add((part, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))
