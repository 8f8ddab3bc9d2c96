"""Each candidate fact gets the probability that it is right as its confidence;
what falls under the threshold is not asserted. Events are scored once the
event rules have run, holdings and memberships once theirs have."""

from __future__ import annotations

import dataclasses

from communique.loaders.model import Event, Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.scoring.cues import event_cues
from communique.loaders.scoring.model import Scorer, event_scorer, tie_scorer
from communique.loaders.scoring.tie_cues import holding_cues, membership_cues


def score_events(events: list[Event], scorer: Scorer | None = None) -> None:
    """Set each event's final cues and its confidence, the scorer's probability."""
    chosen = scorer or event_scorer()
    for event in events:
        event.cues = event_cues(event)
        event.confidence = chosen.probability(event.cues)


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


def asserted(extraction: Extraction, min_confidence: float) -> Extraction:
    """The extraction with only the events, holdings and memberships at or above
    ``min_confidence``."""
    kept = {
        "events": [e for e in extraction.events if e.confidence >= min_confidence],
        "holdings": [h for h in extraction.holdings if h.confidence >= min_confidence],
        "memberships": [m for m in extraction.memberships if m.confidence >= min_confidence],
    }
    if all(len(facts) == len(getattr(extraction, name)) for name, facts in kept.items()):
        return extraction
    return dataclasses.replace(extraction, **kept)
