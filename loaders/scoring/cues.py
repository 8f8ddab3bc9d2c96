"""Cues: what the parse says about a candidate event, as named numbers.

The rules propose events; these cues are the evidence a scorer weighs to decide
how likely each one is right. They are grammatical and general (the trigger's
part of speech and role in the sentence, negation above it, which rule made the
event, which arguments it found), never words of particular documents, so that
what the scorer learns carries over to text it has not seen.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.loaders.model import Event
from communique.loaders.nlp.parsed import sentence_of

# The dependency labels a trigger is seen with often enough to learn from; the
# rest are pooled as "other".
TRIGGER_DEPS = frozenset(
    {"ROOT", "conj", "xcomp", "ccomp", "advcl", "relcl", "acl", "dobj", "pobj"}
    | {"nsubj", "nsubjpass", "compound", "amod", "pcomp", "appos"}
)
# How a verb or its governing verb says that the act is wished, tried or refused
# rather than done ("efforts to defeat", "declined to meet").
CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "advcl", "acl", "relcl", "pcomp"})
LONG_SENTENCE = 60  # tokens; longer sentences are counted as this long


def trigger_cues(token: Token, rule: str) -> dict[str, float]:
    """Cues of the word that states the event and of the rule that read it."""
    sentence = sentence_of(token)
    cues = {
        "bias": 1.0,
        f"rule={rule}": 1.0,
        f"pos={_pos(token)}": 1.0,
        f"dep={token.dep_ if token.dep_ in TRIGGER_DEPS else 'other'}": 1.0,
        "sentence_length": min(len(sentence), LONG_SENTENCE) / LONG_SENTENCE,
        "trigger_position": (token.i - sentence.start) / max(len(sentence), 1),
    }
    if _negated(token):
        cues["negated"] = 1.0
    if token.dep_ in CLAUSE_DEPS and _negated(token.head):
        cues["governor_negated"] = 1.0
    if token.dep_ in CLAUSE_DEPS:
        cues[f"governor_pos={_pos(token.head)}"] = 1.0
    if any(child.dep_ == "aux" and child.tag_ == "MD" for child in token.children):
        cues["modal"] = 1.0
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        cues["in_prepositional_phrase"] = 1.0
    if _quoted(token):
        cues["in_quotation"] = 1.0
    return cues


def event_cues(event: Event) -> dict[str, float]:
    """The trigger's cues with what the rules found for the event: its arguments,
    status, place and date. (Not how many other events its sentence states: the
    PLOVER sentences it is trained on annotate one event each, so that count would
    teach the annotation's habit, not what makes an event right.)"""
    # Not the event's class: on the PLOVER training sentences a class's share of
    # right candidates reflects how the gold was coded (older records use types
    # such as FIGHT that no class maps to); with it the held-out figures did not
    # improve and the re3d documents, never trained on, lost relations (docs/quality.md).
    cues = dict(event.cues) or {"bias": 1.0, "rule=unknown": 1.0}
    cues[f"status={event.status}"] = 1.0
    for role in ("initiators", "recipients", "participants"):
        if getattr(event, role):
            cues[f"has_{role}"] = 1.0
    cues["actors"] = min(len(event.all_actors()), 4) / 4
    if event.location:
        cues["has_location"] = 1.0
    if event.date:
        cues["has_date"] = 1.0
    if event.intent:
        cues["intent"] = 1.0
    if event.about_event is not None:
        cues["states_intention"] = 1.0
    return cues


def derived_cues(source: Event, rule: str) -> dict[str, float]:
    """Cues of an event read off another (a joint action, a stated intention)."""
    cues = {k: v for k, v in source.cues.items() if not k.startswith("rule=")}
    cues[f"rule={rule}"] = 1.0
    return cues


def _pos(token: Token) -> str:
    return token.pos_ if token.pos_ in ("VERB", "NOUN", "PROPN", "AUX") else "other"


def _negated(token: Token) -> bool:
    return any(child.dep_ == "neg" for child in token.children)


def _quoted(token: Token) -> bool:
    """Whether an opening quotation mark comes before the token in its sentence
    and no closing one after it (a quote's words are the speaker's claim)."""
    marks = [
        t for t in sentence_of(token) if t.i < token.i and t.text in {'"', "“", "”", "''", "``"}
    ]
    return len(marks) % 2 == 1
