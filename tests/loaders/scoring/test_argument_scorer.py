"""The event-argument scorer: each initiator, recipient and participant gets the
probability that it plays that role; arguments under the threshold are dropped."""

from __future__ import annotations

import dataclasses

import pytest

from communique.loaders.extract import extract_articles
from communique.loaders.model import Extraction
from communique.loaders.read.article import Article
from communique.loaders.scoring.argument_cues import ROLES
from communique.loaders.scoring.decide import asserted
from communique.loaders.scoring.model import WEIGHTS_FORMAT, argument_scorer
from tests.helpers import MODEL


def extract(text: str) -> Extraction:
    return next(extract_articles([Article(body=text, headline="Report", origin="t")], MODEL))


@pytest.fixture(scope="module")
def found() -> Extraction:
    return extract(
        "Chile and Peru signed a trade agreement in Lima on Monday. "
        "Militia fighters shelled the village of Dara. They asked Iran for weapons."
    )


def test_every_argument_gets_the_scorers_probability(found: Extraction) -> None:
    scorer = argument_scorer()
    assert any(event.argument_confidence for event in found.events)
    for event in found.events:
        wanted = {(role, actor) for role in ROLES for actor in getattr(event, role)}
        assert set(event.argument_confidence) == wanted
        for key, cues in event.argument_cues.items():
            assert cues[f"role={key[0]}"] == 1.0
            assert event.argument_confidence[key] == pytest.approx(scorer.probability(cues))


def test_an_argument_carried_from_another_sentence_says_so() -> None:
    """'They asked Iran': the askers are named in the sentence before."""
    found = extract("Hamas fighters attacked the town on Monday. They asked Iran for help.")
    request = next(e for e in found.events if e.dip_class == "Request")
    hamas = next(a for a in request.initiators)
    assert request.argument_cues[("initiators", hamas)].get("not_in_sentence") == 1.0
    iran = next(a for a in request.recipients)
    assert "not_in_sentence" not in request.argument_cues[("recipients", iran)]


def test_arguments_under_the_threshold_are_dropped_and_empty_events_go(
    found: Extraction,
) -> None:
    found = dataclasses.replace(found, actor_confidence={})  # the actors' threshold aside
    event = next(e for e in found.events if len(e.all_actors()) >= 2)
    first, *rest = [(r, a) for r in ROLES for a in getattr(event, r)]
    doubtful = dataclasses.replace(
        event,
        confidence=1.0,
        argument_confidence={first: 0.1, **{k: 0.99 for k in rest}},
    )
    lonely = dataclasses.replace(
        event, confidence=1.0, argument_confidence=dict.fromkeys([first, *rest], 0.1)
    )
    kept = asserted(dataclasses.replace(found, events=[doubtful, lonely]), 0.5)
    assert len(kept.events) == 1
    assert first[1] not in getattr(kept.events[0], first[0])
    assert kept.events[0].all_actors()


def test_the_shipped_argument_weights_know_only_cues_extraction_makes() -> None:
    prefixes = ("role=", "kind=", "roles_filled=", "path=", "name_dep=", "preposition=")
    known = {"bias", "not_in_sentence", "before_trigger"}
    shipped = argument_scorer()
    assert shipped.about["format"] == WEIGHTS_FORMAT
    assert [n for n in shipped.weights if n not in known and not n.startswith(prefixes)] == []
