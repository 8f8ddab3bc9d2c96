"""Each SHACL shape accepts a conforming graph and rejects a violating one
with its own message."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph

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


@pytest.mark.parametrize("case", sorted(MENTION_CASES))
def test_the_python_mention_check_rejects_what_the_mention_shape_rejects(case: str) -> None:
    from communique.validation.batch import mentions_conform

    broken = graph_with(*MENTION_CASES[case])
    assert any("ention" in v.message for v in validate_graph(broken))  # the shape's verdict
    assert not mentions_conform(broken)


@pytest.mark.parametrize(
    "change",
    [
        (":m1 dip:end 25 .", ":m1 dip:end 25.0 ."),
        (":m1 dip:start 17 .", ':m1 dip:start "x"^^xsd:integer .'),
    ],
)
def test_the_python_mention_check_refuses_offsets_that_are_not_integers(
    change: tuple[str, str],
) -> None:
    from communique.validation.batch import mentions_conform

    assert not mentions_conform(graph_with(*change))


def test_the_python_mention_check_accepts_the_conforming_example() -> None:
    from communique.validation.batch import batch_shapes_graph, mentions_conform

    assert mentions_conform(graph_with())
    shapes = {str(s) for s in batch_shapes_graph().subjects()}
    assert "https://w3id.org/communique/shapes#MentionShape" not in shapes
    assert "https://w3id.org/communique/shapes#ArticleShape" in shapes


def test_the_python_event_class_check_rejects_what_the_event_shape_rejects() -> None:
    from communique.validation.batch import batch_shapes_graph, events_typed
    from communique.validation.shapes import CORE_SHAPES, shapes_graph

    remove, add, message = CASES["event typed only dip:Event"]
    broken = graph_with(remove, add)
    assert any(message in v.message for v in validate_graph(broken))  # the shape's verdict
    assert not events_typed(broken)
    assert events_typed(graph_with())
    # the batch shapes leave the class constraint to the Python check, and only it
    kept, core = batch_shapes_graph(), shapes_graph(CORE_SHAPES)
    assert (None, SH.path, RDF.type) in core and (None, SH.path, RDF.type) not in kept
    mention_properties = 4
    links_to_mentions = 2  # an actor's dip:mentionedAs, a fact's dip:evidence: Python checks
    assert len(set(kept.subjects(SH.path))) == len(set(core.subjects(SH.path))) - (
        mention_properties + 1 + links_to_mentions
    )


def test_the_batch_shapes_check_each_property_for_all_targets_at_once() -> None:
    """Every property shape of the batch shapes carries its node shape's targets
    (pyshacl then checks it once for all focus nodes, not once per node); the
    verdicts are the full shapes' (test_the_batch_check_finds_what_the_shapes_find)."""
    from communique.validation.batch import batch_shapes_graph

    kept = batch_shapes_graph()
    assert not set(kept.objects(None, SH.property))
    article_properties = {
        kept.value(p, SH.path) for p in kept.subjects(SH.targetClass, DIP.Article)
    } - {None}
    assert len(article_properties) == 6


def test_only_a_shape_that_can_read_any_predicate_sees_the_whole_batch() -> None:
    from communique.validation.batch import batch_shapes_graph, visible_predicates

    visible = visible_predicates(batch_shapes_graph())
    assert visible is not None
    assert {RDF.type, RDFS.label} <= visible and DIP.text not in visible
    closed = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . [] sh:closed true .", format="turtle"
    )
    assert visible_predicates(closed) is None
