"""Who holds which office: titles before a name, appositions, counterparts,
and the titles that later stand for the person ("the foreign minister").

- "Peruvian Foreign Minister Ana Ruiz", "Chile's Deputy Trade Minister Luis
  Vega", "rebel leader Samuel Okafor": the title and its country or
  organisation stand before the name.
- "Tomas Berg, the head of the Interior Ministry's Border Bureau": an
  apposition after the name.
- "after talks with her Chilean counterpart": the counterpart holds the
  speaker's office in the other country.
Also memberships: "Kenya, along with Uganda and Tanzania, makes up the East
African Community".
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from communique.loaders.lexicon.gazetteer import Gazetteer, RoleTitle
from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import COUNTRY, ORGANIZATION, PERSON, Holding, Membership
from communique.loaders.nlp.parsed import ParsedUnit, sentence_of
from communique.loaders.rules.arguments import (
    counterpart,
    is_actor_kind,
    phrase_actors,
    prep_objects,
    subject_of,
)
from communique.loaders.rules.state import ArticleState

TITLE_MODIFIERS = word_set("title_modifiers")
PAST_MARKERS = word_set("past_markers")
MEMBERSHIP_VERBS = word_set("membership_verbs")
AS_PART_OF = word_set("as_part_of")


def title_words(gazetteer: Gazetteer) -> set[str]:
    words = {w for title in gazetteer.roles for w in re.split(r"[\s-]+", title)}
    return words | TITLE_MODIFIERS | {"of", "for", "the", "affairs", "state", "'s", "’s"}


def find_holdings(state: ArticleState) -> None:
    """Holdings from titles before names and from appositions, in article order."""
    gazetteer = state.gazetteer
    vocabulary = title_words(gazetteer)
    for unit in state.units:
        if unit.unit.kind != "paragraph":
            continue
        for person_id, first, last in _person_mentions(state, unit):
            # both can hold: "Maj. Gen. X, commander, Combined Joint Forces …"
            for holding in (
                _premodifier(state, unit, gazetteer, vocabulary, person_id, first),
                _apposition(state, unit, gazetteer, person_id, last),
            ):
                if holding is not None:
                    _add_holding(state, holding)


def _person_mentions(state: ArticleState, unit: ParsedUnit) -> list[tuple[str, Token, Token]]:
    found = []
    i = 0
    doc = unit.doc
    while i < len(doc):
        actor_id = unit.actor_at.get(i)
        if actor_id and state.extraction.actors[actor_id].kind == PERSON:
            j = i
            while j + 1 < len(doc) and unit.actor_at.get(j + 1) == actor_id:
                j += 1
            found.append((actor_id, doc[i], doc[j]))
            i = j + 1
        else:
            i += 1
    return found


def _premodifier(
    state: ArticleState,
    unit: ParsedUnit,
    gazetteer: Gazetteer,
    vocabulary: set[str],
    person_id: str,
    first: Token,
) -> Holding | None:
    """Title words (and an actor) right before the name."""
    doc = unit.doc
    start = first.i
    while start > 0:
        previous = doc[start - 1]
        if previous.lower_ in vocabulary or unit.actor_of(previous) or previous.text == "-":
            start -= 1
        else:
            break
    if start == first.i or doc[max(start - 1, 0)].lower_ in PAST_MARKERS:
        return None
    window = doc[start : first.i]
    match = _longest_title(gazetteer, [t.lower_ for t in window])
    if match is None:
        return None
    (title_start, title_end), role = match
    title = doc[start + title_start : start + title_end].text
    for i in range(start + title_start, start + title_end):
        unit.title_holder_at.setdefault(i, person_id)
    in_actor = _actor_in(state, unit, list(window), prefer=(ORGANIZATION, COUNTRY))
    sentence = unit.sentence_span(sentence_of(first))
    confidence = 0.9 if in_actor else 0.8
    return Holding(
        person_id, role.role, title, in_actor, sentence, confidence, rule="title_before_name"
    )


def _apposition(
    state: ArticleState, unit: ParsedUnit, gazetteer: Gazetteer, person_id: str, last: Token
) -> Holding | None:
    """'X, the head of the Interior Ministry's Border Bureau, …'."""
    appos = next((c for c in last.children if c.dep_ == "appos"), None)
    if appos is None:
        return None
    tokens = [t for t in appos.subtree if t.text != ","]
    while tokens and tokens[0].dep_ == "det":
        tokens = tokens[1:]
    if not tokens or tokens[0].lower_ in PAST_MARKERS:
        return None
    match = _longest_title(gazetteer, [t.lower_ for t in tokens])
    if match is None:
        return None
    _span, role = match
    written = unit.doc[tokens[0].i : tokens[-1].i + 1].text
    title = written.split(",", 1)[0].strip()  # "commander, Combined Joint Forces …"
    in_actor = _actor_in(state, unit, tokens, prefer=(ORGANIZATION, COUNTRY))
    sentence = unit.sentence_span(sentence_of(last))
    return Holding(person_id, role.role, title, in_actor, sentence, 0.8, rule="apposition")


