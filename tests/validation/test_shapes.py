"""Each SHACL shape accepts a conforming graph and rejects a violating one
with its own message."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import XSD, Graph, Literal, URIRef

from communique.validation.shapes import SH, validate_graph
from communique.vocab import DIP

PREFIXES = """
@prefix dip: <https://w3id.org/communique/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <http://localhost:8000/id/> .
"""

# One small article with one of every kind of fact; it conforms to every shape.
BODY = "Foreign Minister Ana Ruiz of Chile met Peruvian envoys in Lima."
CONFORMING = (
    PREFIXES
    + f"""
:article\\/a a dip:Article ; schema:headline "Ruiz meets envoys" ;
    schema:articleBody "{BODY}" ;
    dct:identifier "{"a" * 64}" ; schema:identifier "a" ;
    schema:datePublished "2026-01-05"^^xsd:date ; schema:url "https://example.org/a" .
:m1 a dip:Mention ; dip:inArticle :article\\/a ; dip:start 17 ; dip:end 25 ; dip:text "Ana Ruiz" .
:m2 a dip:Mention ; dip:inArticle :article\\/a ; dip:start 29 ; dip:end 34 ; dip:text "Chile" .
:m3 a dip:Mention ; dip:inArticle :article\\/a ; dip:start 39 ; dip:end 47 ; dip:text "Peruvian" .
:m4 a dip:Mention ; dip:inArticle :article\\/a ; dip:start 58 ; dip:end 62 ; dip:text "Lima" .
:sentence a dip:Mention ; dip:inArticle :article\\/a ; dip:start 0 ; dip:end 63 ;
    dip:text "{BODY}" .
:person\\/ana-ruiz a dip:Person ; rdfs:label "Ana Ruiz"@en ; dip:mentionedAs :m1 ;
    dip:nationality :country\\/CL .
:country\\/CL a dip:Country ; rdfs:label "Chile"@en ; dip:countryCode "CL" ;
    owl:sameAs <http://www.wikidata.org/entity/Q298> ; dip:mentionedAs :m2 .
:country\\/PE a dip:Country ; rdfs:label "Peru"@en ; dip:countryCode "PE" ; dip:mentionedAs :m3 .
:place\\/lima a dip:Place ; rdfs:label "Lima"@en ; dip:locatedIn :country\\/PE ;
    dip:mentionedAs :m4 .
:holding a dip:PositionHolding ; dip:holder :person\\/ana-ruiz ; dip:role dip:ForeignMinister ;
    dip:roleTitle "Foreign Minister" ; dip:inActor :country\\/CL ; dip:confidence 0.9 ;
    dip:evidence :sentence ; prov:wasDerivedFrom :article\\/a .
:event a dip:Meeting ; rdfs:label "Ruiz meets envoys"@en ; dip:participant :person\\/ana-ruiz,
    :country\\/PE ; dip:status dip:Occurred ; dip:location :place\\/lima ;
    dip:date "2026-01"^^xsd:gYearMonth ; dip:confidence 0.8 ; dip:evidence :sentence ;
    prov:wasDerivedFrom :article\\/a .
:statement a dip:Statement ; dip:speaker :person\\/ana-ruiz ; dip:content "talks went well" ;
    schema:about :country\\/PE ; dip:confidence 0.7 ; dip:evidence :sentence ;
    prov:wasDerivedFrom :article\\/a .
:membership a dip:Membership ; dip:member :country\\/CL ; dip:organization :org\\/un ;
    dip:evidence :sentence ; prov:wasDerivedFrom :article\\/a .
