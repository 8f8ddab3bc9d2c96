"""Weapons found with someone: "Iranian-made rockets were found in the hands of Hamas
fighters in Gaza", "troops discovered Russian-made mortars in a Hezbollah depot".

Finding weapons with a holder states that they reached the holder, from whoever
made or sent them: an arms transfer to the holder, its sender unnamed, with the
weapons as written and the country that made them where the text says so
("Russian-made").
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.classes import EventClass as EC
from communique.loaders.lexicon import events as tr
from communique.loaders.model import COUNTRY, Event
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.rules.arguments import is_place, phrase_actors, prep_actors, verb_subject
from communique.loaders.rules.event_frames import new_event
from communique.loaders.rules.mentions import WEAPON_NOUNS
from communique.loaders.rules.state import ArticleState

HELD_PREPS = ("in", "with", "among")
MADE_WORDS = ("made", "built", "manufactured", "produced")


def found_arms_event(state: ArticleState, unit: ParsedUnit, verb: Token) -> Event | None:
    """An arms transfer to whoever the weapons were found with, or None."""
    weapons = _weapons(verb)
    if weapons is None:
        return None
    holders, places = _holders_and_places(state, unit, verb)
    if not holders:
        return None
    event = new_event(state, unit, verb, EC.ArmsTransfer)
    event.recipients = holders
    event.weapon = _as_written(unit, weapons)
    event.weapon_origin = _maker(state, unit, weapons)
    if places:
        event.location, event.other_locations = places[0], places[1:]
    return event


def _weapons(verb: Token) -> Token | None:
    """What was found, when it is weapons: the object, or the subject of a passive."""
    subject, passive = verb_subject(verb)
    found = subject if passive else next((c for c in verb.children if c.dep_ == "dobj"), None)
    if found is None:
        return None
    return found if found.lower_ in WEAPON_NOUNS | tr.ARMS_WORDS else None


def _holders_and_places(
    state: ArticleState, unit: ParsedUnit, verb: Token
) -> tuple[list[str], list[str]]:
    """Who holds them ('in Hamas's depots', 'in the hands of the rebels', 'with the
    Taliban') and where ('in northern Gaza')."""
    holders: list[str] = []
    places: list[str] = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in HELD_PREPS:
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            found = _held_by(state, unit, pobj)
            holders += [a for a in found if not is_place(state, a) and a not in holders]
            places += [a for a in _places_under(state, unit, pobj) if a not in places]
    return holders, places


def _held_by(state: ArticleState, unit: ParsedUnit, pobj: Token) -> list[str]:
    if pobj.lower_ not in tr.HOLDING_NOUNS:
        return phrase_actors(state, unit, pobj)  # "found with the Taliban"
    owners = [c for c in pobj.children if c.dep_ in ("poss", "compound")]
    owners += [g for c in pobj.children if c.lower_ == "of" for g in c.children]
    return [a for owner in owners for a in phrase_actors(state, unit, owner)]


def _places_under(state: ArticleState, unit: ParsedUnit, pobj: Token) -> list[str]:
    near = prep_actors(state, unit, pobj, ("in", "at", "near"))
    return [a for a in near if is_place(state, a)]


def _as_written(unit: ParsedUnit, weapons: Token) -> str:
    """The weapons' phrase as written, without its article and its maker ('Fagot and
    Kornet anti-tank missiles')."""
    skip = {t.i for t in weapons.subtree if t.dep_ == "det"}
    for made in (c for c in weapons.children if c.lower_ in MADE_WORDS):
        skip |= {t.i for t in made.subtree}
    skip |= {t.i for t in weapons.subtree if t.dep_ in ("prep", "relcl", "acl")}
    skip |= {d.i for t in weapons.subtree if t.dep_ in ("prep", "relcl", "acl") for d in t.subtree}
    kept = [t for t in weapons.subtree if t.i not in skip]
    return unit.doc[kept[0].i : kept[-1].i + 1].text if kept else weapons.text


def _maker(state: ArticleState, unit: ParsedUnit, weapons: Token) -> str | None:
    """The country that made them: 'Russian-made', 'made in Russia'."""
    for made in (c for c in weapons.children if c.lower_ in MADE_WORDS):
        for word in made.subtree:
            actor = unit.actor_of(word)
            if actor is not None and state.extraction.actors[actor].kind == COUNTRY:
                return state.extraction.actors[actor].key
    return None