def _longest_title(
    gazetteer: Gazetteer, words: list[str]
) -> tuple[tuple[int, int], RoleTitle] | None:
    best: tuple[tuple[int, int], RoleTitle] | None = None
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            role = gazetteer.roles.get(" ".join(words[i:j]).replace(" - ", "-"))
            if role is not None:
                if best is None or (j - i) > (best[0][1] - best[0][0]):
                    best = ((i, j), role)
                break
    return best


def _actor_in(
    state: ArticleState, unit: ParsedUnit, tokens: list[Token], prefer: tuple[str, ...]
) -> str | None:
    actors = [unit.actor_of(t) for t in tokens if unit.actor_of(t)]
    for kind in prefer:
        for actor_id in actors:
            if state.extraction.actors[actor_id].kind == kind:  # type: ignore[index]
                return actor_id
    return None


def _add_holding(state: ArticleState, holding: Holding) -> None:
    known = {(h.holder, h.role, h.in_actor) for h in state.extraction.holdings}
    if (holding.holder, holding.role, holding.in_actor) in known:
        return
    state.extraction.holdings.append(holding)
    state.holdings_by_role.setdefault(holding.role, []).append(holding.holder)
    actor = state.extraction.actors.get(holding.in_actor or "")
    if actor is not None and actor.kind == COUNTRY:
        state.nationality.setdefault(holding.holder, actor.key)


def find_counterparts(state: ArticleState) -> None:
    """'his Russian counterpart' holds the possessor's office in that country."""
    for unit in state.units:
        for token in unit.tokens_with(("counterpart",)):
            if token.lower_ != "counterpart":
                continue
            owner = state.last_person_before(unit, token)
            owner_roles = [h for h in state.extraction.holdings if h.holder == owner]
            for person in counterpart(state, unit, token):
                if not is_actor_kind(state.extraction, person, PERSON):
                    continue  # the counterpart's country stands for an unnamed person
                country = next((unit.actor_of(c) for c in token.children if unit.actor_of(c)), None)
                for role in owner_roles[:1]:
                    _add_holding(
                        state,
                        Holding(
                            person,
                            role.role,
                            token.text,
                            country,
                            unit.sentence_span(sentence_of(token)),
                            0.6,
                            rule="counterpart",
                        ),
                    )


def find_memberships(state: ArticleState) -> None:
    """'X, along with Y and Z, make up ORG'; 'X joined ORG'; 'X is a member of ORG';
    'X, as part of ORG, …'."""
    for unit in state.units:
        for token in unit.tokens_with(AS_PART_OF):
            sentence = unit.sentence_span(sentence_of(token))
            for member, organization in _as_part_of(state, unit, token):
                state.extraction.memberships.append(
                    Membership(member, organization, sentence, 0.7, rule="as_part_of")
                )
        for token in unit.tokens_with(MEMBERSHIP_VERBS | {"be", "include", "comprise"}):
            included = _included_members(state, unit, token)
            if included is not None:
                organization, members = included
                sentence = unit.sentence_span(sentence_of(token))
                for member in members:
                    state.extraction.memberships.append(
                        Membership(member, organization, sentence, 0.7, rule="included")
                    )
                continue
            organization = _membership_target(unit, token)
            if organization is None:
                continue
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                continue
            members = phrase_actors(state, unit, subject)
            members += _along_with(state, unit, token)
            rule = "member_of" if token.lemma_ == "be" else "membership_verb"
            sentence = unit.sentence_span(sentence_of(token))
            for member in members:
                if member != organization:
                    state.extraction.memberships.append(
                        Membership(member, organization, sentence, 0.8, rule=rule)
                    )