:org\\/un a dip:InternationalOrganization ; rdfs:label "United Nations"@en ; dip:mentionedAs :m2 .
"""
)


def graph_with(remove: str = "", add: str = "") -> Graph:
    graph = Graph().parse(data=CONFORMING, format="turtle")
    if remove:
        for triple in Graph().parse(data=PREFIXES + remove, format="turtle"):
            graph.remove(triple)
    if add:
        graph.parse(data=PREFIXES + add, format="turtle")
    return graph


def test_the_full_example_conforms() -> None:
    assert validate_graph(graph_with()) == []


CASES = {
    "article without headline": (
        '(:article\\/a) schema:headline "Ruiz meets envoys" .',
        "",
        "exactly one headline",
    ),
    "article with a bad identifier": ("", ':article\\/a dct:identifier "abc" .', "sha256"),
    "article with an untyped date": (
        "",
        ':article\\/a schema:datePublished "last week" .',
        "publication date",
    ),
    "article with a relative url": ("", ':article\\/a schema:url "news/a" .', "url"),
    "mention with a string offset": ("", ':m1 dip:start "17" .', "integer start offset"),
    "mention whose end is before its start": (
        ":m1 dip:end 25 .",
        ":m1 dip:end 10 .",
        "before its end",
    ),
    "mention whose text differs from the body": (
        ':m1 dip:text "Ana Ruiz" .',
        ':m1 dip:text "Ana Ruis" .',
        "does not fit",
    ),
    "mention past the end of the body": (":m4 dip:end 62 .", ":m4 dip:end 99 .", "does not fit"),
    "actor with two labels": (
        "",
        ':country\\/CL rdfs:label "Republic of Chile"@en .',
        "exactly one preferred label",
    ),
    "actor label without language": (
        ':person\\/ana-ruiz rdfs:label "Ana Ruiz"@en .',
        ':person\\/ana-ruiz rdfs:label "Ana Ruiz" .',
        "exactly one preferred label",
    ),
    "actor without mention": (":person\\/ana-ruiz dip:mentionedAs :m1 .", "", "must be mentioned"),
    "actor mentioned by what is not a mention": (
        ":person\\/ana-ruiz dip:mentionedAs :m1 .",
        ":person\\/ana-ruiz dip:mentionedAs :country\\/PE .",
        "must be mentioned",
    ),
    "fact whose evidence is not a mention": (
        "",
        ":event dip:evidence :person\\/ana-ruiz .",
        "needs its evidence",
    ),
    "sameAs outside Wikidata": (
        "",
        ":country\\/CL owl:sameAs <http://example.org/chile> .",
        "Wikidata item",
    ),
    "country without code": (':country\\/PE dip:countryCode "PE" .', "", "ISO 3166"),
    "country with a lower-case code": (
        ':country\\/PE dip:countryCode "PE" .',
        ':country\\/PE dip:countryCode "pe" .',
        "ISO 3166",
    ),
    "place located in a place": (
        "",
        ":place\\/lima dip:locatedIn :place\\/lima .",
        "located in a country",
    ),
    "nationality that is not a country": (
        "",
        ":person\\/ana-ruiz dip:nationality :org\\/un .",
        "nationality must be a country",
    ),
    "holding without holder": (
        ":holding dip:holder :person\\/ana-ruiz .",
        "",
        "exactly one holder",
    ),
    "holding with a role outside the scheme": (
        ":holding dip:role dip:ForeignMinister .",
        ":holding dip:role dip:Meeting .",
        "exactly one role",
    ),
    "fact without provenance": (
        ":event prov:wasDerivedFrom :article\\/a .",
        "",
        "which article it comes from",
    ),
    "fact without evidence": (":statement dip:evidence :sentence .", "", "its evidence"),
    "confidence above one": (
        ":event dip:confidence 0.8 .",
        ":event dip:confidence 1.5 .",
        "between 0 and 1",
    ),
    "event without confidence": (":event dip:confidence 0.8 .", "", "need a confidence"),
    "event typed only dip:Event": (":event a dip:Meeting .", ":event a dip:Event .", "event class"),
    "event without participant": (
        ":event dip:participant :person\\/ana-ruiz, :country\\/PE .",
        "",
        "at least one participant",
    ),
    "event with two statuses": ("", ":event dip:status dip:Planned .", "exactly one status"),
    "event with a status outside the four": (
        ":event dip:status dip:Occurred .",
        ":event dip:status dip:Maybe .",
        "exactly one status",
    ),
    "event with a free-text date": ("", ':event dip:date "soon" .', "xsd:gYear"),
    "event with a date of another datatype": (
        ':event dip:date "2026-01"^^xsd:gYearMonth .',
        ':event dip:date "2026-01-05T10:00:00"^^xsd:dateTime .',
        "xsd:gYear",
    ),
    "event with a date that is no date": (
        ':event dip:date "2026-01"^^xsd:gYearMonth .',
        ':event dip:date "2026-13-45"^^xsd:date .',
        "xsd:gYear",
    ),
    "article published on a day that does not exist": (
        '(:article\\/a) schema:datePublished "2026-01-05"^^xsd:date .',
        ':article\\/a schema:datePublished "2026-02-30"^^xsd:date .',
        "publication date",
    ),
    "event without label": (':event rdfs:label "Ruiz meets envoys"@en .', "", "short name"),
    "statement without speaker": (
        ":statement dip:speaker :person\\/ana-ruiz .",
        "",
        "needs a speaker",
    ),
    "statement about a string": (
        "",
        ':statement schema:about "Peru" .',
        "named by its IRI",
    ),
    "membership of a country": (
        ":membership dip:organization :org\\/un .",
        ":membership dip:organization :country\\/PE .",
        "exactly one organisation",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_violating_graph_is_reported_with_the_shape_message(case: str) -> None:
    remove, add, message = CASES[case]
    remove = remove.replace("(:article\\/a)", ":article\\/a")
    violations = validate_graph(graph_with(remove, add))
    assert violations, f"{case}: expected a violation"
    assert any(message in v.message for v in violations), [str(v) for v in violations]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_batch_check_finds_what_the_shapes_find(case: str) -> None:
    """Regression guard: the load path's batch validation (core shapes plus the offsets
    check in Python) must reject exactly what the full SHACL shapes reject."""
    from communique.validation.batch import validate_batch

    remove, add, _message = CASES[case]
    remove = remove.replace("(:article\\\\/a)", ":article\\\\/a")
    broken = graph_with(remove, add)
    full = validate_graph(broken)
    other = Graph().parse(
        data=CONFORMING.replace(
            "@prefix : <http://localhost:8000/id/>", "@prefix : <http://localhost:8000/other/>"
        ),
        format="turtle",
    )  # another article: no node in common
    batched = validate_batch([other, broken])
    assert batched[0] == []
    assert sorted(str(v) for v in batched[1]) == sorted(str(v) for v in full)


def test_the_offsets_check_agrees_with_the_sparql_shape() -> None:
    from communique.validation.batch import check_offsets

    for case in ("mention whose text differs from the body", "mention past the end of the body"):
        remove, add, _message = CASES[case]
        broken = graph_with(remove, add)
        python = {v.value for v in check_offsets(broken)}
        sparql = {v.value for v in validate_graph(broken) if "does not fit" in v.message}
        assert python == sparql and python
    assert check_offsets(graph_with()) == []


def test_a_batch_sharing_an_actor_labelled_differently_conforms_like_the_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store keeps an actor's first label and makes a later one an altLabel, so
    two articles naming the same place differently are valid together, in the one
    batch call (no per-article fallback); one article giving two labels is refused."""
    from communique.validation import batch as validate

    lima = "<http://localhost:8000/id/place/lima>"
    other = Graph().parse(
        data=CONFORMING.replace(
            "@prefix : <http://localhost:8000/id/>", "@prefix : <http://localhost:8000/other/>"
        )
        .replace(":place\\/lima", lima)
        .replace('"Lima"@en ;', '"Lima, Peru"@en ;'),
        format="turtle",
    )
    twice = graph_with(add=':place\\/lima rdfs:label "Ciudad de Lima"@en .')
    assert any("preferred label" in v.message for v in validate.validate_batch([twice])[0])

    def no_fallback(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the batch call should have been enough")

    monkeypatch.setattr(validate, "validate_graph", no_fallback)
    assert validate.validate_batch([graph_with(), other]) == [[], []]


MENTION_CASES = {
    "no article": (":m1 dip:inArticle :article\\/a .", ""),
    "two articles": ("", ":m1 dip:inArticle :article\\/b ."),
    "an article that is not one": (":m1 dip:inArticle :article\\/a .", ":m1 dip:inArticle :m2 ."),
    "no start": (":m1 dip:start 17 .", ""),
    "two texts": ("", ':m1 dip:text "Ana" .'),
    "a text in a language": (':m1 dip:text "Ana Ruiz" .', ':m1 dip:text "Ana Ruiz"@en .'),
    "a negative start": (":m1 dip:start 17 .", ":m1 dip:start -1 ."),
    "an empty span": (":m1 dip:end 25 .", ":m1 dip:end 17 ."),
}


def compiled_verdict(graph: Graph) -> bool:
    from communique.validation.batch import batch_conforms

    return batch_conforms(graph)


def pyshacl_verdict(graph: Graph) -> bool:
    return validate_graph(graph) == []


@pytest.mark.parametrize("offset", ["25.0", '"x"^^xsd:integer', '"25"^^xsd:decimal'])
def test_offsets_that_are_not_integers_are_reported_not_raised(offset: str) -> None:
    """rdflib's SUBSTR and arithmetic raise a Python error on such offsets; the
    offsets shape leaves them to the core shapes, which say what is wrong."""
    violations = validate_graph(graph_with(":m1 dip:end 25 .", f":m1 dip:end {offset} ."))
    assert any("integer end offset" in v.message for v in violations)


@pytest.mark.parametrize("case", sorted(MENTION_CASES))
def test_the_compiled_shapes_reject_what_the_mention_shape_rejects(case: str) -> None:
    broken = graph_with(*MENTION_CASES[case])
    assert any("ention" in v.message for v in validate_graph(broken))  # the shape's verdict
    assert not compiled_verdict(broken)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_compiled_shapes_reject_every_broken_case(case: str) -> None:
    remove, add, _message = CASES[case]
    broken = graph_with(remove.replace("(:article\\/a)", ":article\\/a"), add)
    assert validate_graph(broken)  # pyshacl's verdict
    assert not compiled_verdict(broken)


@pytest.mark.parametrize(
    "change",
    [
        (":m1 dip:end 25 .", ":m1 dip:end 25.0 ."),
        (":m1 dip:start 17 .", ':m1 dip:start "x"^^xsd:integer .'),
        (":holding dip:confidence 0.9 .", ":holding dip:confidence 1.5 ."),
        (":holding dip:confidence 0.9 .", ':holding dip:confidence "high" .'),
        (":event dip:status dip:Occurred .", ":event dip:status dip:Meeting ."),
        ('(:article\\/a) schema:url "https://example.org/a" .', ""),
    ],
)
def test_the_compiled_shapes_agree_with_pyshacl_on_changed_values(
    change: tuple[str, str],
) -> None:
    remove, add = change
    changed = graph_with(remove.replace("(:article\\/a)", ":article\\/a"), add)
    assert compiled_verdict(changed) == pyshacl_verdict(changed)


def test_the_compiled_shapes_accept_the_conforming_example_and_cover_every_property_shape() -> None:
    from communique.validation.batch import core_shapes
    from communique.validation.shapes import CORE_SHAPES, shapes_graph

    assert compiled_verdict(graph_with())
    shapes, compiled = shapes_graph(CORE_SHAPES), core_shapes()
    assert compiled is not None
    assert len(compiled.checks) == len(set(shapes.objects(None, SH.property)))


UNSUPPORTED = {
    "a closed shape": "dsh:S a sh:NodeShape ; sh:targetClass dip:Article ; sh:closed true .",
    "a SPARQL constraint": (
        "dsh:S a sh:NodeShape ; sh:targetClass dip:Article ; "
        'sh:sparql [ sh:select "SELECT $this WHERE { }" ] .'
    ),
    "a sequence path": (
        "dsh:S a sh:NodeShape ; sh:targetClass dip:Article ; "
        "sh:property [ sh:path ( dip:a dip:b ) ; sh:minCount 1 ] ."
    ),
    "a node target": (
        "dsh:S a sh:NodeShape ; sh:targetNode dip:x ; "
        "sh:property [ sh:path dip:a ; sh:minCount 1 ] ."
    ),
    "a nested node shape": (
        "dsh:S a sh:NodeShape ; sh:targetClass dip:Article ; "
        "sh:property [ sh:path dip:a ; sh:node dsh:T ] ."
    ),
}


@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_a_shape_outside_the_compiled_part_is_refused_by_name(case: str) -> None:
    """Such a shape is never checked loosely: compiling it fails, and the load then
    leaves every batch to pyshacl."""
    from communique.validation.compiled import Unsupported, compile_shapes
    from communique.validation.shapes import ontology_graph

    text = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . "
        "@prefix dsh: <https://w3id.org/communique/shapes#> . "
        "@prefix dip: <https://w3id.org/communique/ontology#> . " + UNSUPPORTED[case]
    )
    with pytest.raises(Unsupported):
        compile_shapes(Graph().parse(data=text, format="turtle"), ontology_graph())


