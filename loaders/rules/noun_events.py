"""Events stated by a noun: "talks in Moscow", "a visit here by Saltanov", "Israeli
strikes", "an aid package for Kenya".

The noun's own phrase names the actors where it can (modifiers, "by", "of",
"between", "with" …); otherwise its light verb ("held talks"), the verb it takes
part in ("took part in the offensive") or the clause that governs it does.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from communique.classes import EventClass as EC
from communique.loaders.lexicon import events as tr
from communique.loaders.model import Event
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.rules.arguments import (
    is_armed,
    is_place,
    is_town,
    phrase_actors,
    prep_actors,
    prep_objects,
    subject_actors,
    subject_of,
)
from communique.loaders.rules.event_frames import new_event
from communique.loaders.rules.groups import ARMED_PEOPLE
from communique.loaders.rules.mentions import MILITARY_NOUNS
from communique.loaders.rules.state import ArticleState


def noun_event(state: ArticleState, unit: ParsedUnit, noun: Token) -> Event | None:
    dip_class = tr.NOUN_TRIGGERS[noun.lower_]
    if noun.lemma_ == "strike" and any(c.lower_ in tr.PROTEST_STRIKES for c in noun.children):
        dip_class = EC.Protest
    # "an aid package for Kenya": the package's phrase is the aid's
    phrase = noun.head if _names_a_bundle(noun) else noun
    light = (
        phrase.head if phrase.dep_ in ("dobj", "nsubjpass") and phrase.head.pos_ == "VERB" else None
    )
    if not _noun_states_event(noun, light, dip_class):
        return None
    event = new_event(state, unit, phrase, dip_class)
    initiators, towns = _modifier_actors(state, unit, phrase, dip_class)
    givers = ("by", "from") if dip_class == EC.Aid else ("by",)
    initiators += [a for a in prep_objects(state, unit, phrase, givers) if a not in initiators]
    members = prep_objects(state, unit, phrase, ("of", "between", "among"))
    partners = prep_objects(state, unit, phrase, _partner_preps(dip_class))
    partners = partners or _sent_to(state, unit, light, dip_class)
    partners = partners or _protest_aim(state, unit, phrase, dip_class)
    hosts: list[str] = []
    if dip_class in tr.CONSULTATIVE:
        # the parser may hang "attended by" on any word of the noun's phrase
        attendees = _named_by_participle(state, unit, list(noun.subtree), {"attend"})
        hosts = _named_by_participle(state, unit, list(noun.children), tr.HOSTING_PARTICIPLES)
        members += [a for a in attendees if a not in members]
        partners += [h for h in hosts if h not in partners]
    hosted_here = light is not None and light.lemma_ == "host"
    event.hosted = bool(hosts) or hosted_here
    if dip_class == EC.Support:  # "in support of X": X is supported, not a member
        members, partners = [], members + partners
    struck_towns = _towns_of(state, unit, phrase) if dip_class == EC.Assault else []
    if noun.lower_ in tr.NEEDS_OF_TARGET and not members and not struck_towns:
        return None  # "the destruction of chemical weapons": nobody and nowhere is hit
    if noun.lower_ in tr.TARGET_OF_NOUNS:  # "the destruction of Hamas positions"
        members, partners = [], members + partners
    if not initiators and hosted_here:  # the host receives; it is not who comes
        initiators, partners = _initiators_from_verb(state, unit, phrase, light, partners)
    elif not initiators:
        initiators, partners = _initiators_around(
            state, unit, phrase, light, dip_class, members, partners
        )
    if not partners and dip_class in tr.TARGET_ONLY:
        partners = _targets_below(state, unit, light if light is not None else noun)
    towns += [t for t in struck_towns + _attacked_towns(state, unit, noun, dip_class)]
    towns = list(dict.fromkeys(towns))
    event.initiators = initiators
    event.participants = members
    event.recipients = [p for p in partners if p not in initiators]
    if towns:
        event.location, event.other_locations = towns[0], towns[1:]
    if dip_class == EC.ArmsTransfer:
        event.weapon = " ".join(t.text for t in noun.children if t.lower_ in tr.ARMS_WORDS)
    return event


def _names_a_bundle(noun: Token) -> bool:
    """'aid' in 'a military aid package', 'an aid shipment': what the bundle holds."""
    return noun.dep_ == "compound" and noun.head.lower_ in tr.BUNDLE_NOUNS


def _towns_of(state: ArticleState, unit: ParsedUnit, noun: Token) -> list[str]:
    """'the shelling of Homs', 'the bombardment of the town of Tacna': the towns an
    attack noun's 'of' phrase names are where it struck."""
    return [a for a in prep_actors(state, unit, noun, ("of",)) if is_town(state, a)]


def _attacked_towns(
    state: ArticleState, unit: ParsedUnit, noun: Token, dip_class: str
) -> list[str]:
    """'an assault on the town of Tacna': where the attack happens."""
    if dip_class != EC.Assault:
        return []
    struck = prep_actors(state, unit, noun, ("on", "against", "into"))
    return [a for a in struck if is_town(state, a)]


