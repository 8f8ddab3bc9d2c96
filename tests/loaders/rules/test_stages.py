"""The rule stages do what they declare: each writes only the parts of the state
it says it writes (watched on real articles), and reads only what the input or
an earlier stage provides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.loaders.extract import STAGES, Stage
from communique.loaders.lexicon.gazetteer import load_gazetteer
from communique.loaders.model import Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.nlp.pipeline import load_pipeline
from communique.loaders.nlp.text import split_units
from communique.loaders.read.article import Article
from communique.loaders.read.readers import read_paths
from communique.loaders.rules.state import ArticleState
from tests.helpers import CORPUS, EVAL, MODEL

INPUTS = {"units", "gazetteer", "article"}  # what the state holds before any stage runs
EXTRACTION_FIELDS = (
    "actor_confidence",
    "actor_cues",
    "actors",
    "mentions",
    "holdings",
    "memberships",
    "events",
    "statements",
    "topics",
    "nationalities",
)
STATE_FIELDS = ("holdings_by_role", "nationality")
UNIT_FIELDS = ("actor_at", "mention_at", "title_holder_at")


def articles() -> list[Article]:
    """The shared sample articles and ten development documents (real text)."""
    samples = [a for a in read_paths([CORPUS]) if isinstance(a, Article)]
    lines = (EVAL / "re3d.dev.jsonl").read_text("utf-8").splitlines()[:10]
    documents = [
        Article(body=json.loads(line)["text"], headline="", origin=f"re3d:{n}")
        for n, line in enumerate(lines)
    ]
    return samples + documents


def fingerprint(state: ArticleState) -> dict[str, str]:
    """Each part of the state, written out so that any change shows."""
    parts = {f"extraction.{f}": repr(getattr(state.extraction, f)) for f in EXTRACTION_FIELDS}
    parts |= {f"state.{f}": repr(getattr(state, f)) for f in STATE_FIELDS}
    parts |= {
        f"units.{f}": repr([sorted(getattr(u, f).items()) for u in state.units])
        for f in UNIT_FIELDS
    }
    return parts


@pytest.fixture(scope="module")
def states() -> list[ArticleState]:
    nlp = load_pipeline(MODEL)
    found = []
    for article in articles():
        units = split_units(article.body, article.headline)
        parsed = [
            ParsedUnit(u, nlp(article.body[u.start : u.end]), text=article.body[u.start : u.end])
            for u in units
        ]
        found.append(ArticleState(parsed, Extraction(), load_gazetteer(), article))
    return found


def test_each_stage_writes_only_what_it_declares(states: list[ArticleState]) -> None:
    written: dict[str, set[str]] = {stage.name: set() for stage in STAGES}
    for state in states:
        for stage in STAGES:
            before = fingerprint(state)
            stage.run(state)
            after = fingerprint(state)
            written[stage.name] |= {part for part in before if before[part] != after[part]}
    undeclared = {
        stage.name: sorted(written[stage.name] - stage.writes)
        for stage in STAGES
        if written[stage.name] - stage.writes
    }
    assert undeclared == {}
    # the watch itself works: the stages that find facts were seen writing them
    assert "extraction.events" in written["events"]
    assert "extraction.mentions" in written["mentions"]


def unmet_reads(stages: tuple[Stage, ...]) -> dict[str, list[str]]:
    """What each stage reads that neither the input nor an earlier stage provides."""
    available, unmet = set(INPUTS), {}
    for stage in stages:
        missing = sorted(r for r in stage.reads if r not in available and r not in INPUTS)
        if missing:
            unmet[stage.name] = missing
        available |= stage.writes
    return unmet


def test_every_stage_reads_only_inputs_or_what_an_earlier_stage_writes() -> None:
    assert unmet_reads(STAGES) == {}


def test_a_stage_moved_before_what_it_reads_is_caught() -> None:
    events = next(s for s in STAGES if s.name == "events")
    moved = (events, *(s for s in STAGES if s is not events))
    assert "events" in unmet_reads(moved)


def test_the_stage_names_are_unique_and_their_parts_known() -> None:
    names = [s.name for s in STAGES]
    assert len(names) == len(set(names))
    known = (
        INPUTS
        | {f"extraction.{f}" for f in EXTRACTION_FIELDS}
        | {f"state.{f}" for f in STATE_FIELDS}
        | {f"units.{f}" for f in UNIT_FIELDS}
    )
    for stage in STAGES:
        assert stage.reads | stage.writes <= known, stage.name


def test_the_sample_articles_are_there() -> None:
    assert Path(CORPUS).is_dir() and len(articles()) == 12
