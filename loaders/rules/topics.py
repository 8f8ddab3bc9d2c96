"""Topics (concepts in the scheme dip:Topics) from the words of a sentence.

>>> topics_in("Israel fears Iran's nuclear programme")
['IranNuclearProgramme']
"""

from __future__ import annotations

import functools

from communique.loaders.lexicon.patterns import topic_patterns
from communique.loaders.rules.state import ArticleState

TOPIC_PATTERNS = topic_patterns()  # data/topics.tsv


def find_topics(state: ArticleState) -> None:
    """The article's topics: those of its headline, then those of its events and
    statements, each once; and the nationalities the rules found, for the graph."""
    extraction = state.extraction
    headline = state.article.headline if state.article is not None else ""
    topics = topics_in(headline)
    for fact in (*extraction.events, *extraction.statements):
        topics.extend(t for t in fact.topics if t not in topics)
    extraction.topics = topics
    extraction.nationalities = dict(state.nationality)


def topics_in(text: str) -> list[str]:
    return list(_topics_in(text))


# Every event of a sentence asks about the same sentence: remembered, not searched again
@functools.lru_cache(maxsize=1024)
def _topics_in(text: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in TOPIC_PATTERNS if pattern.search(text))