def _sent_to(
    state: ArticleState, unit: ParsedUnit, light: Token | None, dip_class: str
) -> list[str]:
    """Who receives what is given, where the parser hung the 'to' phrase on the light
    verb: 'by halting arms shipments to Hamas'."""
    if light is None or dip_class not in (EC.ArmsTransfer, EC.Aid):
        return []
    return prep_objects(state, unit, light, ("to",))


def _protest_aim(state: ArticleState, unit: ParsedUnit, noun: Token, dip_class: str) -> list[str]:
    """Who a protest against a deed is aimed at: 'demonstrations against abuses by the
    Chilean army'."""
    if dip_class != EC.Protest:
        return []
    deeds = [p for c in noun.children if c.lower_ == "against" for p in c.children]
    return [a for deed in deeds for a in prep_objects(state, unit, deed, ("by",))]


def _put_on_alert(state: ArticleState, unit: ParsedUnit, alert: Token) -> list[str]:
    """Who is on alert: 'Peru put its army on high alert', 'Chilean troops remained on
    alert'."""
    verb = alert.head.head
    placed = [a for c in verb.children if c.dep_ == "dobj" for a in phrase_actors(state, unit, c)]
    subject = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    return placed or (subject_actors(state, unit, subject) if subject is not None else [])


def _named_by_participle(
    state: ArticleState, unit: ParsedUnit, words: list[Token], lemmas: set[str]
) -> list[str]:
    """The 'by' actors of participles among the words: 'a summit … attended by leaders
    from Jordan', 'the summit, convened by Norway'."""
    return [
        actor
        for participle in words
        if participle.dep_ == "acl" and participle.lemma_ in lemmas
        for actor in prep_objects(state, unit, participle, ("by",))
    ]


def _initiators_around(
    state: ArticleState,
    unit: ParsedUnit,
    noun: Token,
    light: Token | None,
    dip_class: str,
    members: list[str],
    partners: list[str],
) -> tuple[list[str], list[str]]:
    """(initiators, partners) of a noun event that names none of its own: from the
    phrase it supports, its light verb, or the clause that governs it."""
    initiators = _supporters_named_before(state, unit, noun) if dip_class == EC.Support else []
    if not initiators:
        initiators, partners = _initiators_from_verb(state, unit, noun, light, partners)
    if not initiators and not members and partners and dip_class in tr.GOVERNED_NOUN_CLASSES:
        initiators = _governing_subject(state, unit, noun)
    if not initiators and noun.lower_ == "alert":
        initiators = _put_on_alert(state, unit, noun)
    if not initiators and noun.lower_ in tr.NEEDS_AGAINST:
        initiators = _armed_governing_subject(state, unit, noun)
    if not initiators and not members and not partners and noun.lower_ in tr.FIGHTING_NOUNS:
        initiators = _armed_governing_subject(state, unit, noun, military_subject=True)
    return initiators, partners


def _modifier_actors(
    state: ArticleState, unit: ParsedUnit, noun: Token, dip_class: str
) -> tuple[list[str], list[str]]:
    """(initiators, towns) named before the noun: "Lavrov's visit", "Israeli strikes",
    "the Paris meeting" (a town says where it is held). A possessive names who acts
    ("Ethiopia's visit to Kenya"), whatever the event, unless it is a town ("Homs's
    bombardment" is where it happened); a modifier or compound names who acts only
    when it can ("the Kenya visit" is where one goes)."""
    owners = [a for c in noun.children if c.dep_ == "poss" for a in phrase_actors(state, unit, c)]
    modifiers = [
        a
        for c in noun.children
        if c.dep_ in ("amod", "compound", "nmod")
        for a in phrase_actors(state, unit, c)
    ]
    initiators = [a for a in owners if not is_town(state, a)]
    initiators += [a for a in modifiers if _can_act_from_modifier(state, a, dip_class)]
    towns = [a for a in owners + modifiers if is_town(state, a)]
    return list(dict.fromkeys(initiators)), list(dict.fromkeys(towns))


def _can_act_from_modifier(state: ArticleState, actor_id: str, dip_class: str) -> bool:
    """'Geneva talks', 'the Syria talks' name a place or a topic; 'UK support', 'Israeli
    strikes', 'Russian aid' name who gives or strikes."""
    if not is_place(state, actor_id):
        return True
    return not is_town(state, actor_id) and dip_class in tr.COUNTRY_MODIFIER_ACTS


def _noun_states_event(noun: Token, light: Token | None, dip_class: str) -> bool:
    """Whether the noun, with its light verb and its phrases, states an event."""
    if noun.lower_ in tr.NEEDS_LIGHT_VERB and not _is_light_verb(light):
        return False
    if noun.lower_ == "alert":  # "troops remained on alert", not "a travel alert"
        return noun.dep_ == "pobj" and noun.head.lower_ == "on"
    if noun.lower_ in tr.NEEDS_AGAINST and not _has_prep(noun, "against"):
        return False
    if dip_class == EC.Support:
        in_support_of = noun.dep_ == "pobj" and noun.head.lower_ == "in" and _has_prep(noun, "of")
        return in_support_of or (light is not None and light.lemma_ in tr.SUPPORT_VERBS)
    return dip_class != EC.ArmsTransfer or _has_arms_modifier(noun)


