"""Finding the actors an article names, and every span that names them.

Sources, in order of trust: the gazetteer's EntityRuler (countries by name
or demonym, known organisations), then spaCy's statistical NER (persons,
other organisations, places). On top of the entities:
- a demonym or country name before a word such as "government", "forces"
  or "officials" names that country's government body ("the Syrian
  government", "Iraqi forces");
- a compass word before a country names a region of it ("northern Iraq");
- a capital that acts as a subject names its country ("Moscow insists");
- a capitalised word before a weapon noun is a weapon, not a person.
Mentions of groups ("Kurdish fighters", "ministers of the Arab League") are
found in ``groups``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from communique.loaders.lexicon.events import NOUN_TRIGGERS, VERB_FRAMES
from communique.loaders.lexicon.gazetteer import COUNTRY, Entry, Gazetteer, RoleTitle, normalise
from communique.loaders.lexicon.patterns import org_class_patterns
from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import COUNTRY as COUNTRY_KIND
from communique.loaders.model import ORGANIZATION, PERSON, PLACE, Actor, Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.nlp.pipeline import set_in_capitals, spells_a_word
from communique.loaders.rules.groups import coalition_of_its_time, group_phrases, representatives
from communique.loaders.rules.names import PersonResolver, looks_like_name
from communique.loaders.rules.places import (
    LEADING_NOISE,
    one_actor_per_town_name,
    town_in_place_phrase,
    untagged_towns,
)
from communique.loaders.rules.state import ArticleState

NER_KINDS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE}
GOVERNMENT_NOUNS = word_set("government_nouns")
MILITARY_NOUNS = word_set("military_nouns")
WORLD_REGIONS = word_set("world_regions")
COMPASS = word_set("compass")
WEAPON_NOUNS = word_set("weapon_nouns")
SHIP_PREFIXES = word_set("ship_prefixes")
NEEDS_THE = tuple(word_set("needs_the"))
HONORIFIC_WORDS = word_set("honorific_words")
HONORIFICS = re.compile(
    r"^(?:(?:" + "|".join(sorted(HONORIFIC_WORDS)) + r")\.?\s+)+(?=[A-Z])",
    re.IGNORECASE,
)
NOT_ORGANIZATIONS = word_set("not_organizations")
ROLES_OVER_ORGANISATIONS = word_set("roles_over_organisations")
PLACE_STRIKE_NOUNS = word_set("place_strike_nouns")
MAX_ABBREVIATION = 6  # letters: "FNL", "ADF", "AQAP"
OFFICE_OF_REACH = 4  # words of a title before "of" ("deputy minister of state of")
ORG_CLASS_WORDS = org_class_patterns()


def find_mentions(state: ArticleState) -> None:
    """Fill the extraction with actors and mentions, and mark them on the tokens."""
    units, gazetteer, extraction = state.units, state.gazetteer, state.extraction
    persons = PersonResolver()
    for unit in units:
        _portfolio_holders(unit, gazetteer, persons, extraction)
        for ent in unit.doc.ents:
            _mention_for_entity(unit, ent, gazetteer, persons, extraction)
    for unit in units:
        _titled_names(unit, gazetteer, persons, extraction)
        _untagged_surnames(unit, persons, extraction)
        _untagged_abbreviations(unit, extraction)
    mentioned = {a.key for a in extraction.actors.values() if a.kind == COUNTRY_KIND}
    for unit in units:
        untagged_towns(unit, gazetteer, mentioned, extraction)
        group_phrases(unit, extraction)
        representatives(unit, extraction)
    one_actor_per_town_name(units, extraction)
    coalition_of_its_time(units, extraction)
    extraction.mentions.sort(key=lambda mention: (mention[1].start, mention[1].end))


def _portfolio_holders(
    unit: ParsedUnit, gazetteer: Gazetteer, persons: PersonResolver, extraction: Extraction
) -> None:
    """'Minister for Africa Pablo Ortega', 'Envoy for Syria Ana Ruiz': the
    office's region or country, then its holder (the NER runs the two together)."""
    doc = unit.doc
    for token in unit.tokens_with(gazetteer.role_words):
        start = _after_for(token)
        if start is None:
            continue
        portfolio = _portfolio_at(doc, start, gazetteer)
        if portfolio is None:
            continue
        end, place = portfolio
        last = end
        while last < len(doc) and last - end < 3 and _may_be_a_name_word(doc[last]):
            last += 1
        if last - end < 2:
            continue  # a given name and a surname at least
        unit.record(doc[start], doc[end - 1], place, extraction)
        name = persons.resolve(doc[end:last].text)
        unit.record(doc[end], doc[last - 1], Actor(PERSON, name, name, PERSON), extraction)


