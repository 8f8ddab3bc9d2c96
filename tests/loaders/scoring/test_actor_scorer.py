"""The actor scorer: each actor's probability of being an actor of its kind, on its
mentions; an actor under the threshold goes with the facts that need it."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.loaders.extract import extract_articles
from communique.loaders.model import Extraction
from communique.loaders.rdfmap import article_write
from communique.loaders.read.article import Article
from communique.loaders.scoring.decide import asserted
from communique.loaders.scoring.model import WEIGHTS_FORMAT, actor_scorer
from communique.loaders.scoring.withdraw import without_actors
from communique.vocab import DIP, Iris
from tests.helpers import MODEL, examples

# Our own sentences: an office, a statement, a meeting with a place, a membership.
TEXT = (
    "Peruvian Foreign Minister Ana Ruiz met Chilean envoy Luis Vega in Lima on Monday. "
    "Ruiz said the talks with Chile would resume. "
    "Chile is a member of the Andean Community."
)
ARTICLE = Article(body=TEXT, headline="Talks in Lima", origin="test")


@pytest.fixture(scope="module")
def found() -> Extraction:
    return next(extract_articles([ARTICLE], MODEL))


def test_every_actor_gets_the_scorers_probability(found: Extraction) -> None:
    scorer = actor_scorer()
    assert found.actors
    assert set(found.actor_confidence) == set(found.actors)
    for actor_id, cues in found.actor_cues.items():
        assert cues["bias"] == 1.0 and any(k.startswith("kind=") for k in cues)
        assert found.actor_confidence[actor_id] == pytest.approx(scorer.probability(cues))


def test_a_title_before_a_name_is_a_cue_of_the_person(found: Extraction) -> None:
    ruiz = next(a for a, actor in found.actors.items() if actor.label == "Ana Ruiz")
    assert found.actor_cues[ruiz].get("titled") == 1.0
    assert found.actor_cues[ruiz].get("in_office_fact") == 1.0


def test_each_actor_mention_carries_its_actors_confidence(found: Extraction) -> None:
    graph = article_write(ARTICLE, found, Iris("http://example.org/"))
    mentions = {o for _, p, o in graph.facts if p == DIP.mentionedAs}
    assert mentions
    for mention in mentions:
        assert any(s == mention and p == DIP.confidence for s, p, _ in graph.facts)


def test_an_actor_under_the_threshold_goes_with_what_needs_it(found: Extraction) -> None:
    ruiz = next(a for a, actor in found.actors.items() if actor.label == "Ana Ruiz")
    doubtful = dataclasses.replace(
        found, actor_confidence={**{a: 0.99 for a in found.actors}, ruiz: 0.1}
    )
    kept = asserted(doubtful, 0.5)
    assert ruiz not in kept.actors and all(a != ruiz for a, _ in kept.mentions)
    assert all(h.holder != ruiz for h in kept.holdings)
    assert all(s.speaker != ruiz for s in kept.statements)
    assert all(ruiz not in e.all_actors() for e in kept.events)
    assert any(h.holder == ruiz for h in found.holdings)  # the original is untouched


@settings(max_examples=examples(60), deadline=None)
@given(st.data())
def test_no_fact_left_names_an_actor_withdrawn(found: Extraction, data: st.DataObject) -> None:
    gone = data.draw(st.sets(st.sampled_from(sorted(found.actors))))
    before = copy.deepcopy(found)
    kept = without_actors(found, gone)
    named = {a for a, _ in kept.mentions} | set(kept.actors) | set(kept.actor_confidence)
    named |= {h.holder for h in kept.holdings} | {h.in_actor for h in kept.holdings}
    named |= {m.member for m in kept.memberships} | {m.organization for m in kept.memberships}
    named |= {s.speaker for s in kept.statements} | {s.recipient for s in kept.statements}
    for event in kept.events:
        assert event.all_actors(), "an event with no actor left is not kept"
        named |= set(event.all_actors()) | {event.location, event.about}
    assert not named & gone
    assert found == before  # nothing withdrawn from the extraction given


def test_the_shipped_actor_weights_know_only_cues_extraction_makes() -> None:
    known = {"bias", "known", "one_word", "all_capitals", "has_digit", "mentions",
             "recogniser_agrees", "recogniser_silent", "subject_share", "titled",
             "in_office_fact", "in_event", "speaks"}  # fmt: skip
    shipped = actor_scorer()
    assert shipped.about["format"] == WEIGHTS_FORMAT
    assert [n for n in shipped.weights if n not in known and not n.startswith("kind=")] == []
