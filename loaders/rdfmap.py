"""From an article and what was extracted from it to RDF under the ontology.

Two graphs come out: the article's facts (its own named graph) and the
shared descriptions of the actors it mentions (merged into the entities
graph by the store). Every event, statement, holding and membership carries
``prov:wasDerivedFrom`` the article, ``dip:evidence`` the sentence that
states it, and ``dip:confidence``.
"""

from __future__ import annotations

import functools
import itertools
from datetime import date, datetime
from decimal import Decimal

from rdflib import OWL, Graph, Literal, URIRef
from rdflib.term import Node

from communique.loaders.copies import similarity_keys
from communique.loaders.fact_labels import holding_label, membership_label, statement_label
from communique.loaders.lexicon.gazetteer import load_gazetteer
from communique.loaders.model import (
    COUNTRY,
    ORGANIZATION,
    PERSON,
    PLACE,
    Actor,
    Event,
    Extraction,
    Holding,
    Membership,
    Span,
    Statement,
)
from communique.loaders.read.article import Article
from communique.rdf import ArticleWrite, Triples
from communique.resources import ontology_turtle
from communique.vocab import DCT, DIP, GEO, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, Iris

# The terms of a mention, made once: an article has hundreds of mentions, and
# rdflib builds a new URIRef on every namespace attribute access.
RDF_TYPE, MENTION = RDF.type, DIP.Mention
IN_ARTICLE, START, END, TEXT = DIP.inArticle, DIP.start, DIP.end, DIP.text


def _decimal(probability: float) -> Literal:
    """A confidence as an xsd:decimal of two places (one literal per value: a hundred
    values recur on every mention and fact)."""
    return _two_places(round(probability, 2))


@functools.lru_cache(maxsize=128)
def _two_places(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


@functools.lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    """An xsd:integer literal; offsets repeat from article to article."""
    return Literal(value)


class _ArticleGraph:
    """Builds one article's two graphs; knows the article's IRIs."""

    def __init__(self, article: Article, extraction: Extraction, iris: Iris) -> None:
        self.article = article
        self.extraction = extraction
        self.iris = iris
        self.article_iri = iris.article(article.identifier)
        self.facts = Triples()
        self.entities = Triples()
        self.actor_iris = {aid: actor_iri(actor, iris) for aid, actor in extraction.actors.items()}
        self.mentions: dict[Span, URIRef] = {}

    def fact(self, *triple: Node) -> None:
        self.facts.add(triple)  # type: ignore[arg-type]

    def mention(self, span: Span) -> URIRef:
        """The span's mention node, described once however many facts cite it."""
        node = self.mentions.get(span)
        if node is None:
            node = self.mentions[span] = self.iris.mention(
                self.article.identifier, span.start, span.end
            )
            self.fact(node, RDF_TYPE, MENTION)
            self.fact(node, IN_ARTICLE, self.article_iri)
            self.fact(node, START, _integer(span.start))
            self.fact(node, END, _integer(span.end))
            self.fact(node, TEXT, Literal(span.text))
        return node

    def provenance(self, node: URIRef, evidence: list[Span], confidence: float) -> None:
        self.fact(node, PROV.wasDerivedFrom, self.article_iri)
        for span in evidence:
            self.fact(node, DIP.evidence, self.mention(span))
        self.fact(node, DIP.confidence, _decimal(confidence))


def article_write(
    article: Article, extraction: Extraction, iris: Iris, replaces: tuple[str, ...] = ()
) -> ArticleWrite:
    built = _ArticleGraph(article, extraction, iris)
    _describe_article(built)
    described = {a.key for a in extraction.actors.values() if a.kind == COUNTRY}
    for actor_id, actor in extraction.actors.items():
        _describe_actor(built.entities, built.actor_iris[actor_id], actor, iris, described)
    for actor_id, span in extraction.mentions:
        mention = built.mention(span)
        built.fact(built.actor_iris[actor_id], DIP.mentionedAs, mention)
        if actor_id in extraction.actor_confidence:
            built.fact(mention, DIP.confidence, _decimal(extraction.actor_confidence[actor_id]))
    for person_id, country in extraction.nationalities.items():
        built.fact(built.actor_iris[person_id], DIP.nationality, iris.country(country))
    for n, holding in enumerate(extraction.holdings, start=1):
        _describe_holding(built, iris.fact("holding", article.identifier, n), holding)
    for n, membership in enumerate(extraction.memberships, start=1):
        _describe_membership(built, iris.fact("membership", article.identifier, n), membership)
    event_iris = {
        id(event): iris.event(article.identifier, n)
        for n, event in enumerate(extraction.events, start=1)
    }
    for event in extraction.events:
        _describe_event(built, event_iris[id(event)], event)
        if event.about_event is not None and id(event.about_event) in event_iris:
            built.fact(event_iris[id(event)], SCHEMA.about, event_iris[id(event.about_event)])
    for n, statement in enumerate(extraction.statements, start=1):
        _describe_statement(built, iris.fact("statement", article.identifier, n), statement)
    return ArticleWrite(built.article_iri, built.facts, built.entities, replaces)


def actor_iri(actor: Actor, iris: Iris) -> URIRef:
    if actor.kind == COUNTRY:
        return iris.country(actor.key)
    if actor.kind == PERSON:
        return iris.person(actor.key)
    if actor.kind == ORGANIZATION:
        return iris.org(actor.key)
    return iris.place(actor.key)


def _describe_article(built: _ArticleGraph) -> None:
    iri, article = built.article_iri, built.article
    built.fact(iri, RDF.type, DIP.Article)
    built.fact(iri, SCHEMA.headline, Literal(article.headline))
    built.fact(iri, SCHEMA.articleBody, Literal(article.body))
    built.fact(iri, DCT.identifier, Literal(article.identifier))
    if article.source_id:
        built.fact(iri, SCHEMA.identifier, Literal(article.source_id))
    if article.published is not None:
        built.fact(iri, SCHEMA.datePublished, _published(article.published))
    if article.publisher:
        built.fact(iri, SCHEMA.publisher, Literal(article.publisher))
    if article.author:
        built.fact(iri, SCHEMA.author, Literal(article.author))
    if article.source_file:
        built.fact(iri, DIP.sourceFile, Literal(article.source_file))
    if article.source_root:
        built.fact(iri, DIP.sourceRoot, Literal(article.source_root))
    if article.url:
        built.fact(iri, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI))
    for topic in built.extraction.topics:
        built.fact(iri, DIP.topic, DIP[topic])
    for key in similarity_keys(article.body):
        built.fact(iri, DIP.similarityKey, Literal(key))


