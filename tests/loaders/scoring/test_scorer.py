"""The event scorer: its arithmetic, its weights file, and its place in extraction."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from communique.loaders.extract import extract_articles
from communique.loaders.model import Event, Extraction
from communique.loaders.read.article import Article
from communique.loaders.scoring.decide import asserted
from communique.loaders.scoring.model import (
    WEIGHTS_FORMAT,
    Scorer,
    ScorerError,
    event_scorer,
    read_scorer,
)
from tests.helpers import MODEL, examples

names = st.text(alphabet="abcdefgh=_", min_size=1, max_size=6)
weights = st.dictionaries(names, st.floats(-50, 50), max_size=8)
cues = st.dictionaries(names, st.floats(0, 1), max_size=8)


@settings(max_examples=examples(200))
@given(weights, cues)
@example({"bias": 800.0}, {"bias": 1.0})  # overflows a naive exp(-x) the other way
@example({"bias": -800.0}, {"bias": 1.0})
def test_a_probability_is_between_zero_and_one(w: dict[str, float], c: dict[str, float]) -> None:
    p = Scorer(w, {}).probability(c)
    assert 0.0 <= p <= 1.0


@settings(max_examples=examples(200))
@given(weights, cues, names, st.floats(0.01, 5))
def test_a_cue_with_positive_weight_raises_the_probability(
    w: dict[str, float], c: dict[str, float], cue: str, weight: float
) -> None:
    without = Scorer({**w, cue: 0.0}, {}).probability({**c, cue: 1.0})
    with_it = Scorer({**w, cue: weight}, {}).probability({**c, cue: 1.0})
    assert with_it >= without


def test_unknown_cues_count_for_nothing() -> None:
    scorer = Scorer({"bias": 0.4}, {})
    assert scorer.probability({"bias": 1.0, "never-seen": 1.0}) == pytest.approx(
        1 / (1 + math.exp(-0.4))
    )


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("{not json", "cannot read"),
        ('{"format": "other/1", "weights": {}}', "not a weights file"),
        (json.dumps({"format": WEIGHTS_FORMAT, "weights": []}), "finite numbers"),
        (json.dumps({"format": WEIGHTS_FORMAT, "weights": {"bias": "high"}}), "finite numbers"),
        ('{"format": "communique-scorer/1", "weights": {"bias": NaN}}', "finite numbers"),
    ],
)
def test_a_bad_weights_file_is_named_with_what_to_do(tmp_path: Path, text: str, fault: str) -> None:
    path = tmp_path / "events.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScorerError) as raised:
        read_scorer(path)
    assert str(path) in str(raised.value) and fault in str(raised.value)


def test_the_shipped_weights_know_only_cues_extraction_makes() -> None:
    """A weight for a cue no code writes would be dead: training and run time agree."""
    known_prefixes = ("rule=", "pos=", "dep=", "governor_pos=", "status=")
    known = {
        "bias", "sentence_length", "trigger_position", "negated", "governor_negated",
        "modal", "in_prepositional_phrase", "in_quotation", "actors", "has_location",
        "has_date", "intent", "states_intention", "stated_twice",
        "has_initiators", "has_recipients", "has_participants",
    }  # fmt: skip
    shipped = event_scorer()
    assert shipped.about["format"] == WEIGHTS_FORMAT
    strays = [n for n in shipped.weights if n not in known and not n.startswith(known_prefixes)]
    assert strays == []


def extract(text: str) -> Extraction:
    article = Article(body=text, headline="Report", origin="test")
    return next(extract_articles([article], MODEL))


SENTENCES = [
    "Chile and Peru signed a trade agreement in Lima on Monday.",
    "The Peruvian foreign minister met his Chilean counterpart in Santiago.",
    "The Chilean president agreed to meet the Peruvian president.",
    "Chile refused to meet the Peruvian envoy.",
    "Militants shelled the town of Dara, and Syrian troops attacked them in turn.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_every_event_gets_the_scorers_probability_as_its_confidence(text: str) -> None:
    found = extract(text)
    assert found.events, "each sentence states at least one event"
    scorer = event_scorer()
    for event in found.events:
        assert event.confidence == pytest.approx(scorer.probability(event.cues))
        assert "bias" in event.cues and any(k.startswith("rule=") for k in event.cues)


def test_a_negated_governing_verb_is_a_cue_of_the_event_under_it() -> None:
    """'did not agree to meet': the meeting's cues say that the verb governing it is
    negated, which 'agreed to meet' does not; the weights decide what that is worth."""

    def meetings(text: str) -> list[Event]:
        return [e for e in extract(text).events if e.trigger == "meet"]

    refused = meetings("The Chilean president did not agree to meet the Peruvian president.")
    agreed = meetings("The Chilean president agreed to meet the Peruvian president.")
    assert refused and agreed
    assert refused[0].cues.get("governor_negated") == 1.0
    assert "governor_negated" not in agreed[0].cues


def test_events_under_the_threshold_are_not_asserted() -> None:
    found = extract(" ".join(SENTENCES))
    confidences = sorted(e.confidence for e in found.events)
    middle = confidences[len(confidences) // 2]
    kept = asserted(found, middle)
    assert {id(e) for e in kept.events} == {id(e) for e in found.events if e.confidence >= middle}
    assert asserted(found, 0.0).events == found.events
    assert asserted(found, 1.0).events == [e for e in found.events if e.confidence >= 1.0]
    assert kept.statements == found.statements  # statements are not scored yet