def test_without_compiled_shapes_every_batch_goes_to_pyshacl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from communique.validation import batch

    monkeypatch.setattr(batch, "core_shapes", lambda: None)
    remove, add, _message = CASES["event typed only dip:Event"]
    verdicts = batch.validate_batch([graph_with(), graph_with(remove, add)])
    assert verdicts[0] == [] and verdicts[1]


def _pool() -> tuple[list, list, list]:
    graph = graph_with()
    subjects = sorted(set(graph.subjects()), key=str)
    predicates = sorted(set(graph.predicates()), key=str)
    objects = sorted(set(graph.objects()), key=str)
    odd_values = [
        Literal(-1),
        Literal(2),
        Literal("0.5", datatype=XSD.decimal),
        Literal("x", datatype=XSD.integer),
        Literal("plain"),
        Literal("tagged", lang="fr"),
        Literal("2026-13-40", datatype=XSD.date),
        Literal("2026", datatype=XSD.gYear),
        DIP.Meeting,
        DIP.Event,
        DIP.Occurred,
        DIP.ForeignMinister,
        URIRef("http://www.wikidata.org/entity/Q1"),
    ]
    return subjects, predicates, objects + odd_values


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_compiled_shapes_never_pass_what_pyshacl_refuses(data: st.DataObject) -> None:
    """Graphs made by removing some triples of the conforming example and adding
    others put together from its own terms and odd values: the compiled shapes
    pass a graph exactly when pyshacl's core shapes and the offsets shape do."""
    subjects, predicates, objects = _pool()
    graph = graph_with()
    triples = sorted(graph, key=str)
    for triple in data.draw(st.lists(st.sampled_from(triples), max_size=3)):
        graph.remove(triple)
    added = st.tuples(
        st.sampled_from(subjects), st.sampled_from(predicates), st.sampled_from(objects)
    )
    for triple in data.draw(st.lists(added, max_size=3)):
        graph.add(triple)
    assert compiled_verdict(graph) == pyshacl_verdict(graph)