def copy_triples(
    article_iri: str, copy: Article, resemblance: float, iris: Iris
) -> tuple[str, Triples]:
    """A copy of a stored article's story, as one of its sources: the copy's own
    address, headline, publisher, date and content hash (for the article's graph)."""
    node = iris.copy(copy.identifier)
    article = URIRef(article_iri)
    graph = Triples()
    graph.add((article, DIP.copy, node))
    graph.add((article, PROV.wasDerivedFrom, node))
    graph.add((node, RDF.type, DIP.ArticleCopy))
    graph.add((node, DCT.identifier, Literal(copy.identifier)))
    graph.add((node, DIP.resemblance, _decimal(resemblance)))
    if copy.headline:
        graph.add((node, SCHEMA.headline, Literal(copy.headline)))
    if copy.source_id:
        graph.add((node, SCHEMA.identifier, Literal(copy.source_id)))
    if copy.url:
        graph.add((node, SCHEMA.url, Literal(copy.url, datatype=XSD.anyURI)))
    if copy.publisher:
        graph.add((node, SCHEMA.publisher, Literal(copy.publisher)))
    if copy.published is not None:
        graph.add((node, SCHEMA.datePublished, _published(copy.published)))
    return str(node), graph


def _published(day: date | datetime) -> Literal:
    datatype = XSD.dateTime if isinstance(day, datetime) else XSD.date
    return Literal(day.isoformat(), datatype=datatype)


