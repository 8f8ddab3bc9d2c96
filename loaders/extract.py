"""From articles to what they state: the extraction pipeline.

Each article is cut into units (headline, paragraphs; boilerplate left out),
the units of a batch of articles are parsed together with ``nlp.pipe``, and
the rule families run over each article in order: mentions, offices and
memberships, events, statements, topics.
"""

from __future__ import annotations

from collections.abc import Iterator

from communique.loaders.lexicon.gazetteer import Gazetteer, load_gazetteer
from communique.loaders.model import Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.nlp.pipeline import load_pipeline
from communique.loaders.nlp.text import Unit, split_units
from communique.loaders.read.article import Article
from communique.loaders.rules.arguments import ArticleState
from communique.loaders.rules.events import find_events
from communique.loaders.rules.mentions import find_mentions
from communique.loaders.rules.positions import (
    find_counterparts,
    find_holdings,
    find_memberships,
    find_title_mentions,
)
from communique.loaders.rules.statements import find_statements
from communique.loaders.rules.topics import topics_in

BATCH_SIZE = 64  # units (paragraphs) per nlp.pipe batch
# The model reads "it’s" as "it" + an unknown word, and "’s" gets no lemma; with the
# straight apostrophe it is "be". One character for one: offsets do not move.
STRAIGHT_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def extract_articles(articles: list[Article], model: str) -> Iterator[Extraction]:
    """Parse the articles' units in one ``nlp.pipe`` stream and extract each article."""
    nlp = load_pipeline(model)
    gazetteer = load_gazetteer()
    units = [split_units(a.body, a.headline) for a in articles]
    texts = (
        a.body[u.start : u.end].translate(STRAIGHT_APOSTROPHES)
        for a, article_units in zip(articles, units, strict=True)
        for u in article_units
    )
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
    for article, article_units in zip(articles, units, strict=True):
        parsed = [
            ParsedUnit(unit, next(docs), text=article.body[unit.start : unit.end])
            for unit in article_units
        ]
        yield extract_article(article, parsed, gazetteer)


def extract_article(article: Article, parsed: list[ParsedUnit], gazetteer: Gazetteer) -> Extraction:
    extraction = Extraction()
    find_mentions(parsed, gazetteer, extraction)
    state = ArticleState(parsed, extraction)
    find_holdings(state, gazetteer)
    find_counterparts(state)
    find_title_mentions(state, gazetteer)
    find_memberships(state)
    find_events(state, article.published)
    find_statements(state)
    extraction.nationalities = dict(state.nationality)
    extraction.topics = _article_topics(article, extraction)
    return extraction


def _article_topics(article: Article, extraction: Extraction) -> list[str]:
    topics = topics_in(article.headline)
    for fact in (*extraction.events, *extraction.statements):
        topics.extend(t for t in fact.topics if t not in topics)
    return topics


__all__ = ["Unit", "extract_article", "extract_articles"]
