"""Cues of an event's argument: is this actor the initiator (or recipient, or
participant) of the act the trigger word states?

How the actor's name stands to the trigger in the parse (steps between them,
the name's grammatical role, the preposition that introduces it, which side of
the trigger it is on), whether it is in the trigger's sentence at all (an
argument carried from an earlier sentence, by a pronoun or the subject just
before), and the actor's kind. Grammatical and general.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.loaders.model import Event, Extraction
from communique.loaders.nlp.parsed import ParsedUnit, dependency_steps, sentence_of, unit_containing

ROLES = ("initiators", "recipients", "participants")
NAME_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "compound", "conj", "appos"})
PREPOSITIONS = frozenset({"with", "by", "on", "to", "against", "from", "in", "of", "for", "at"})
LONG_PATH = 4


def argument_cues(
    event: Event, role: str, actor_id: str, extraction: Extraction, units: list[ParsedUnit]
) -> dict[str, float]:
    cues = {
        "bias": 1.0,
        f"role={role}": 1.0,
        f"kind={extraction.actors[actor_id].kind}": 1.0,
        f"roles_filled={min(sum(bool(getattr(event, r)) for r in ROLES), 2)}": 1.0,
    }
    trigger = _trigger(event, units)
    names = _names_near(trigger, actor_id, units) if trigger is not None else []
    if trigger is None or not names:
        return cues | {"not_in_sentence": 1.0}
    steps, name = min((_steps(trigger, t), t) for t in names)
    cues[f"path={min(steps, LONG_PATH)}"] = 1.0
    cues[f"name_dep={name.dep_ if name.dep_ in NAME_DEPS else 'other'}"] = 1.0
    if name.dep_ == "pobj":
        word = name.head.lower_
        cues[f"preposition={word if word in PREPOSITIONS else 'other'}"] = 1.0
    if name.i < trigger.i:
        cues["before_trigger"] = 1.0
    return cues


def _trigger(event: Event, units: list[ParsedUnit]) -> Token | None:
    span = event.trigger_span
    if span is None:
        return None
    unit = unit_containing(units, span)
    if unit is None:
        return None
    return next((t for t in unit.tokens_in(span) if unit.offset(t) == span.start), None)


def _names_near(trigger: Token, actor_id: str, units: list[ParsedUnit]) -> list[Token]:
    """The tokens of the actor's mentions in the trigger's sentence."""
    sentence = sentence_of(trigger)
    unit = next(u for u in units if u.doc is trigger.doc)
    # from the unit's marks, not a token object for every word of the sentence
    marked = (i for i, actor in unit.actor_at.items() if actor == actor_id)
    return [unit.doc[i] for i in sorted(i for i in marked if sentence.start <= i < sentence.end)]


def _steps(a: Token, b: Token) -> int:
    steps = dependency_steps(a, b)
    return LONG_PATH if steps is None else steps