def _included_members(
    state: ArticleState, unit: ParsedUnit, verb: Token
) -> tuple[str, list[str]] | None:
    """'Coalition nations … include Australia, Belgium and Canada'."""
    if verb.lemma_ not in ("include", "comprise") or verb.pos_ != "VERB":
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    direct = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if subject is None or direct is None:
        return None
    owners = [a for a in phrase_actors(state, unit, subject) if a.startswith(ORGANIZATION)]
    members = [
        a
        for a in phrase_actors(state, unit, direct)
        if a.split(":", 1)[0] in (COUNTRY, ORGANIZATION) and a not in owners
    ]
    return (owners[0], members) if owners and members else None


def _as_part_of(state: ArticleState, unit: ParsedUnit, noun: Token) -> list[tuple[str, str]]:
    """'Peru, as part of the Andean Community, is committed …': (member, organisation)
    pairs, the members being the subject of the clause the 'as' phrase belongs to."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "as":
        return []
    owner = noun.head.head
    subject = owner if owner.pos_ in ("NOUN", "PROPN") else subject_of(owner)
    organizations = [
        a for a in prep_objects(state, unit, noun, ("of",)) if a.startswith(ORGANIZATION)
    ]
    if subject is None or not organizations:
        return []
    members = [
        a
        for a in phrase_actors(state, unit, subject)
        if a.split(":", 1)[0] in (COUNTRY, ORGANIZATION) and a != organizations[0]
    ]
    return [(member, organizations[0]) for member in members]


def _membership_target(unit: ParsedUnit, verb: Token) -> str | None:
    if verb.lemma_ in MEMBERSHIP_VERBS and verb.pos_ == "VERB":
        for child in verb.children:
            if child.dep_ in ("dobj", "attr") and unit.actor_of(child):
                actor = unit.actor_of(child)
                return actor if actor and actor.startswith(ORGANIZATION) else None
    if verb.lemma_ == "be":
        for child in verb.children:
            if child.dep_ == "attr" and child.lemma_ == "member":
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        pobj = next((p for p in prep.children if p.dep_ == "pobj"), None)
                        actor = unit.actor_of(pobj) if pobj is not None else None
                        return actor if actor and actor.startswith(ORGANIZATION) else None
    return None


def _along_with(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    """'X, along with Y and Z, make up …': Y and Z, attached to the subject or the verb."""
    found: list[str] = []
    for child in verb.subtree:
        if child.lower_ == "along":
            for prep in child.subtree:
                if prep.dep_ == "pobj":
                    found.extend(phrase_actors(state, unit, prep))
                    break
    return found


def find_title_mentions(state: ArticleState) -> None:
    """'the foreign minister' later in the article is a mention of its holder."""
    gazetteer = state.gazetteer
    # Only a title whose role one person of the article holds can refer back; the
    # parse of a unit without any of its words is not searched (this rule walked
    # every noun chunk of every article: a sixth of the extraction rules' time).
    vocabulary = {
        title
        for role, holders in state.holdings_by_role.items()
        if len(holders) == 1
        for title in gazetteer.titles_by_role.get(role, ())
        if len(title) > 4
    }
    title_words = {word for title in vocabulary for word in title.split()}
    for unit in state.units:
        if not title_words or not unit.tokens_with(title_words):
            continue
        for chunk in unit.doc.noun_chunks:
            if chunk[0].lower_ != "the":
                continue
            words = [t for t in chunk if t.dep_ != "det"]
            if not words or any(unit.actor_of(t) for t in words if t.ent_type_ == "PERSON"):
                continue
            title = " ".join(t.lower_ for t in words if not unit.actor_of(t))
            role = gazetteer.roles.get(title) if title in vocabulary else None
            holders = state.holdings_by_role.get(role.role, []) if role else []
            if len(holders) == 1 and not unit.actor_of(chunk.root):
                span = unit.span(chunk[0], chunk[-1])
                actor = state.extraction.actors[holders[0]]
                state.extraction.add_mention(actor, span, is_name=False)
                unit.mark(chunk[0], chunk[-1], holders[0], span)