def _describe_actor(
    graph: Triples, iri: URIRef, actor: Actor, iris: Iris, countries: set[str]
) -> None:
    """Labels, types and links; a link to a country only when the article names it,
    so that every country the graph points at is described and mentioned."""
    graph.add((iri, RDF.type, DIP[actor.dip_class]))
    graph.add((iri, RDFS.label, Literal(actor.label, lang="en")))
    for alt in sorted(actor.alt_labels - {actor.label}):
        graph.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
    if actor.wikidata:
        graph.add((iri, OWL.sameAs, WD[actor.wikidata]))
    if actor.country_code:
        graph.add((iri, DIP.countryCode, Literal(actor.country_code)))
    if actor.located_in in countries:
        graph.add((iri, DIP.locatedIn, iris.country(actor.located_in)))  # type: ignore[arg-type]
    _describe_point(graph, iri, actor)
    if actor.home_country in countries:
        graph.add((iri, DIP.country, iris.country(actor.home_country)))  # type: ignore[arg-type]


def _describe_point(graph: Triples, iri: URIRef, actor: Actor) -> None:
    """A town's latitude and longitude, when the gazetteer knows a town of that
    name in the country the place is located in."""
    if actor.kind != PLACE or actor.located_in is None:
        return
    point = load_gazetteer().place_point(actor.label, actor.located_in)
    if point is not None:
        graph.add((iri, GEO.lat, _coordinate(point[0])))
        graph.add((iri, GEO.long, _coordinate(point[1])))


def _coordinate(degrees: float) -> Literal:
    """Degrees to four places (about 10 m), as geonames gives them."""
    return Literal(Decimal(f"{degrees:.4f}"), datatype=XSD.decimal)


def _describe_holding(built: _ArticleGraph, node: URIRef, holding: Holding) -> None:
    built.fact(node, RDF.type, DIP.PositionHolding)
    built.fact(node, DIP.holder, built.actor_iris[holding.holder])
    built.fact(node, DIP.role, DIP[holding.role])
    built.fact(node, DIP.roleTitle, Literal(holding.title))
    built.fact(node, RDFS.label, Literal(holding_label(holding, built.extraction), lang="en"))
    if holding.in_actor:
        built.fact(node, DIP.inActor, built.actor_iris[holding.in_actor])
    built.provenance(node, [holding.evidence], holding.confidence)


def _describe_membership(built: _ArticleGraph, node: URIRef, membership: Membership) -> None:
    member = built.actor_iris[membership.member]
    organization = built.actor_iris[membership.organization]
    built.fact(node, RDF.type, DIP.Membership)
    built.fact(node, DIP.member, member)
    built.fact(node, DIP.organization, organization)
    label = membership_label(membership, built.extraction)
    built.fact(node, RDFS.label, Literal(label, lang="en"))
    built.fact(member, DIP.memberOf, organization)
    built.provenance(node, [membership.evidence], membership.confidence)


def _describe_event(built: _ArticleGraph, node: URIRef, event: Event) -> None:
    plover, cameo = event_codes().get(event.dip_class, (None, None))
    built.fact(node, RDF.type, DIP[event.dip_class])
    built.fact(node, RDFS.label, Literal(event.label, lang="en"))
    built.fact(node, DIP.status, DIP[event.status])
    if plover:
        built.fact(node, DIP.ploverType, Literal(plover))
    if cameo:
        built.fact(node, DIP.cameoCode, Literal(cameo))
    for actor in event.all_actors():
        built.fact(node, DIP.participant, built.actor_iris[actor])
    for actor in event.initiators:
        built.fact(node, DIP.initiator, built.actor_iris[actor])
    for actor in event.recipients:
        built.fact(node, DIP.recipient, built.actor_iris[actor])
    _describe_countries(built, node, event)
    for place in (event.location, *event.other_locations):
        if place:
            built.fact(node, DIP.location, built.actor_iris[place])
    _describe_time(built, node, event.date, event.date_text)
    _describe_place_in_time(built, node, event)
    for topic in event.topics:
        built.fact(node, DIP.topic, DIP[topic])
    if event.weapon:
        _describe_weapon(built, node, event.weapon, event.weapon_origin)
    built.provenance(node, [event.evidence, *event.extra_evidence], event.confidence)


def _describe_countries(built: _ArticleGraph, node: URIRef, event: Event) -> None:
    """The countries the event stands for, those of its initiators, and each
    pair of them (its dyads)."""
    countries = sorted(_countries_of(built, event.all_actors()), key=str)
    for country in countries:
        built.fact(node, DIP.involvesCountry, country)
    for first, second in itertools.combinations(countries, 2):
        built.fact(node, DIP.dyad, built.iris.dyad(str(first), str(second)))
    for country in _countries_of(built, event.initiators):
        built.fact(node, DIP.initiatorCountry, country)