def _may_be_a_name_word(token: Token) -> bool:
    """A capitalised proper noun that no place claims ('Kenya' in a headline's
    'Minister For Africa Visits Kenya' is not part of a name, nor is 'Visits')."""
    return (
        token.is_title
        and token.is_alpha
        and token.pos_ == "PROPN"
        and token.ent_type_ not in ("GPE", "LOC", "NORP", "FAC")
    )


def _after_for(role: Token) -> int | None:
    """Where the portfolio starts in 'Minister [of State] for [the] …'."""
    doc, i = role.doc, role.i + 1
    if [t.lower_ for t in doc[i : i + 2]] == ["of", "state"]:
        i += 2
    if i >= len(doc) or doc[i].lower_ != "for":
        return None
    i += 1
    return i + 1 if i < len(doc) and doc[i].lower_ == "the" else i


def _portfolio_at(doc: Doc, start: int, gazetteer: Gazetteer) -> tuple[int, Actor] | None:
    """The longest region or country named from ``start`` (its end and its actor)."""
    for length in (3, 2, 1):
        words = doc[start : start + length]
        if len(words) < length or not all(t.is_title for t in words):
            continue
        entry = gazetteer.lookup(words.text)
        if entry is not None and entry.kind == COUNTRY:
            return start + length, country_actor(entry)
        if normalise(words.text) in WORLD_REGIONS:
            return start + length, Actor(PLACE, words.text, words.text, PLACE)
    return None


def _titled_names(
    unit: ParsedUnit, gazetteer: Gazetteer, persons: PersonResolver, extraction: Extraction
) -> None:
    """Capitalised names right after a role title are persons, even when the NER missed
    them ('President Ana Ruiz')."""
    doc = unit.doc
    for token in unit.tokens_with(gazetteer.role_words):
        if token.i + 1 >= len(doc) or token.lower_ not in gazetteer.role_words:
            continue
        first = token.i + 1
        last = first
        while (
            last < len(doc)
            and doc[last].pos_ == "PROPN"
            and doc[last].text[:1].isupper()
            and last not in unit.actor_at
            and not doc[last].ent_type_
        ):
            last += 1
        if last - first >= 2:  # a given name and a surname at least
            name = persons.resolve(doc[first:last].text)
            unit.record(doc[first], doc[last - 1], Actor(PERSON, name, name, PERSON), extraction)


def _untagged_surnames(unit: ParsedUnit, persons: PersonResolver, extraction: Extraction) -> None:
    """A known person's surname that the NER missed ('Okafor, according to …')."""
    for token in unit.tokens_with(persons.name_words()):
        if (
            token.i in unit.actor_at
            or token.pos_ not in ("PROPN", "NOUN")
            or not token.text[:1].isupper()
        ):
            continue
        full = persons.known(token.text)
        if full is not None:
            unit.record(token, token, Actor(PERSON, full, full, PERSON), extraction)


def _untagged_abbreviations(unit: ParsedUnit, extraction: Extraction) -> None:
    """An abbreviation the NER missed that acts: 'an attack by the FNL'. A word of
    two to six capital letters after the 'by' of an act the event lexicon reads is
    an organisation (device acronyms such as 'IED' aside). As the subject of any
    verb, or after any 'by', it fired on 13 of 1,130 texts and was right on 4
    ('owned by … LLC', 'the CEO said')."""
    for token in unit.doc:
        if token.i in unit.actor_at or token.ent_type_ or not _abbreviation(token.text):
            continue
        if token.lower_ in NOT_ORGANIZATIONS or token.lower_ in WEAPON_NOUNS:
            continue
        by = token.head
        if token.dep_ == "pobj" and by.lower_ == "by" and _states_an_event(by.head):
            actor = Actor(ORGANIZATION, token.text, token.text, _org_class(token.text))
            unit.record(token, token, actor, extraction)


