"""What the endpoint and the dataset are: SPARQL 1.1 Service Description (served
at ``GET /sparql``) and VoID (at ``/.well-known/void``)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from communique.formats import GRAPH_FORMATS, HTML
from communique.formats import RESULT_FORMATS as RESULTS
from communique.server import context
from communique.server.dumps import dump_files
from communique.server.http import add_cors, negotiate, not_modified, validators
from communique.settings import Settings

blueprint = Blueprint("description", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = tuple(f.w3c for f in RESULTS.values() if f.w3c)
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
    "entities": "SELECT ?base (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
    "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?base)) } GROUP BY ?base",
}
CLASSES = "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY ?c"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"


def void_figures() -> dict[str, int]:
    """The dataset's VoID figures, each from one COUNT query over the union graph."""
    base = {"base": ox.Literal(context.store().iris.base)}
    names = list(VOID_FIGURES)
    answers = context.select_many(
        [(VOID_FIGURES[name], base if "?base" in VOID_FIGURES[name] else None) for name in names]
    )
    return {
        name: int(rows[0]["n"]) if rows else 0 for name, rows in zip(names, answers, strict=True)
    }


def void_description(root: str, dump_names: list[str]) -> Graph:
    """The VoID description of the whole dataset, with figures from the store."""
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = URIRef(root + ".well-known/void#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("communique diplomacy knowledge graph", lang="en")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(root + "sparql")))
    store = context.store()
    graph.add((dataset, VOID.uriSpace, Literal(store.iris.base)))
    graph.add((dataset, VOID.vocabulary, URIRef("https://w3id.org/communique/ontology#")))
    graph.add((dataset, DCTERMS.license, LICENSE))
    for name in dump_names:
        graph.add((dataset, VOID.dataDump, URIRef(root + "dumps/" + name)))
    modified = store.state().get("last_modified")
    if modified:
        graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for name, value in void_figures().items():
        graph.add((dataset, VOID[name], Literal(value, datatype=XSD.integer)))
    _partitions(graph, dataset)
    return graph


def _partitions(graph: Graph, dataset: URIRef) -> None:
    classes, properties = context.select_many([(CLASSES, None), (PROPERTIES, None)])
    for row in classes:
        part = BNode()
        graph.add((dataset, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(row["c"])))
        graph.add((part, VOID.entities, Literal(int(row["n"]), datatype=XSD.integer)))
    for row in properties:
        part = BNode()
        graph.add((dataset, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(row["p"])))
        graph.add((part, VOID.triples, Literal(int(row["n"]), datatype=XSD.integer)))


@blueprint.route("/.well-known/void")
def void() -> Response:
    """VoID, recomputed after each change of the store (cached per generation)."""
    fmt = negotiate(GRAPH_FORMATS)  # a browser gets the Turtle on a page
    store = context.store()
    store.refresh()
    etag, last_modified = validators("void", fmt.name, request.url_root)
    cached = not_modified(etag, last_modified)
    if cached is not None:
        return add_cors(cached)
    cache = current_app.extensions.setdefault("communique_void", {})
    key = (store.state().get("generation"), request.url_root)
    if key not in cache:
        cache.clear()
        cache[key] = void_description(request.url_root, [name for name, _f, _gz in dump_files()])
    if fmt is HTML:
        page = render_template("void.html", turtle=cache[key].serialize(format="turtle"))
        response = Response(page, mimetype="text/html")
    else:
        response = Response(cache[key].serialize(format=fmt.rdflib), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = last_modified
    return add_cors(response)
