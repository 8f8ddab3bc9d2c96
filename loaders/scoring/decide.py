"""Each candidate fact gets the probability that it is right as its confidence;
what falls under the threshold is not asserted. Events are scored once the
event rules have run, holdings and memberships once theirs have."""

from __future__ import annotations

import dataclasses

from communique.loaders.model import Event, Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.scoring.actor_cues import actor_cues, article_facts
from communique.loaders.scoring.argument_cues import ROLES, argument_cues
from communique.loaders.scoring.cues import event_cues
from communique.loaders.scoring.model import (
    Scorer,
    actor_scorer,
    argument_scorer,
    event_scorer,
    tie_scorer,
)
from communique.loaders.scoring.tie_cues import holding_cues, membership_cues
from communique.loaders.scoring.withdraw import without_actors


def score_events(events: list[Event], scorer: Scorer | None = None) -> None:
    """Set each event's final cues and its confidence, the scorer's probability."""
    chosen = scorer or event_scorer()
    for event in events:
        event.cues = event_cues(event)
        event.confidence = chosen.probability(event.cues)


def score_arguments(
    extraction: Extraction, units: list[ParsedUnit], scorer: Scorer | None = None
) -> None:
    """Give each event's initiators, recipients and participants their cues and the
    probability that each plays that role."""
    chosen = scorer or argument_scorer()
    for event in extraction.events:
        for role in ROLES:
            for actor_id in getattr(event, role):
                cues = argument_cues(event, role, actor_id, extraction, units)
                event.argument_cues[(role, actor_id)] = cues
                event.argument_confidence[(role, actor_id)] = chosen.probability(cues)


def score_ties(
    extraction: Extraction, units: list[ParsedUnit], scorer: Scorer | None = None
) -> None:
    """Give each holding and membership its cues and its probability of being right."""
    chosen = scorer or tie_scorer()
    holdings = []
    for holding in extraction.holdings:
        cues = holding_cues(holding, units, extraction)
        holdings.append(
            dataclasses.replace(holding, cues=cues, confidence=chosen.probability(cues))
        )
    memberships = []
    for membership in extraction.memberships:
        cues = membership_cues(membership, units, extraction)
        memberships.append(
            dataclasses.replace(membership, cues=cues, confidence=chosen.probability(cues))
        )
    extraction.holdings[:] = holdings
    extraction.memberships[:] = memberships


def score_actors(
    extraction: Extraction,
    units: list[ParsedUnit],
    role_words: set[str],
    scorer: Scorer | None = None,
) -> None:
    """Give each actor its cues and the probability that it is an actor of its kind."""
    chosen = scorer or actor_scorer()
    facts = article_facts(extraction)
    for actor_id in extraction.actors:
        cues = actor_cues(actor_id, extraction, units, role_words, facts)
        extraction.actor_cues[actor_id] = cues
        extraction.actor_confidence[actor_id] = chosen.probability(cues)


def asserted(extraction: Extraction, min_confidence: float) -> Extraction:
    """The extraction with only the actors, events, holdings and memberships at or
    above ``min_confidence`` (and without the facts a left-out actor carried)."""
    gone = {a for a, p in extraction.actor_confidence.items() if p < min_confidence}
    extraction = without_actors(extraction, gone)
    events = [e for e in extraction.events if e.confidence >= min_confidence]
    kept = {
        "events": [a for a in (_with_arguments_kept(e, min_confidence) for e in events) if a],
        "holdings": [h for h in extraction.holdings if h.confidence >= min_confidence],
        "memberships": [m for m in extraction.memberships if m.confidence >= min_confidence],
    }
    if all(len(facts) == len(getattr(extraction, name)) for name, facts in kept.items()):
        return extraction
    return dataclasses.replace(extraction, **kept)


def _with_arguments_kept(event: Event, min_confidence: float) -> Event | None:
    """The event without the arguments under ``min_confidence``; None when no actor
    is left to it."""
    doubtful = {k for k, p in event.argument_confidence.items() if p < min_confidence}
    if not doubtful:
        return event
    kept = dataclasses.replace(
        event, **{r: [a for a in getattr(event, r) if (r, a) not in doubtful] for r in ROLES}
    )
    return kept if kept.all_actors() else None