def _states_an_event(word: Token) -> bool:
    """A verb or noun the event lexicon reads ('attack', 'shelled'): who does it by
    is an actor, where 'owned by' or 'defined by' need not be."""
    return (
        word.lemma_ in VERB_FRAMES or word.lemma_ in NOUN_TRIGGERS or word.lower_ in NOUN_TRIGGERS
    )


def _abbreviation(word: str) -> bool:
    return 2 <= len(word) <= MAX_ABBREVIATION and word.isalpha() and word.isupper()


def _mention_for_entity(
    unit: ParsedUnit,
    ent: SpacySpan,
    gazetteer: Gazetteer,
    persons: PersonResolver,
    extraction: Extraction,
) -> None:
    tokens = _trim(ent)
    if not tokens or _dangling_of(tokens):
        return  # "the Government of" + "Iraq": the country's mention makes the body
    if any(t.i in unit.actor_at for t in tokens):
        return  # read already, as an office's portfolio and its holder
    if spells_a_word(ent.text) and set_in_capitals(unit.doc):
        return  # "THE END OF IS IS NEAR": in a shouted headline 'IS' is the verb
    first, last = tokens[0], tokens[-1]
    entry = gazetteer.by_id(ent.ent_id_) if ent.ent_id_ else None
    if entry is None and ent.label_ in ("GPE", "NORP", "ORG"):
        entry = gazetteer.lookup(unit.doc[first.i : last.i + 1].text)
    if entry is not None and entry.kind == COUNTRY:
        _country_mention(unit, first, last, entry, gazetteer, extraction)
        return
    if entry is not None:
        unit.record(first, last, org_actor(entry), extraction)
        return
    actor = _ner_actor(unit, ent.label_, first, last, gazetteer, persons)
    if actor is not None:
        unit.record(first, last, actor, extraction)


def _country_mention(
    unit: ParsedUnit,
    first: Token,
    last: Token,
    entry: Entry,
    gazetteer: Gazetteer,
    extraction: Extraction,
) -> None:
    body = _government_body(unit, first, last, entry)
    if body is not None:
        actor, span_last = body
        unit.record(first, span_last, actor, extraction)
        return
    body_of = _body_of_country(unit, first, entry)
    if body_of is not None:
        actor, span_first = body_of
        unit.record(span_first, last, actor, extraction)
        return
    region_start = first.nbor(-1) if first.i > 0 else None
    if region_start is not None and region_start.lower_ in COMPASS:
        text = unit.doc[region_start.i : last.i + 1].text
        place = Actor(PLACE, text, text, PLACE, located_in=entry.key)
        unit.record(region_start, last, place, extraction)
        return
    is_name = not gazetteer.is_demonym(entry, unit.doc[first.i : last.i + 1].text)
    unit.record(first, last, country_actor(entry), extraction, is_name=is_name)


def _dangling_of(tokens: list[Token]) -> bool:
    """An organisation name the NER cut before its country: 'the Government of'."""
    return len(tokens) >= 2 and tokens[-1].lower_ == "of" and _body_noun(tokens[-2]) is not None


def _body_noun(token: Token) -> str | None:
    noun = token.lower_
    if noun in GOVERNMENT_NOUNS and noun != "ministry":
        return "government"
    return "military" if noun in MILITARY_NOUNS else None


def _body_of_country(unit: ParsedUnit, first: Token, entry: Entry) -> tuple[Actor, Token] | None:
    """'the government of Iraq', 'the Armed Forces of Mali': the country's body, named
    from its noun to the country's name."""
    if first.i < 2 or first.nbor(-1).lower_ != "of":
        return None
    noun = first.nbor(-2)
    kind = _body_noun(noun)
    if kind is None:
        return None
    return _body_actor(entry, kind), noun


