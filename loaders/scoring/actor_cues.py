"""Cues of an actor: does what the article says of a name support the kind of
actor the rules made of it?

The rules make actors from the gazetteer, the statistical recogniser, titles
and place phrases; these cues say how much of that evidence each actor has
(whether the gazetteer knows it, how often the recogniser agrees with its kind,
a title before a person's name, how many times and in which roles the article
names it, whether it holds an office or takes part in an event). Grammatical and
general, never words of particular documents.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Token

from communique.loaders.model import COUNTRY, ORGANIZATION, PERSON, PLACE, Actor, Extraction, Span
from communique.loaders.nlp.parsed import ParsedUnit, unit_containing

# The recogniser's labels that agree with each kind of actor.
AGREEING_LABELS = {
    PERSON: {"PERSON"},
    ORGANIZATION: {"ORG", "NORP"},
    COUNTRY: {"GPE", "NORP"},
    PLACE: {"GPE", "LOC", "FAC"},
}
MANY_MENTIONS = 5
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True)
class ArticleFacts:
    """What every actor's cues look up in the article, gathered once: asking each
    actor's question of every mention and fact grew with actors times facts."""

    spans: dict[str, list[Span]]  # actor -> the spans naming it, in the text's order
    in_office: frozenset[str]  # holders of an office, and where they hold it
    in_event: frozenset[str]  # actors and places of events
    speakers: frozenset[str]


def article_facts(extraction: Extraction) -> ArticleFacts:
    spans: dict[str, list[Span]] = defaultdict(list)
    for actor, span in extraction.mentions:
        spans[actor].append(span)
    return ArticleFacts(
        spans,
        frozenset(a for h in extraction.holdings for a in (h.holder, h.in_actor)),
        frozenset(a for e in extraction.events for a in (*e.all_actors(), e.location)),
        frozenset(s.speaker for s in extraction.statements),
    )


def actor_cues(
    actor_id: str,
    extraction: Extraction,
    units: list[ParsedUnit],
    role_words: set[str],
    facts: ArticleFacts | None = None,
) -> dict[str, float]:
    facts = facts or article_facts(extraction)
    actor = extraction.actors[actor_id]
    written = [t for span in facts.spans.get(actor_id, ()) if (t := _tokens(span, units))]
    heads = [_head(tokens) for tokens in written]
    cues = {"bias": 1.0, f"kind={actor.kind}": 1.0} | _name_cues(actor)
    cues["mentions"] = min(len(heads), MANY_MENTIONS) / MANY_MENTIONS
    if heads:
        agreeing = AGREEING_LABELS.get(actor.kind, set())
        cues["recogniser_agrees"] = sum(t.ent_type_ in agreeing for t in heads) / len(heads)
        cues["recogniser_silent"] = sum(not t.ent_type_ for t in heads) / len(heads)
        cues["subject_share"] = sum(t.dep_ in SUBJECT_DEPS for t in heads) / len(heads)
        if any(_titled(tokens[0], role_words) for tokens in written):
            cues["titled"] = 1.0
    return cues | _fact_cues(actor_id, facts)


def _name_cues(actor: Actor) -> dict[str, float]:
    cues: dict[str, float] = {}
    if actor.wikidata or actor.kind == COUNTRY:
        cues["known"] = 1.0  # from the gazetteer
    words = actor.label.split()
    if len(words) == 1:
        cues["one_word"] = 1.0
    if actor.label.isupper():
        cues["all_capitals"] = 1.0
    if any(c.isdigit() for c in actor.label):
        cues["has_digit"] = 1.0
    return cues


def _fact_cues(actor_id: str, facts: ArticleFacts) -> dict[str, float]:
    cues: dict[str, float] = {}
    if actor_id in facts.in_office:
        cues["in_office_fact"] = 1.0
    if actor_id in facts.in_event:
        cues["in_event"] = 1.0
    if actor_id in facts.speakers:
        cues["speaks"] = 1.0
    return cues


def _tokens(span: Span, units: list[ParsedUnit]) -> list[Token]:
    unit = unit_containing(units, span)
    return unit.tokens_in(span) if unit is not None else []


def _head(tokens: list[Token]) -> Token:
    """The token that heads the span in the parse (its last word when unsure)."""
    return next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])


def _titled(first: Token, role_words: set[str]) -> bool:
    """A role word or a rank right before the name's first word."""
    return first.i > 0 and first.doc[first.i - 1].lower_.rstrip(".") in role_words
