"""Readable names for the facts that have no name of their own: a position
holding, a membership, a statement. Pages and listings show a node by its
label, so without one a user saw a raw IRI.

- a holding: "Ana Ruiz, Foreign Minister (Peru)" — the holder, the title as
  written, where it is held;
- a membership: "Chile in the Andean Community";
- a statement: "Sergey Lavrov: “Russia doesn't sell any weapons …”" — the
  speaker and the first words of what was said.
"""

from __future__ import annotations

from communique.loaders.model import Extraction, Holding, Membership, Statement

WORDS_SHOWN = 60  # characters of a statement's words in its label, cut at a word


def holding_label(holding: Holding, extraction: Extraction) -> str:
    label = f"{_name(holding.holder, extraction)}, {holding.title}"
    if holding.in_actor:
        label += f" ({_name(holding.in_actor, extraction)})"
    return label


def membership_label(membership: Membership, extraction: Extraction) -> str:
    member = _name(membership.member, extraction)
    return f"{member} in {_name(membership.organization, extraction)}"


def statement_label(statement: Statement, extraction: Extraction) -> str:
    words = " ".join((statement.quote or statement.content or "").split())
    if not words:
        return f"{_name(statement.speaker, extraction)}: a statement"
    if len(words) > WORDS_SHOWN:
        words = words[:WORDS_SHOWN].rsplit(" ", 1)[0] + " …"
    return f"{_name(statement.speaker, extraction)}: “{words}”"


def _name(actor_id: str, extraction: Extraction) -> str:
    actor = extraction.actors.get(actor_id)
    return actor.label if actor is not None else actor_id
