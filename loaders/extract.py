"""From articles to what they state: the extraction pipeline.

Each article is cut into units (headline, paragraphs; boilerplate left out),
the units of a batch of articles are parsed together with ``nlp.pipe``, and
the rule families (``STAGES``) run over each article in order: mentions,
offices and memberships, events, statements, topics. Each takes the article's
state (``rules.state.ArticleState``) and declares what of it it reads and
writes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from communique.loaders.lexicon.gazetteer import Gazetteer, load_gazetteer
from communique.loaders.model import Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.nlp.pipeline import load_pipeline
from communique.loaders.nlp.text import Unit, split_units
from communique.loaders.read.article import Article
from communique.loaders.rules.events import find_events
from communique.loaders.rules.mentions import find_mentions
from communique.loaders.rules.positions import (
    find_counterparts,
    find_holdings,
    find_memberships,
    find_title_mentions,
)
from communique.loaders.rules.state import ArticleState
from communique.loaders.rules.statements import find_statements
from communique.loaders.rules.topics import find_topics
from communique.loaders.scoring.decide import (
    score_actors,
    score_arguments,
    score_events,
    score_ties,
)

BATCH_SIZE = 64  # units (paragraphs) per nlp.pipe batch
# The model reads "it’s" as "it" + an unknown word, and "’s" gets no lemma; with the
# straight apostrophe it is "be". One character for one: offsets do not move.
STRAIGHT_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


def extract_articles(articles: list[Article], model: str) -> Iterator[Extraction]:
    """Parse the articles' units in one ``nlp.pipe`` stream and extract each article."""
    for found in extract_each(articles, model):
        if isinstance(found, ExtractionFailure):
            raise RuntimeError(found.problem)
        yield found


@dataclass(frozen=True)
class ExtractionFailure:
    """Why the rules gave up on one article (the rest of its batch goes on)."""

    problem: str


class _TimeLimit(Exception):
    pass


def extract_each(
    articles: list[Article], model: str, *, time_limit: float = 0
) -> Iterator[Extraction | ExtractionFailure]:
    """As ``extract_articles``, with each article's rules under a guard: a failure
    or a run past ``time_limit`` seconds (0: none) fails that article alone."""
    for article, parsed, gazetteer in _parsed(articles, model):
        yield _guarded_extract(article, parsed, gazetteer, time_limit)


def _guarded_extract(
    article: Article, parsed: list[ParsedUnit], gazetteer: Gazetteer, time_limit: float
) -> Extraction | ExtractionFailure:
    try:
        with _limited(time_limit):
            return extract_article(article, parsed, gazetteer)
    except _TimeLimit:
        return ExtractionFailure(
            f"the extraction rules took longer than {time_limit:g} s on this article "
            "(setting COMMUNIQUE_ARTICLE_TIMEOUT)"
        )
    except Exception as exc:  # a bug the article revealed: reported with it
        return ExtractionFailure(
            f"extraction failed ({type(exc).__name__}: {exc}); this is a bug in "
            "communique, please report it with the article"
        )


@contextlib.contextmanager
def _limited(seconds: float) -> Iterator[None]:
    """Stop the block after ``seconds`` with ``_TimeLimit`` (a timer signal; only in
    a process's main thread, where load and its workers run the rules)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parsed(
    articles: list[Article], model: str
) -> Iterator[tuple[Article, list[ParsedUnit], Gazetteer]]:
    """Each article with its parsed units; every unit of the batch goes through one
    ``nlp.pipe`` (the parse is bounded by the input limit, not by a timer)."""
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
        yield article, parsed, gazetteer


@dataclass(frozen=True)
class Stage:
    """One family of rules. Every stage takes the article's state and returns
    nothing; ``reads`` and ``writes`` name the parts of the state it uses and fills
    (``extraction.<field>``, ``state.<field>``, ``units.<field>`` for the marks on
    the parsed units), so the order below can be checked and changed with care
    (a test checks the writes on real text)."""

    name: str
    run: Callable[[ArticleState], None]
    reads: frozenset[str]
    writes: frozenset[str]


def _stage(name: str, run: Callable[[ArticleState], None], reads: str, writes: str) -> Stage:
    return Stage(name, run, frozenset(reads.split()), frozenset(writes.split()))


MARKS = "units.actor_at units.mention_at"
# In the order they run: each reads what the stages before it wrote.
STAGES: tuple[Stage, ...] = (
    _stage(
        "mentions",
        find_mentions,
        "units gazetteer",
        f"extraction.actors extraction.mentions {MARKS}",
    ),
    _stage(
        "holdings",
        find_holdings,
        f"units gazetteer extraction.actors extraction.mentions {MARKS}",
        "extraction.holdings state.holdings_by_role state.nationality units.title_holder_at",
    ),
    _stage(
        "counterparts",
        find_counterparts,
        f"units extraction.actors extraction.mentions {MARKS} state.nationality",
        "extraction.holdings state.holdings_by_role state.nationality",
    ),
    _stage(
        "title mentions",
        find_title_mentions,
        f"units gazetteer extraction.actors extraction.holdings state.holdings_by_role {MARKS}",
        f"extraction.actors extraction.mentions {MARKS}",
    ),
    _stage(
        "memberships",
        find_memberships,
        f"units extraction.actors {MARKS}",
        "extraction.memberships",
    ),
    _stage(
        "tie scores",
        lambda state: score_ties(state.extraction, state.units),
        f"units extraction.actors extraction.mentions extraction.holdings {MARKS}",
        "extraction.holdings extraction.memberships",
    ),
    _stage(
        "events",
        find_events,
        f"units article extraction.actors extraction.mentions extraction.holdings {MARKS} "
        "units.title_holder_at state.nationality state.holdings_by_role",
        "extraction.events",
    ),
    _stage(
        "event scores",
        lambda state: score_events(state.extraction.events),
        "extraction.events",
        "extraction.events",
    ),
    _stage(
        "argument scores",
        lambda state: score_arguments(state.extraction, state.units),
        f"units extraction.actors extraction.events {MARKS}",
        "extraction.events",
    ),
    _stage(
        "statements",
        find_statements,
        f"units article extraction.actors extraction.mentions {MARKS} units.title_holder_at",
        "extraction.statements",
    ),
    _stage(
        "topics",
        find_topics,
        "article extraction.events extraction.statements state.nationality",
        "extraction.topics extraction.nationalities",
    ),
    _stage(
        "actor scores",
        lambda state: score_actors(state.extraction, state.units, state.gazetteer.role_words),
        "units gazetteer extraction.actors extraction.mentions extraction.holdings "
        "extraction.events extraction.statements",
        "extraction.actor_confidence extraction.actor_cues",
    ),
)


def extract_article(article: Article, parsed: list[ParsedUnit], gazetteer: Gazetteer) -> Extraction:
    """Run every stage over one article, in order."""
    state = ArticleState(parsed, Extraction(), gazetteer, article)
    for stage in STAGES:
        stage.run(state)
    return state.extraction


__all__ = [
    "STAGES",
    "ExtractionFailure",
    "Stage",
    "Unit",
    "extract_article",
    "extract_articles",
    "extract_each",
]