def _is_light_verb(verb: Token | None) -> bool:
    """A verb that makes its noun happen ('held talks'); the lemmatizer turns 'staged'
    into 'stag', so a lost final e is put back."""
    if verb is None:
        return False
    lemma = verb.lemma_
    return lemma in tr.LIGHT_VERBS or (verb.lower_.endswith("ed") and lemma + "e" in tr.LIGHT_VERBS)


def _partner_preps(dip_class: str) -> tuple[str, ...]:
    if dip_class in (EC.Support, EC.Aid):  # "aid for Kenya"; "aid from Norway" names the giver
        return ("for", "to")
    if dip_class in tr.TARGETED_NOUN_CLASSES:  # "attacks on Hamas", "sanctions on Iran"
        return ("with", "to", "against", "from", "on")
    return ("with", "to", "against", "from")


def _targets_below(state: ArticleState, unit: ParsedUnit, head: Token) -> list[str]:
    """'conducted strikes coordinated with Iraq against ISIL targets': an 'against'
    phrase the parser hung lower in the attack's clause still names its target."""
    return [
        a
        for token in head.subtree
        if token.dep_ == "prep" and token.lower_ == "against"
        for pobj in token.children
        if pobj.dep_ == "pobj"
        for a in phrase_actors(state, unit, pobj)
        if not is_town(state, a)
    ]


def _has_prep(head: Token, word: str) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == word for c in head.children)


def _supporters_named_before(state: ArticleState, unit: ParsedUnit, noun: Token) -> list[str]:
    """'the Malian army, local militias and more groups in support of the mission': the
    phrase the 'in support of' belongs to supports."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "in":
        return []
    owner = noun.head.head
    if owner.pos_ not in ("NOUN", "PROPN"):
        return []
    while owner.dep_ == "conj" and owner.head is not owner:
        owner = owner.head  # the list's first item: its conjuncts follow from it
    return phrase_actors(state, unit, owner)


def _initiators_from_verb(
    state: ArticleState, unit: ParsedUnit, noun: Token, light: Token | None, partners: list[str]
) -> tuple[list[str], list[str]]:
    """(initiators, partners) from the verb that makes the noun happen: 'X held talks',
    'X hosted talks' (X is a partner), 'X and Y took part in the offensive'."""
    verb = light if _is_light_verb(light) else None
    verb = verb or _participation_verb(noun)
    subject = subject_of(verb) if verb is not None else None
    if verb is None or subject is None:
        return [], partners
    subjects = subject_actors(state, unit, subject)
    if verb.lemma_ == "host":
        return [], subjects + partners
    return subjects, partners


def _participation_verb(noun: Token) -> Token | None:
    """'taking part in the offensive', 'participated in the talks': the verb."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "in":
        return None
    verb = noun.head.head
    if verb.lemma_ not in tr.PARTICIPATION_VERBS:
        return None
    if verb.lemma_ == "take" and not any(c.lower_ == "part" for c in verb.children):
        return None
    return verb


def _has_arms_modifier(noun: Token) -> bool:
    return any(
        c.lower_ in tr.ARMS_WORDS for c in noun.children if c.dep_ in ("compound", "amod", "nmod")
    )


def _governing_subject(state: ArticleState, unit: ParsedUnit, noun: Token) -> list[str]:
    """'X spoke to reporters after a meeting with Y': X took part in the meeting. A verb that only
    describes a noun ('raids carried out in support of Y') passes the
    question on to the verb of that noun ('X conducted strikes')."""
    subject = _subject_above(noun, 6, lambda verb: verb.dep_ == "acl")
    return phrase_actors(state, unit, subject) if subject is not None else []


def _armed_governing_subject(
    state: ArticleState, unit: ParsedUnit, noun: Token, military_subject: bool = False
) -> list[str]:
    """'Malian troops and allied militias were accused of abuses during operations
    against Ansar Dine': armed sides the clause is about are the ones in the fight (a minister who
    speaks of 'the campaign against Ansar Dine' is not). Non-finite verbs pass the question on
    ('accused of committing abuses during …'). With ``military_subject``, a subject that is
    troops or fighters of any actor counts too ('after days of fighting in Gao, the coalition
    troops moved north')."""
    subject = _subject_above(noun, 8, lambda verb: verb.tag_ in ("VBG", "VBN", "VB"))
    sides = phrase_actors(state, unit, subject) if subject is not None else []
    if sides and military_subject and subject is not None and subject.lower_ in FIGHTING_PEOPLE:
        return sides
    return sides if sides and all(is_armed(state, s) for s in sides) else []


def _subject_above(noun: Token, steps: int, passes: Callable[[Token], bool]) -> Token | None:
    """The subject of the nearest verb above the noun that has one, climbing through
    subjectless verbs only while ``passes`` says so."""
    current = noun
    for _ in range(steps):
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            subject = subject_of(current)
            if subject is not None:
                return subject
            if not passes(current):
                return None
        if current.head is current:
            break
    return None


FIGHTING_PEOPLE = ARMED_PEOPLE | MILITARY_NOUNS
