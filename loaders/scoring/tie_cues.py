"""Cues of a tie between two actors: a person holding an office in a country or
an organisation, an actor belonging to an organisation.

The rules read these ties from titles, appositions and membership verbs; the
cues say how the two mentions sit in the sentence that states the tie (how far
apart in the parse, what stands between them, which kinds of actor) and which
rule read it. Like the event cues they are grammatical, never words of
particular documents.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.loaders.model import Extraction, Holding, Membership, Span
from communique.loaders.nlp.parsed import ParsedUnit, dependency_steps, sentence_of, unit_containing

LONG_PATH = 4  # dependency steps; longer paths are pooled
LONG_GAP = 20  # tokens between the two mentions; more count as this many
LONG_SENTENCE = 60
# The statistical recogniser's labels worth telling apart; a name it tags as a
# place or a work, not a person, is a sign the rules took the wrong span.
NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "WORK_OF_ART"})
# The roles a name's head word plays that are common enough to learn from; a
# name that is the object of a preposition ("Governor of Rogaland") is more
# often the office's place than its holder.
NAME_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "compound", "poss"})


def holding_cues(
    holding: Holding, units: list[ParsedUnit], extraction: Extraction
) -> dict[str, float]:
    cues = _common("holding", holding.rule, holding.holder, holding.in_actor, extraction)
    if holding.in_actor is None:
        cues["no_second_actor"] = 1.0
        return cues | _own_mention(holding.holder, holding.evidence, units)
    return cues | _placement(holding.holder, holding.in_actor, holding.evidence, units)


def membership_cues(
    membership: Membership, units: list[ParsedUnit], extraction: Extraction
) -> dict[str, float]:
    cues = _common(
        "membership", membership.rule, membership.member, membership.organization, extraction
    )
    placement = _placement(membership.member, membership.organization, membership.evidence, units)
    return cues | placement


def _common(
    kind: str, rule: str, first: str, second: str | None, extraction: Extraction
) -> dict[str, float]:
    second_kind = extraction.actors[second].kind if second in extraction.actors else "none"
    cues = {
        "bias": 1.0,
        f"fact={kind}": 1.0,
        f"rule={rule}": 1.0,
        f"pair={extraction.actors[first].kind}-{second_kind}": 1.0,
    }
    if extraction.mention_count(first) == 1:
        cues["first_named_once"] = 1.0
    return cues


def _own_mention(actor: str, evidence: Span, units: list[ParsedUnit]) -> dict[str, float]:
    tokens = _actor_tokens(actor, evidence, units)
    return _mention_cues("first", tokens) if tokens else {"not_in_one_sentence": 1.0}


def _actor_tokens(actor: str, evidence: Span, units: list[ParsedUnit]) -> list[Token]:
    unit = unit_containing(units, evidence)
    if unit is None:
        return []
    return [t for t in unit.tokens_in(evidence) if unit.actor_of(t) == actor]


def _placement(
    first: str, second: str, evidence: Span, units: list[ParsedUnit]
) -> dict[str, float]:
    """Where the closest mentions of the two actors sit in the evidence sentence."""
    mine = _actor_tokens(first, evidence, units)
    theirs = _actor_tokens(second, evidence, units)
    if not mine or not theirs:
        return {"not_in_one_sentence": 1.0}
    sentence_length = len(sentence_of(mine[0]))
    steps, a, b = min((_path_length(x, y), x, y) for x in mine for y in theirs)
    left, right = sorted((a, b), key=lambda t: t.i)
    between = [t for t in left.doc[left.i + 1 : right.i] if t not in mine + theirs]
    cues = {
        f"path={min(steps, LONG_PATH)}": 1.0,
        "gap": min(len(between), LONG_GAP) / LONG_GAP,
        "sentence_length": min(sentence_length, LONG_SENTENCE) / LONG_SENTENCE,
    }
    if any(t.text == "," for t in between):
        cues["comma_between"] = 1.0
    if any(t.pos_ in ("VERB", "AUX") for t in between):
        cues["verb_between"] = 1.0
    if b.pos_ == "ADJ":  # a demonym: "Peruvian Foreign Minister …"
        cues["second_is_adjective"] = 1.0
    if a.i > b.i:
        cues["second_first"] = 1.0
    return cues | _mention_cues("first", mine) | _mention_cues("second", theirs)


def _mention_cues(which: str, tokens: list[Token]) -> dict[str, float]:
    """What the recogniser calls the actor's words, and whether the name is one word."""
    label = tokens[0].ent_type_
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
    cues = {
        f"{which}_ner={label if label in NER_LABELS else 'other'}": 1.0,
        f"{which}_dep={head.dep_ if head.dep_ in NAME_DEPS else 'other'}": 1.0,
    }
    if len(tokens) == 1:
        cues[f"{which}_one_word"] = 1.0
    return cues


def _path_length(a: Token, b: Token) -> int:
    """Steps between two tokens; past the end of a sentence, more than any within."""
    steps = dependency_steps(a, b)
    return LONG_PATH + 1 if steps is None else steps