def _body_actor(entry: Entry, kind: str) -> Actor:
    name = f"the {entry.label}" if entry.label.startswith(NEEDS_THE) else entry.label
    if kind == "government":
        label, key = f"Government of {name}", f"government-{entry.key.lower()}"
    else:
        label, key = f"Armed forces of {name}", f"armed-forces-{entry.key.lower()}"
    return Actor(ORGANIZATION, key, label, "GovernmentBody", home_country=entry.key)


def _government_body(
    unit: ParsedUnit, first: Token, last: Token, entry: Entry
) -> tuple[Actor, Token] | None:
    """'the Syrian government', 'Iraqi armed forces', 'U.S. officials'."""
    head = last.head
    if last.dep_ not in ("amod", "compound", "nmod") or head.i <= last.i or head.i - last.i > 3:
        return None
    between = unit.doc[last.i + 1 : head.i]
    if any(t.pos_ not in ("ADJ", "NOUN", "PROPN") or t.ent_type_ for t in between):
        return None
    kind = _body_noun(head)
    return (_body_actor(entry, kind), head) if kind is not None else None


def _ner_actor(
    unit: ParsedUnit,
    label: str,
    first: Token,
    last: Token,
    gazetteer: Gazetteer,
    persons: PersonResolver,
) -> Actor | None:
    kind = NER_KINDS.get(label)
    text = unit.doc[first.i : last.i + 1].text
    # "USS John A. Moore" is a ship, not a person or a group
    if kind is None or not looks_like_name(text) or _names_a_ship(first):
        return None
    person = persons.known(text)
    titled = _after_title(first, gazetteer) or HONORIFICS.match(text) is not None
    if person is None and not titled and kind in (PERSON, ORGANIZATION):
        misread = _not_a_holder(text, first, last, kind, gazetteer)
        if misread is not None:
            return misread
    if kind == PERSON:
        if _is_weapon_name(last) or text.isupper() or _only_a_title(first, last, gazetteer):
            return None
        if persons.ambiguous(HONORIFICS.sub("", text)):
            return None  # "Gonzalez" after Maria and Pedro Gonzalez: which one is not said
        name = persons.resolve(HONORIFICS.sub("", text))
        return Actor(PERSON, name, name, PERSON)
    if person is not None:  # the NER sometimes tags a known person's name as ORG or GPE
        return Actor(PERSON, person, person, PERSON)
    if kind == ORGANIZATION:
        if text.lower() in NOT_ORGANIZATIONS or _names_a_weapon(last):
            return None
        return Actor(ORGANIZATION, text, text, _org_class(text))
    capital_of = gazetteer.capital_of(text)
    if capital_of and _acts_as_subject(last):
        return country_actor(gazetteer.country(capital_of))  # type: ignore[arg-type]
    located = gazetteer.city_country(text) if label == "GPE" else None
    return Actor(PLACE, text, text, PLACE, located_in=located)


def _names_a_ship(first: Token) -> bool:
    """The name starts with a ship prefix ('USS', 'HMS', in capitals), or one stands
    before it."""
    before = first.doc[first.i - 1] if first.i > 0 else None
    return any(
        t is not None and t.text.isupper() and t.lower_ in SHIP_PREFIXES for t in (first, before)
    )


def _after_title(first: Token, gazetteer: Gazetteer) -> bool:
    """'Gen. Pablo Ortega', 'President Madison': a rank, a courtesy title or a capitalised
    office before a name makes it a person's, never a town's (even where a town has it)."""
    if first.i == 0:
        return False
    before = first.doc[first.i - 1]
    rank = before.text.rstrip(".").lower() in HONORIFIC_WORDS and before.text[:1].isupper()
    return rank or (before.lower_ in gazetteer.role_words and before.is_title)


