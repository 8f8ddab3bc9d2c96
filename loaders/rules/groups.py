"""Mentions of groups rather than of one name: a people's armed or political
groups ("Kurdish fighters", "the Syrian opposition"), people who act for an
organisation ("ministers of the Arab League"), and which coalition "the
coalition" is.

They run after the named entities are found (``mentions``), and take back the
mentions they cover.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.loaders.lexicon.gazetteer import normalise
from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import COUNTRY as COUNTRY_KIND
from communique.loaders.model import ORGANIZATION, Actor, Extraction, Span
from communique.loaders.nlp.parsed import ParsedUnit

ARMED_PEOPLE = word_set("armed_people")
ARMED_MODIFIERS = word_set("armed_modifiers")
# Groups that are not their country: "Syrian rebels", "the Syrian opposition", "the
# Iraqi people" (a people, not its state).
OPPOSING_GROUPS = ARMED_PEOPLE | word_set("opposing_groups")
GROUP_PEOPLE = ARMED_PEOPLE | word_set("group_people")
REPRESENTATIVE_NOUNS = word_set("representative_nouns")
# The anti-Daesh coalition's short names, which other coalitions share (those
# that fought in Iraq in 2003 or in Afghanistan in 2001 were called so too).
GLOBAL_COALITION = "Organization:global-coalition-against-daesh"
ITS_FOE = "Organization:islamic-state"
SHARED_COALITION_NAMES = word_set("shared_coalition_names")


def coalition_of_its_time(units: list[ParsedUnit], extraction: Extraction) -> None:
    """'the coalition' is the Global Coalition against Daesh only in an article that
    names Daesh or the Global Coalition itself ('the Global Coalition to Counter
    ISIL'); elsewhere it is a coalition of its own."""
    if ITS_FOE in extraction.actors or GLOBAL_COALITION not in extraction.actors:
        return
    if any(a == GLOBAL_COALITION and not _shared_name(s.text) for a, s in extraction.mentions):
        return
    for unit in units:
        renamed: dict[Span, str] = {}
        for i, span in list(unit.mention_at.items()):
            if unit.actor_at.get(i) == GLOBAL_COALITION and _shared_name(span.text):
                if span not in renamed:  # a span marks each of its tokens
                    renamed[span] = _other_coalition(extraction, span)
                unit.actor_at[i] = renamed[span]
    if extraction.mention_count(GLOBAL_COALITION) == 0:
        del extraction.actors[GLOBAL_COALITION]


def _shared_name(text: str) -> bool:
    return normalise(text) in SHARED_COALITION_NAMES


def _other_coalition(extraction: Extraction, span: Span) -> str:
    """One coalition for the article ('the US-led coalition' … 'the coalition'); across
    articles, like any name no gazetteer knows, the same name is the same actor."""
    coalition = Actor(ORGANIZATION, "Coalition", "Coalition", "InternationalOrganization")
    extraction.mentions.remove((GLOBAL_COALITION, span))
    is_name = normalise(span.text) != "coalition"  # 'US-led coalition' is another name
    return extraction.add_mention(coalition, span, is_name=is_name)


def group_phrases(unit: ParsedUnit, extraction: Extraction) -> None:
    """'Kurdish fighters', 'Shia militiamen': a people's armed or political group.
    'Syrian rebels' and 'the Syrian opposition' are groups too, not Syria: the
    demonym's mention of the country gives way to the group's."""
    for token in unit.tokens_with(GROUP_PEOPLE | OPPOSING_GROUPS):
        if token.i in unit.actor_at:
            continue
        modifiers = [
            c
            for c in token.children
            if c.dep_ in ("amod", "compound")
            and c.ent_type_ == "NORP"
            and c.i < token.i
            and (
                c.i not in unit.actor_at
                or (token.lower_ in OPPOSING_GROUPS and _is_country(unit, extraction, c))
            )
        ]
        if not modifiers:
            continue
        country, start = _release_country_mentions(unit, extraction, modifiers)
        first = unit.doc[start]
        text = unit.doc[first.i : token.i + 1].text
        armed = token.lower_ in ARMED_PEOPLE or any(
            t.lower_ in ARMED_MODIFIERS for t in unit.doc[first.i : token.i]
        )
        group = Actor(
            ORGANIZATION,
            text,
            text,
            "ArmedGroup" if armed else ORGANIZATION,
            home_country=country,
        )
        unit.record(first, token, group, extraction)


def representatives(unit: ParsedUnit, extraction: Extraction) -> None:
    """'foreign and defence ministers of the Arab League', 'officials from the EU': people
    who act for one named organisation are a mention of it, as 'Chilean officials' is one
    of Chile's government."""
    for token in unit.tokens_with(REPRESENTATIVE_NOUNS):
        if token.i in unit.actor_at or token.tag_ != "NNS":
            continue
        represented = _sole_of_actor(unit, extraction, token)
        if represented is None:
            continue
        modifiers = [t for t in token.subtree if t.i < token.i]
        if any(t.i in unit.actor_at for t in modifiers):
            continue  # 'Chilean ministers of the League': whose they are is unclear
        words = [t for t in modifiers if t.dep_ not in ("det", "predet", "nummod", "poss")]
        first = words[0] if words and words[-1].i == token.i - 1 else token
        unit.record(first, token, extraction.actors[represented], extraction, is_name=False)


def _sole_of_actor(unit: ParsedUnit, extraction: Extraction, token: Token) -> str | None:
    """The one organisation of the noun's 'of' or 'from' phrase."""
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "from"):
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None or any(c.dep_ == "conj" for c in pobj.children):
            return None
        actor = extraction.actors.get(unit.actor_at.get(pobj.i, ""))
        # a country's officials are its government ('officials of Iraq', see _body_of_country)
        if actor is not None and actor.kind == ORGANIZATION:
            return actor.actor_id
    return None


def _is_country(unit: ParsedUnit, extraction: Extraction, token: Token) -> bool:
    actor = extraction.actors.get(unit.actor_at.get(token.i, ""))
    return actor is not None and actor.kind == COUNTRY_KIND


def _release_country_mentions(
    unit: ParsedUnit, extraction: Extraction, modifiers: list[Token]
) -> tuple[str | None, int]:
    """Take back the country mentions of the modifiers, every token of each ('South
    Sudanese'); the country, if one, for the group, and the first token taken back.
    A country left without a mention is no longer in the article."""
    country, first = None, min(t.i for t in modifiers)
    for token in modifiers:
        span = unit.mention_at.get(token.i)
        actor = extraction.actors.get(unit.actor_at.get(token.i, ""))
        if span is None or actor is None:
            continue
        country = actor.key
        for i in [i for i, s in unit.mention_at.items() if s == span]:
            unit.mention_at.pop(i)
            unit.actor_at.pop(i, None)
            first = min(first, i)
        if (actor.actor_id, span) in extraction.mentions:
            extraction.mentions.remove((actor.actor_id, span))
        if extraction.mention_count(actor.actor_id) == 0:
            del extraction.actors[actor.actor_id]
    return country, first
