"""The ontology parses, documents every term, and declares every term we use."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from communique.loaders.lexicon.gazetteer import load_gazetteer
from communique.loaders.model import COUNTRY, ORGANIZATION, PERSON, PLACE
from communique.resources import ontology_turtle
from communique.vocab import DIP, QB, SKOS
from tests.helpers import REPO, SHARED

DECLARING_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
    QB.DataSet,
)


def ontology() -> Graph:
    return Graph().parse(data=ontology_turtle(), format="turtle")


def declared_terms(graph: Graph) -> set[str]:
    return {
        str(s)
        for t in DECLARING_TYPES
        for s in graph.subjects(RDF.type, t)
        if str(s).startswith(str(DIP))
    }


def local(term: str) -> str:
    return term.removeprefix(str(DIP))


def test_ontology_parses_with_a_versioned_licensed_header() -> None:
    graph = ontology()
    header = URIRef("https://w3id.org/communique/ontology")
    assert (header, RDF.type, OWL.Ontology) in graph
    assert graph.value(header, OWL.versionInfo) is not None
    assert graph.value(header, URIRef("http://purl.org/dc/terms/license")) is not None


def test_every_declared_term_has_an_english_label_and_a_comment() -> None:
    graph = ontology()
    terms = declared_terms(graph)
    assert len(terms) > 80
    missing = [
        local(t)
        for t in terms
        if graph.value(URIRef(t), RDFS.label) is None
        or graph.value(URIRef(t), RDFS.comment) is None
    ]
    assert missing == []


def used_in_source() -> set[str]:
    """dip: terms named in the code, the shapes and the gazetteer data."""
    used: set[str] = set()
    for folder in ("communique", "loaders", "server", "shapes"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in {".py", ".ttl", ".html"}:
                text = path.read_text(encoding="utf-8")
                used |= set(re.findall(r"\bdip:([A-Za-z][A-Za-z0-9]*)", text))
                used |= set(re.findall(r"\bDIP\.([A-Za-z][A-Za-z0-9]*)", text))
    used |= {PERSON, COUNTRY, ORGANIZATION, PLACE}  # classes named through DIP[...]
    used |= {e.org_class for e in load_gazetteer().entries.values() if e.org_class}
    return used


def test_every_dip_term_used_by_code_or_shapes_is_declared() -> None:
    declared = {local(t) for t in declared_terms(ontology())}
    assert sorted(used_in_source() - declared) == []


def test_every_term_of_the_contract_is_declared() -> None:
    contract = (SHARED / "design" / "ONTOLOGY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bdip:([A-Za-z][A-Za-z0-9]*)", contract))
    declared = {local(t) for t in declared_terms(ontology())}
    assert sorted(named - declared) == []


def test_event_classes_carry_plover_and_cameo_codes() -> None:
    graph = ontology()
    events = {s for s in graph.transitive_subjects(RDFS.subClassOf, DIP.Event)} - {DIP.Event}
    assert len(events) >= 20
    for event_class in events:
        assert graph.value(event_class, DIP.classPloverType) is not None, event_class
        assert graph.value(event_class, DIP.classCameoCode) is not None, event_class


def test_core_classes_align_with_w3c_and_schema_vocabularies() -> None:
    graph = ontology()
    assert (DIP.Person, RDFS.subClassOf, URIRef("https://schema.org/Person")) in graph
    assert (DIP.Article, RDFS.subClassOf, URIRef("https://schema.org/NewsArticle")) in graph
    assert (DIP.PositionHolding, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Post")) in graph
    assert (DIP.Role, RDFS.subClassOf, SKOS.Concept) in graph


def test_ontology_file_is_shipped_as_package_data() -> None:
    assert Path(REPO / "ontology" / "communique.ttl").read_bytes() == ontology_turtle()
