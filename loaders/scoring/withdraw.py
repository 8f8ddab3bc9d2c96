"""Leaving an actor out of what an article asserts, and every fact that needs it.

An actor under the confidence threshold is not asserted: its mentions go, and
so do the facts that cannot stand without it (an office it holds or is held
in, a membership, a statement it makes). An event keeps its other actors and
goes only when none is left; a place or a topic actor is simply no longer
named. The extraction given is not changed: the facts that change are copies.
"""

from __future__ import annotations

import dataclasses

from communique.loaders.model import Event, Extraction, Statement


def without_actors(extraction: Extraction, gone: set[str]) -> Extraction:
    if not gone:
        return extraction
    trimmed = [(e, _event_without(e, gone)) for e in extraction.events]
    pairs = [(original, kept) for original, kept in trimmed if kept is not None]
    return dataclasses.replace(
        extraction,
        actors={k: a for k, a in extraction.actors.items() if k not in gone},
        mentions=[(a, span) for a, span in extraction.mentions if a not in gone],
        holdings=[h for h in extraction.holdings if not {h.holder, h.in_actor} & gone],
        memberships=[m for m in extraction.memberships if not {m.member, m.organization} & gone],
        events=_relinked(pairs),
        statements=[s for s in (_statement_without(s, gone) for s in extraction.statements) if s],
        nationalities={p: c for p, c in extraction.nationalities.items() if p not in gone},
        actor_confidence={k: v for k, v in extraction.actor_confidence.items() if k not in gone},
    )


def _event_without(event: Event, gone: set[str]) -> Event | None:
    if (
        not set(event.all_actors()) & gone
        and event.location not in gone
        and not (set(event.other_locations) & gone or event.about in gone)
    ):
        return event
    trimmed = dataclasses.replace(
        event,
        initiators=[a for a in event.initiators if a not in gone],
        recipients=[a for a in event.recipients if a not in gone],
        participants=[a for a in event.participants if a not in gone],
        location=None if event.location in gone else event.location,
        other_locations=[p for p in event.other_locations if p not in gone],
        about=None if event.about in gone else event.about,
    )
    return trimmed if trimmed.all_actors() else None


def _relinked(pairs: list[tuple[Event, Event]]) -> list[Event]:
    """The kept events; one that states an intention about another points at that
    other's kept copy (or at nothing, when that one went)."""
    copies = {id(original): kept for original, kept in pairs}
    events = []
    for _, kept in pairs:
        if kept.about_event is not None:
            kept = dataclasses.replace(kept, about_event=copies.get(id(kept.about_event)))
        events.append(kept)
    return events


def _statement_without(statement: Statement, gone: set[str]) -> Statement | None:
    if statement.speaker in gone:
        return None
    if statement.recipient not in gone and not set(statement.about) & gone:
        return statement
    return dataclasses.replace(
        statement,
        recipient=None if statement.recipient in gone else statement.recipient,
        about=[a for a in statement.about if a not in gone],
    )