def _countries_of(built: _ArticleGraph, actors: list[str]) -> set[URIRef]:
    """The countries these actors stand for, as this article says: a country
    itself, the country a person holds an office in, or the person's nationality.
    Written on the event, so that a country's events are found by one index
    lookup (the views and the summaries read it)."""
    extraction = built.extraction
    found = set()
    for actor_id in actors:
        if extraction.actors[actor_id].kind == COUNTRY:
            found.add(built.actor_iris[actor_id])
        for holding in extraction.holdings:
            held_in = holding.in_actor
            if (
                holding.holder == actor_id
                and held_in
                and extraction.actors[held_in].kind == COUNTRY
            ):
                found.add(built.actor_iris[held_in])
        if actor_id in extraction.nationalities:
            found.add(built.iris.country(extraction.nationalities[actor_id]))
    return found


def event_month(when: tuple[str, str] | None, published: date | None) -> str | None:
    """The month an event is placed in: its own, when its date gives one; else its
    article's, unless the event's date names another year ("in 2003" in a 2007
    article is not placed in 2007). The summaries' SPARQL says the same
    (``store.summaries.MONTH_TEXT``); a test holds them together."""
    if when is not None and when[1] in ("date", "dateTime", "gYearMonth"):
        return when[0][:7]
    if published is not None and (when is None or when[0][:4] == published.isoformat()[:4]):
        return published.isoformat()[:7]
    return None


def _describe_time(
    built: _ArticleGraph, node: URIRef, when: tuple[str, str] | None, text: str | None
) -> None:
    if when is not None:
        built.fact(node, DIP.date, Literal(when[0], datatype=XSD[when[1]]))
    if text:
        built.fact(node, DIP.dateText, Literal(text))


def _describe_place_in_time(built: _ArticleGraph, node: URIRef, event: Event) -> None:
    """The event's month (``event_month``): what listings order and page by."""
    month = event_month(event.date, built.article.published)
    if month is not None:
        built.fact(node, DIP.placedIn, Literal(month, datatype=XSD.gYearMonth))


def _describe_weapon(built: _ArticleGraph, event: URIRef, weapon: str, made_in: str | None) -> None:
    node = built.iris.weapon(weapon)
    built.fact(event, SCHEMA.object, node)
    built.entities.add((node, RDF.type, DIP.Weapon))
    built.entities.add((node, RDFS.label, Literal(weapon, lang="en")))
    maker = built.actor_iris.get(f"{COUNTRY}:{made_in}") if made_in else None
    if maker is not None:  # "Russian-made": said in this article, so stated here
        built.fact(node, DIP.madeIn, maker)


def _describe_statement(built: _ArticleGraph, node: URIRef, statement: Statement) -> None:
    built.fact(node, RDF.type, DIP.Statement)
    built.fact(node, DIP.speaker, built.actor_iris[statement.speaker])
    label = statement_label(statement, built.extraction)
    built.fact(node, RDFS.label, Literal(label, lang="en"))
    if statement.quote:
        built.fact(node, DIP.quote, Literal(statement.quote))
    if statement.content:
        built.fact(node, DIP.content, Literal(statement.content))
    if statement.recipient:
        built.fact(node, DIP.recipient, built.actor_iris[statement.recipient])
    _describe_time(built, node, statement.date, statement.date_text)
    for topic in statement.topics:
        built.fact(node, DIP.topic, DIP[topic])
    for actor in statement.about:
        built.fact(node, SCHEMA.about, built.actor_iris[actor])
    built.provenance(node, [statement.evidence], statement.confidence)


@functools.cache
def event_codes() -> dict[str, tuple[str | None, str | None]]:
    """Event class local name -> (PLOVER type, CAMEO code), from the ontology."""
    graph = Graph().parse(data=ontology_turtle(), format="turtle")
    codes = {}
    for cls in set(graph.subjects(DIP.classPloverType, None)):
        plover = graph.value(cls, DIP.classPloverType)
        cameo = graph.value(cls, DIP.classCameoCode)
        codes[str(cls).removeprefix(str(DIP))] = (
            str(plover) if plover else None,
            str(cameo) if cameo else None,
        )
    return codes
