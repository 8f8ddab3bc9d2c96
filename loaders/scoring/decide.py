"""The last stage of extraction: each candidate event gets the probability that
it is right as its confidence; what falls under the threshold is not asserted."""

from __future__ import annotations

import dataclasses

from communique.loaders.model import Event, Extraction
from communique.loaders.scoring.cues import event_cues
from communique.loaders.scoring.model import Scorer, event_scorer


def score_events(events: list[Event], scorer: Scorer | None = None) -> None:
    """Set each event's final cues and its confidence, the scorer's probability."""
    chosen = scorer or event_scorer()
    for event in events:
        event.cues = event_cues(event)
        event.confidence = chosen.probability(event.cues)


def asserted(extraction: Extraction, min_confidence: float) -> Extraction:
    """The extraction with only the events at or above ``min_confidence``. A kept
    event that states an intention about a dropped one keeps its own facts."""
    kept = [e for e in extraction.events if e.confidence >= min_confidence]
    if len(kept) == len(extraction.events):
        return extraction
    return dataclasses.replace(extraction, events=kept)
