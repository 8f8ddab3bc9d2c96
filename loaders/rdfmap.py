"""From an article and what was extracted from it to RDF under the ontology.

Two graphs come out: the article's facts (its own named graph) and the
shared descriptions of the actors it mentions (merged into the entities
graph by the store).
"""

from __future__ import annotations

from datetime import datetime

from communique.loaders.article import Article
from communique.loaders.model import COUNTRY, ORGANIZATION, PERSON, Actor, Extraction
from rdflib import OWL, Graph, Literal, URIRef

from communique.store import ArticleWrite
from communique.vocab import DCT, DIP, RDF, RDFS, SCHEMA, SKOS, WD, XSD, Iris


def article_write(article: Article, extraction: Extraction, iris: Iris,
                  replaces: tuple[str, ...] = ()) -> ArticleWrite:
    article_iri = iris.article(article.identifier)
    facts = Graph()
    entities = Graph()
    _describe_article(facts, article_iri, article)
    actor_iris = {actor_id: actor_iri(actor, iris)
                  for actor_id, actor in extraction.actors.items()}
    for actor_id, actor in extraction.actors.items():
        _describe_actor(entities, actor_iris[actor_id], actor, iris)
    for actor_id, span in extraction.mentions:
        mention = iris.mention(article.identifier, span.start, span.end)
        facts.add((actor_iris[actor_id], DIP.mentionedAs, mention))
        _describe_mention(facts, mention, article_iri, span.start, span.end, span.text)
    return ArticleWrite(article_iri, facts, entities, replaces)


def actor_iri(actor: Actor, iris: Iris) -> URIRef:
    if actor.kind == COUNTRY:
        return iris.country(actor.key)
    if actor.kind == PERSON:
        return iris.person(actor.key)
    if actor.kind == ORGANIZATION:
        return iris.org(actor.key)
    return iris.place(actor.key)


def _describe_article(graph: Graph, iri: URIRef, article: Article) -> None:
    graph.add((iri, RDF.type, DIP.Article))
    graph.add((iri, SCHEMA.headline, Literal(article.headline)))
    graph.add((iri, SCHEMA.articleBody, Literal(article.body)))
    graph.add((iri, DCT.identifier, Literal(article.identifier)))
    if article.source_id:
        graph.add((iri, SCHEMA.identifier, Literal(article.source_id)))
    if article.published is not None:
        datatype = XSD.dateTime if isinstance(article.published, datetime) else XSD.date
        graph.add((iri, SCHEMA.datePublished,
                   Literal(article.published.isoformat(), datatype=datatype)))
    if article.publisher:
        graph.add((iri, SCHEMA.publisher, Literal(article.publisher)))
    if article.url:
        graph.add((iri, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))


def _describe_mention(graph: Graph, mention: URIRef, article: URIRef,
                      start: int, end: int, text: str) -> None:
    graph.add((mention, RDF.type, DIP.Mention))
    graph.add((mention, DIP.inArticle, article))
    graph.add((mention, DIP.start, Literal(start)))
    graph.add((mention, DIP.end, Literal(end)))
    graph.add((mention, DIP.text, Literal(text)))


def _describe_actor(graph: Graph, iri: URIRef, actor: Actor, iris: Iris) -> None:
    graph.add((iri, RDF.type, DIP[actor.dip_class]))
    graph.add((iri, RDFS.label, Literal(actor.label, lang="en")))
    for alt in sorted(actor.alt_labels - {actor.label}):
        graph.add((iri, SKOS.altLabel, Literal(alt, lang="en")))
    if actor.wikidata:
        graph.add((iri, OWL.sameAs, WD[actor.wikidata]))
    if actor.country_code:
        graph.add((iri, DIP.countryCode, Literal(actor.country_code)))
    if actor.located_in:
        graph.add((iri, DIP.locatedIn, iris.country(actor.located_in)))
