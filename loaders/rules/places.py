"""Towns: names the NER missed or took for a person that are places, and one
actor for a town name throughout an article.

"Near Al Shadaddi", "Raqqah, Syria", "the village of X", "rebel-held X",
"families who fled X": where a place is expected, a name is a town.
"""

from __future__ import annotations

from spacy.tokens import Token

from communique.loaders.lexicon.gazetteer import Gazetteer
from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import ORGANIZATION, PERSON, PLACE, Actor, Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.rules.names import looks_like_name

LEADING_NOISE = word_set("leading_noise")
NAME_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
PLACE_ONLY_WORDS = word_set("place_only_words")
FLED_VERBS = word_set("fled_verbs")
PLACE_NOUNS = word_set("place_nouns")


def one_actor_per_town_name(units: list[ParsedUnit], extraction: Extraction) -> None:
    """A name read as a town in one sentence ('near Raqqah') and as a person or a group
    in another ('to isolate Raqqah') is the town throughout the article."""
    towns = {a.label: a.actor_id for a in extraction.actors.values() if a.kind == PLACE}
    renamed = {
        actor.actor_id: towns[actor.label]
        for actor in extraction.actors.values()
        if actor.kind in (PERSON, ORGANIZATION)
        and actor.key == actor.label
        and actor.label in towns
    }
    if not renamed:
        return
    extraction.mentions[:] = list(
        dict.fromkeys((renamed.get(a, a), span) for a, span in extraction.mentions)
    )
    for old in renamed:
        del extraction.actors[old]
    for unit in units:
        for i, actor_id in unit.actor_at.items():
            unit.actor_at[i] = renamed.get(actor_id, actor_id)


def untagged_towns(
    unit: ParsedUnit, gazetteer: Gazetteer, countries: set[str], extraction: Extraction
) -> None:
    """A capitalised name the NER missed that is a town of a country the article names,
    or that follows 'near', 'outside' or 'around'."""
    doc = unit.doc
    i = 0
    while i < len(doc):
        token = doc[i]
        if i in unit.actor_at or token.pos_ != "PROPN" or token.ent_type_:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(doc)
            and doc[j + 1].pos_ == "PROPN"
            and j + 1 not in unit.actor_at
            and not doc[j + 1].ent_type_
        ):
            j += 1
        start = i
        while start < j and doc[start].lower_ in PLACE_ONLY_WORDS:
            start += 1  # "Near Al Huwayjah" at the start of a sentence is all PROPN
        after_place_word = start > i or (i > 0 and doc[i - 1].lower_ in PLACE_ONLY_WORDS)
        text = doc[start : j + 1].text
        country = gazetteer.city_country(text)
        if (country in countries or after_place_word) and looks_like_name(text):
            unit.record(
                doc[start],
                doc[j],
                Actor(PLACE, text, text, PLACE, located_in=country),
                extraction,
            )
        i = j + 1


def town_in_place_phrase(text: str, first: Token, last: Token, gazetteer: Gazetteer) -> str | None:
    """The country of a town named where a place is expected (after a preposition); ""
    for a town the gazetteer does not know after 'near', 'outside', 'the city of' …"""
    town = gazetteer.city_country(text)
    before = first.doc[first.i - 1].lower_ if first.i > 0 else ""
    if town is not None and (first.dep_ == "pobj" or before in LEADING_NOISE):
        return town
    if before in PLACE_ONLY_WORDS or (before == "of" and _after_place_noun(first)):
        return town or ""
    if before == "held" and first.i > 1 and first.doc[first.i - 2].text == "-":
        return town or ""  # "rebel-held Karabilah"
    if _next_to_a_place(first, last, gazetteer):
        return town or ""
    if last.dep_ == "dobj" and last.head.lemma_ in FLED_VERBS:
        return town or ""  # "families who fled Umm Rumaylah"
    return None


def _next_to_a_place(first: Token, last: Token, gazetteer: Gazetteer) -> bool:
    """'Raqqah, Syria' (but not a list: 'Lavrov, France and Germany'), 'Mosul and
    Raqqah': a name written as a town beside a place."""
    doc = first.doc
    country = last.i + 2
    if (
        country < len(doc)
        and doc[last.i + 1].text == ","
        and doc[country].ent_type_ == "GPE"
        and not _modifies_a_later_word(doc[country])
    ):
        after = [t.lower_ for t in doc[country + 1 : country + 3]]
        in_a_list = after[:1] in (["and"], ["or"], ["'s"], ["’s"]) or (
            after[:1] == [","]
            and (after[1:] in (["and"], ["or"]) or doc[country + 2].ent_type_ in NAME_TYPES)
        )
        if not in_a_list:
            return True
    siblings = [last.head] if last.dep_ == "conj" else []
    siblings += [c for c in last.children if c.dep_ == "conj"]
    return any(_is_town_token(t, gazetteer) for t in siblings)


def _modifies_a_later_word(token: Token) -> bool:
    """'Ruiz, Chilean Southern Command chief': the country names whose command it
    is, so the name before the comma is not a town in that country."""
    return token.head.i > token.i and token.dep_ in ("compound", "amod", "nmod", "poss")


def _is_town_token(token: Token, gazetteer: Gazetteer) -> bool:
    return token.ent_type_ in ("GPE", "LOC", "FAC") and gazetteer.lookup(token.text) is None


def _after_place_noun(first: Token) -> bool:
    """'the village of X', 'the city of X'."""
    return first.i > 1 and first.doc[first.i - 2].lower_ in PLACE_NOUNS