def _not_a_holder(
    text: str, first: Token, last: Token, kind: str, gazetteer: Gazetteer
) -> Actor | None:
    """A place or a body the NER took for a person or a group: a town in a place
    phrase ("near Kafr Nabl", "in Umm Qasr"), or what an office is of ("prime
    minister of Belmora", "chief of Clan Donald"), or what is shelled or besieged ("the
    shelling of Kiryat Shmona")."""
    town = town_in_place_phrase(text, first, last, gazetteer)
    if town is not None:
        return Actor(PLACE, text, text, PLACE, located_in=town or None)
    if _struck_by_name(last):
        return Actor(PLACE, text, text, PLACE)
    office = _office_of(first, gazetteer) if kind == PERSON else None
    if office is None:
        return None
    if office.role.lower() in ROLES_OVER_ORGANISATIONS:
        return Actor(ORGANIZATION, text, text, _org_class(text))
    return Actor(PLACE, text, text, PLACE)


def _struck_by_name(last: Token) -> bool:
    """'the shelling of <name>', 'the siege of <name>': the name's phrase is the 'of'
    object of an attack that strikes places."""
    of = last.head if last.dep_ == "pobj" else None
    return of is not None and of.lower_ == "of" and of.head.lower_ in PLACE_STRIKE_NOUNS


def _office_of(first: Token, gazetteer: Gazetteer) -> RoleTitle | None:
    """The office written right before '<first>' and joined to it by 'of' ('the leader
    of Frente Azul'), if there is one."""
    doc, i = first.doc, first.i - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 1 or doc[i].lower_ != "of":
        return None
    words = [t.lower_ for t in doc[max(i - OFFICE_OF_REACH, 0) : i]]
    for start in range(len(words)):
        role = gazetteer.roles.get(" ".join(words[start:]))
        if role is not None:
            return role
    return None


def _only_a_title(first: Token, last: Token, gazetteer: Gazetteer) -> bool:
    """'King of' (from 'the King of Jordan', its country taken by the gazetteer): an
    office and its preposition, no name."""
    words = [t for t in first.doc[first.i : last.i + 1] if not t.is_lower]
    return not words or all(t.lower_ in gazetteer.role_words for t in words)


def country_actor(entry: Entry) -> Actor:
    return Actor(
        COUNTRY_KIND,
        entry.key,
        entry.label,
        COUNTRY_KIND,
        wikidata=entry.wikidata,
        country_code=entry.key,
    )


def org_actor(entry: Entry) -> Actor:
    return Actor(
        ORGANIZATION,
        entry.key,
        entry.label,
        entry.org_class or ORGANIZATION,
        wikidata=entry.wikidata,
        home_country=entry.country,
    )


def _trim(ent: SpacySpan) -> list[Token]:
    """The entity's tokens without a leading 'the', spaces, a trailing possessive or
    trailing punctuation (the NER sometimes takes in the sentence's full stop)."""
    tokens = list(ent)
    while tokens and (tokens[0].lower_ in LEADING_NOISE or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (
        tokens[-1].tag_ == "POS"
        or tokens[-1].is_space
        or tokens[-1].text in ("'", "’")
        or (tokens[-1].is_punct and tokens[-1].text not in (")", "]"))
    ):
        tokens = tokens[:-1]
    return tokens


def _is_weapon_name(last: Token) -> bool:
    """'Fagot' in 'Fagot and Kornet anti-tank missiles' names a weapon."""
    head = last
    for _ in range(3):
        if head.lower_ in WEAPON_NOUNS:
            return True
        if head.head is head:
            break
        head = head.head
    return False


def _names_a_weapon(last: Token) -> bool:
    """'Leopard' in 'Leopard tanks': a name that qualifies a weapon noun ('Hamas
    fighters' are people, not jets)."""
    head = last.head
    return (
        last.dep_ == "compound"
        and head.i > last.i
        and head.lower_ in WEAPON_NOUNS - {"fighter", "fighters", "system", "systems"}
    )


def _acts_as_subject(token: Token) -> bool:
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")


def _org_class(name: str) -> str:
    for pattern, dip_class in ORG_CLASS_WORDS:
        if pattern.search(name):
            return dip_class
    return ORGANIZATION
