"""Building events from their triggers: verb frames, object-conditioned verbs,
noun triggers with their light verbs, and 'alongside' cooperation.

Each builder returns an event with its actors filled in, or None when the
words do not state an event between actors.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from communique.loaders import triggers as tr
from communique.loaders.arguments import (
    ArticleState,
    direct_objects,
    is_armed,
    is_place,
    is_town,
    phrase_actors,
    prep_objects,
    subject_actors,
    subject_of,
    verb_objects,
    verb_subject,
    written_after_towns,
)
from communique.loaders.mentions import ARMED_PEOPLE, MILITARY_NOUNS
from communique.loaders.model import Event
from communique.loaders.parsed import ParsedUnit
from communique.loaders.status import intent_of, status_of

LABEL_TOKENS = 8
LABEL_CHARS = 80
TARGET_PREPS = ("to", "with", "on", "against", "for", "from")
LABEL_PREPS = {"with", "to", "on", "against", "for", "about", "in", "into"}


def verb_event(state: ArticleState, unit: ParsedUnit, verb: Token) -> Event | None:
    dip_class, frame = tr.VERB_FRAMES[verb.lemma_]
    if verb.lemma_ == "call" and not _calls_on_or_for(state, unit, verb):
        return None
    if verb.lemma_ in tr.APPROACH_VERBS and not _approaches_a_place(state, unit, verb):
        return None
    arguments = _verb_arguments(state, unit, verb, frame)
    if arguments is None:
        return None
    if dip_class == "Request" and not arguments[1]:  # "demanded that Peru withdraw"
        arguments = (arguments[0], _asked_to_act(state, unit, verb) or _asked_of(state, unit, verb))
    if verb.lemma_ in tr.NEED_ACTOR_OBJECT and not arguments[1]:
        return None  # "fight illegal fishing", "host a conference": no actor acted upon
    if verb.lemma_ in tr.OWN_OBJECT_VERBS and _object_is_owned_thing(unit, verb):
        return None  # "counter Russia's influence", "confront Peru's claims"
    event = new_event(state, unit, verb, dip_class)
    filled = FRAME_FILLERS[frame](state, unit, verb, event, *arguments)
    if verb.lemma_ in tr.NEEDS_TWO_SIDES and len(event.all_actors()) < 2:
        return None  # "Qatar mediated in the dispute": between whom is not said
    return event if filled else None


def _calls_on_or_for(state: ArticleState, unit: ParsedUnit, verb: Token) -> bool:
    """'called on Iran to …', 'called for talks'; not 'called the minister on Monday'."""
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "for":
            return True
        if prep.lower_ in ("on", "upon") and any(
            phrase_actors(state, unit, p) for p in prep.children if p.dep_ == "pobj"
        ):
            return True
    return False


def _approaches_a_place(state: ArticleState, unit: ParsedUnit, verb: Token) -> bool:
    """'closed in on Gao', 'advanced on Kismayo': the verb's 'on' phrase names a place
    (and 'close' has its 'in')."""
    particle = tr.APPROACH_PARTICLES.get(verb.lemma_)
    if particle and not any(c.lower_ == particle for c in verb.children):
        return False
    return any(
        is_place(state, actor)
        for child in verb.children
        if child.dep_ == "prep" and child.lower_ == "on"
        for pobj in child.children
        if pobj.dep_ == "pobj"
        for actor in phrase_actors(state, unit, pobj)
    )


def _object_is_owned_thing(unit: ParsedUnit, verb: Token) -> bool:
    """The object is something an actor has, not the actor: 'Russia's influence'."""
    direct = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return (
        direct is not None
        and unit.actor_of(direct) is None
        and any(c.dep_ == "poss" for c in direct.children)
    )


def _verb_arguments(
    state: ArticleState, unit: ParsedUnit, verb: Token, frame: str
) -> tuple[list[str], list[str]] | None:
    """(subjects, objects), with the passive turned around; None when nobody acts."""
    subject, passive = verb_subject(verb)
    if subject is None and verb.dep_ == "acl" and verb.tag_ == "VBN":
        subject, passive = verb.head, True  # "fighters, assisted by coalition strikes"
    subjects = subject_actors(state, unit, subject) if subject is not None else []
    objects = verb_objects(state, unit, verb)
    if not passive:
        return subjects, objects
    agent = prep_objects(state, unit, verb, ("by",))
    if frame == tr.MUTUAL and not agent:
        return None  # "relations were discussed": the subject is the topic
    return agent, subjects


def _fill_mutual(
    state: ArticleState,
    unit: ParsedUnit,
    verb: Token,
    event: Event,
    subjects: list[str],
    objects: list[str],
) -> bool:
    direct = [o for o in direct_objects(state, unit, verb) if o not in subjects]
    partners = [o for o in prep_objects(state, unit, verb, ("with", "between")) if o not in direct]
    partners += [o for o in _met_for_this(state, unit, verb) if o not in [*subjects, *direct]]
    event.participants = list(dict.fromkeys(subjects + direct + partners))
    if len(subjects) == 1 and event.participants[1:]:
        event.initiators, event.recipients = subjects, event.participants[1:]
    return bool(event.participants)


def _met_for_this(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    """'met Salas in Quito to discuss Bolivia': whom the meeting the talks are for
    brings together."""
    if verb.dep_ not in ("advcl", "xcomp") or not is_gathering_verb(verb.head):
        return []
    return [a for a in verb_objects(state, unit, verb.head) if not is_place(state, a)]


def is_gathering_verb(verb: Token) -> bool:
    """A verb that brings actors together: 'met', 'visited', 'hosted' …"""
    frame = tr.VERB_FRAMES.get(verb.lemma_)
    return verb.pos_ == "VERB" and frame is not None and frame[0] in tr.CONSULTATIVE


def _fill_host(
    state: ArticleState,
    unit: ParsedUnit,
    verb: Token,
    event: Event,
    subjects: list[str],
    objects: list[str],
) -> bool:
    thing = next((c for c in verb.children if c.dep_ == "dobj"), None)
    words = {t.lower_ for t in thing.subtree} if thing is not None else set()
    if verb.lemma_ == "receive" and thing is not None and words & tr.DELIVERED_WORDS:
        return _fill_received(state, unit, event, verb, thing, words, subjects)
    event.recipients, event.initiators = subjects, objects
    event.hosted = True
    return True


def _fill_received(
    state: ArticleState,
    unit: ParsedUnit,
    event: Event,
    verb: Token,
    thing: Token,
    words: set[str],
    subjects: list[str],
) -> bool:
    """'Ukraine received a shipment of tanks from Germany': a transfer from Germany,
    not a visit."""
    event.dip_class = "ArmsTransfer" if words & tr.ARMS_WORDS else "Aid"
    senders = [a for t in (verb, *thing.subtree) for a in prep_objects(state, unit, t, ("from",))]
    event.initiators = [a for a in dict.fromkeys(senders) if a not in subjects]
    event.recipients = subjects
    if event.dip_class == "ArmsTransfer":
        counted = next((p for c in thing.children if c.lower_ == "of" for p in c.children), None)
        event.weapon = _phrase_text(unit, counted if counted is not None else thing)
    return bool(subjects)


def _fill_act(
    state: ArticleState,
    unit: ParsedUnit,
    verb: Token,
    event: Event,
    subjects: list[str],
    objects: list[str],
) -> bool:
    # "X fought IS alongside Y": Y fights IS too
    subjects = subjects + [
        a for a in prep_objects(state, unit, verb, ("alongside",)) if a not in subjects
    ]
    # "retake Gao", "near Kidal, air strikes engaged …": a town is where it happens
    places = [a for a in (*subjects, *objects) if is_town(state, a)]
    subjects = [s for s in subjects if s not in places]
    qualifiers = written_after_towns(unit, places) if places else set()
    parties = [o for o in objects if o not in places and o not in subjects and o not in qualifiers]
    if not subjects and not (event.dip_class in tr.TARGET_ONLY and (parties or places)):
        return False
    event.initiators = subjects
    event.recipients = parties
    if places:
        event.location, event.other_locations = places[0], places[1:]
    return True


def obligation_event(state: ArticleState, unit: ParsedUnit, must: Token) -> Event | None:
    """'Chile said on Tuesday that Peru must return the helicopter': Chile demands it
    of Peru (the speech is the request; what must be done is only proposed)."""
    clause = must.head
    speech = clause.head
    if must.dep_ != "aux" or clause.dep_ != "ccomp" or speech.lemma_ not in tr.DEMANDING_SPEECH:
        return None
    speaker = subject_of(speech)
    obliged = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if speaker is None or obliged is None:
        return None
    initiators = subject_actors(state, unit, speaker)
    recipients = [a for a in phrase_actors(state, unit, obliged) if a not in initiators]
    if not initiators or not recipients:
        return None
    event = new_event(state, unit, speech, "Request")
    event.initiators, event.recipients = initiators, recipients
    return event


def _asked_of(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    """Whom a request's 'from' phrase names: 'demanded an apology from Peru' (the parser
    hangs it on the verb or on the thing asked for)."""
    heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    return [a for head in heads for a in prep_objects(state, unit, head, ("from",))]


def _asked_to_act(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    """Who is to act in the clause a request names: Peru in 'demanded that Peru
    withdraw'."""
    return [
        actor
        for clause in verb.children
        if clause.dep_ in ("ccomp", "advcl") and clause.pos_ in ("VERB", "AUX")
        for subject in clause.children
        if subject.dep_ == "nsubj"
        for actor in phrase_actors(state, unit, subject)
    ]


def _fill_visit(
    state: ArticleState,
    unit: ParsedUnit,
    verb: Token,
    event: Event,
    subjects: list[str],
    objects: list[str],
) -> bool:
    frame = tr.VERB_FRAMES[verb.lemma_][1]
    destination = _destination(state, unit, verb, frame)
    if (frame == tr.TRAVEL and destination is None) or not subjects:
        return False
    event.initiators = subjects
    if destination is not None:
        event.location = destination
        country = state.country_of(destination)
        host = f"Country:{country}" if country else None
        if host and host not in subjects and host in state.extraction.actors:
            event.recipients = [host]
    event.recipients += [o for o in objects if o not in subjects and o not in event.recipients]
    return True


def _destination(state: ArticleState, unit: ParsedUnit, verb: Token, frame: str) -> str | None:
    for child in verb.children:
        if frame == tr.VISIT and child.dep_ == "dobj":
            actors = phrase_actors(state, unit, child)
            if actors and is_place(state, actors[0]):
                return actors[0]
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "for"):
            for pobj in child.children:
                actors = phrase_actors(state, unit, pobj) if pobj.dep_ == "pobj" else []
                if actors and is_place(state, actors[0]):
                    return actors[0]
        if child.dep_ in ("npadvmod", "advmod") and unit.actor_of(child):
            actor = unit.actor_of(child)
            if actor and is_place(state, actor):
                return actor
    return None


def _fill_transfer(
    state: ArticleState,
    unit: ParsedUnit,
    verb: Token,
    event: Event,
    subjects: list[str],
    objects: list[str],
) -> bool:
    thing = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if thing is None or not subjects:
        return False
    words = {t.lower_ for t in thing.subtree}
    if words & tr.ARMS_WORDS:
        event.dip_class = "ArmsTransfer"
        event.weapon = _phrase_text(unit, thing)
    elif words & tr.AID_WORDS and verb.lemma_ in ("provide", "send", "give", "deliver"):
        event.dip_class = "Aid"
    else:
        return False
    event.initiators = subjects
    targets = prep_objects(state, unit, verb, ("to",)) + prep_objects(state, unit, thing, ("to",))
    event.recipients = [a for a in dict.fromkeys(targets) if a not in subjects]
    return True


FRAME_FILLERS = {
    tr.MUTUAL: _fill_mutual,
    tr.HOST: _fill_host,
    tr.VISIT: _fill_visit,
    tr.TRAVEL: _fill_visit,
    tr.TRANSFER: _fill_transfer,
    tr.ACT: _fill_act,
}


def object_frame_event(state: ArticleState, unit: ParsedUnit, verb: Token) -> Event | None:
    """'blocked roads', 'reduced aid', 'restored ties': the object decides the class."""
    thing = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if thing is None:
        return None
    words = _object_words(thing)
    dip_class = next(
        (cls for objects, cls in tr.OBJECT_FRAMES[verb.lemma_] if words & objects), None
    )
    if dip_class is None or (dip_class == "Assault" and words & tr.NOT_COMBAT):
        return None  # "launched a rescue operation"
    subject, passive = verb_subject(verb)
    subjects = [] if passive or subject is None else phrase_actors(state, unit, subject)
    if not subjects and dip_class not in tr.TARGET_ONLY:
        return None  # "crowds blocked roads against X" still names whom it is aimed at
    event = new_event(state, unit, verb, dip_class)
    event.initiators = subjects
    targets = [
        a
        for c in verb.children
        if c.dep_ in ("dative", "iobj")
        for a in phrase_actors(state, unit, c)
    ]
    targets += prep_objects(state, unit, verb, TARGET_PREPS) + prep_objects(
        state, unit, thing, TARGET_PREPS
    )
    if dip_class == "Protest":
        targets += _protested(state, unit, verb)
    if dip_class == "Sanction":  # "suspended Niger's membership": Niger is sanctioned
        targets += [
            a for c in thing.children if c.dep_ == "poss" for a in phrase_actors(state, unit, c)
        ]
    event.recipients = [a for a in dict.fromkeys(targets) if a not in subjects]
    if verb.lemma_ in tr.MUTUAL_OBJECT_VERBS:  # "India and Pakistan exchanged fire"
        event.participants = list(dict.fromkeys([*subjects, *event.recipients]))
        event.initiators, event.recipients = [], []
    return event


def _protested(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    """Whom a protest is aimed at: 'in defiance of the Chilean authorities', 'to show
    their disapproval of Chile's policies'."""
    return [
        actor
        for token in verb.subtree
        if token.lower_ in tr.PROTEST_AIMS
        for actor in prep_objects(state, unit, token, ("of", "for", "against", "at", "over"))
    ]


def _object_words(thing: Token) -> set[str]:
    """The object and its modifiers, and what it counts ('10 days of war games')."""
    words = {thing.lower_} | {c.lower_ for c in thing.children if c.dep_ in ("compound", "amod")}
    for prep in thing.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for counted in prep.children:
                if counted.dep_ == "pobj":
                    words.add(counted.lower_)
                    words |= {c.lower_ for c in counted.children if c.dep_ == "compound"}
    return words


def alongside_event(state: ArticleState, unit: ParsedUnit, prep: Token) -> Event | None:
    """'a militia chief fighting the rebels alongside Malian troops': they cooperate."""
    verb = prep.head
    subject = subject_of(verb) if verb.pos_ == "VERB" else None
    if subject is None and verb.dep_ == "acl":
        subject = verb.head
    partners = [a for p in prep.children if p.dep_ == "pobj" for a in phrase_actors(state, unit, p)]
    sides = phrase_actors(state, unit, subject) if subject is not None else []
    if not partners or not sides:
        return None
    event = new_event(state, unit, prep, "Cooperate")
    event.participants = list(dict.fromkeys(sides + partners))
    return event


def noun_event(state: ArticleState, unit: ParsedUnit, noun: Token) -> Event | None:
    dip_class = tr.NOUN_TRIGGERS[noun.lower_]
    if noun.lemma_ == "strike" and any(c.lower_ in tr.PROTEST_STRIKES for c in noun.children):
        dip_class = "Protest"
    # "an aid package for Kenya": the package's phrase is the aid's
    phrase = noun.head if _names_a_bundle(noun) else noun
    light = (
        phrase.head if phrase.dep_ in ("dobj", "nsubjpass") and phrase.head.pos_ == "VERB" else None
    )
    if not _noun_states_event(noun, light, dip_class):
        return None
    event = new_event(state, unit, phrase, dip_class)
    initiators, towns = _modifier_actors(state, unit, phrase, dip_class)
    givers = ("by", "from") if dip_class == "Aid" else ("by",)
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
    if dip_class == "Support":  # "in support of X": X is supported, not a member
        members, partners = [], members + partners
    if noun.lower_ in tr.NEEDS_OF_TARGET and not members:
        return None  # "the destruction of chemical weapons": nobody is hit
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
    towns += [t for t in _attacked_towns(state, unit, noun, dip_class) if t not in towns]
    event.initiators = initiators
    event.participants = members
    event.recipients = [p for p in partners if p not in initiators]
    if towns:
        event.location, event.other_locations = towns[0], towns[1:]
    if dip_class == "ArmsTransfer":
        event.weapon = " ".join(t.text for t in noun.children if t.lower_ in tr.ARMS_WORDS)
    return event


def _names_a_bundle(noun: Token) -> bool:
    """'aid' in 'a military aid package', 'an aid shipment': what the bundle holds."""
    return noun.dep_ == "compound" and noun.head.lower_ in tr.BUNDLE_NOUNS


def _attacked_towns(
    state: ArticleState, unit: ParsedUnit, noun: Token, dip_class: str
) -> list[str]:
    """'an assault on the town of Tacna': where the attack happens."""
    if dip_class != "Assault":
        return []
    return [
        actor
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "into")
        for pobj in prep.children
        if pobj.dep_ == "pobj"
        for actor in phrase_actors(state, unit, pobj)
        if is_town(state, actor)
    ]


def _sent_to(
    state: ArticleState, unit: ParsedUnit, light: Token | None, dip_class: str
) -> list[str]:
    """Who receives what is given, where the parser hung the 'to' phrase on the light
    verb: 'ending arms shipments to Hizbullah'."""
    if light is None or dip_class not in ("ArmsTransfer", "Aid"):
        return []
    return prep_objects(state, unit, light, ("to",))


def _protest_aim(state: ArticleState, unit: ParsedUnit, noun: Token, dip_class: str) -> list[str]:
    """Who a protest against a deed is aimed at: 'demonstrations against abuses by the
    Chilean army'."""
    if dip_class != "Protest":
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
    initiators = _supporters_named_before(state, unit, noun) if dip_class == "Support" else []
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
    "the Paris meeting" (a town says where it is held)."""
    own = [
        a
        for c in noun.children
        if c.dep_ in ("poss", "amod", "compound", "nmod")
        for a in phrase_actors(state, unit, c)
    ]
    initiators = [a for a in own if _can_act_from_modifier(state, a, dip_class)]
    return list(dict.fromkeys(initiators)), [a for a in own if is_town(state, a)]


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
    if dip_class == "Support":
        in_support_of = noun.dep_ == "pobj" and noun.head.lower_ == "in" and _has_prep(noun, "of")
        return in_support_of or (light is not None and light.lemma_ in tr.SUPPORT_VERBS)
    return dip_class != "ArmsTransfer" or _has_arms_modifier(noun)


def _is_light_verb(verb: Token | None) -> bool:
    """A verb that makes its noun happen ('held talks'); the lemmatizer turns 'staged'
    into 'stag', so a lost final e is put back."""
    if verb is None:
        return False
    lemma = verb.lemma_
    return lemma in tr.LIGHT_VERBS or (verb.lower_.endswith("ed") and lemma + "e" in tr.LIGHT_VERBS)


def _partner_preps(dip_class: str) -> tuple[str, ...]:
    if dip_class in ("Support", "Aid"):  # "aid for Kenya"; "aid from Norway" names the giver
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
    """'the Malian army, local militias and others in support of the mission': the
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
    """'X said after a meeting with Y': X took part in the meeting. A verb that only
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


def new_event(state: ArticleState, unit: ParsedUnit, trigger: Token, dip_class: str) -> Event:
    sentence = unit.sentence_span(trigger.sent)
    status = status_of(trigger)
    confidence = 0.7 if trigger.pos_ == "VERB" else 0.6
    return Event(
        dip_class=dip_class,
        label=_label(unit, trigger),
        evidence=sentence,
        confidence=confidence,
        status=status,
        intent=intent_of(trigger),
        trigger=trigger.lemma_,
    )


def _label(unit: ParsedUnit, trigger: Token) -> str:
    """A short name as written: the trigger's noun phrase, or subject, verb and object."""
    if trigger.pos_ != "VERB":
        return _piece(
            unit, [t for t in trigger.subtree if t.dep_ not in ("relcl", "acl") or t.i == trigger.i]
        )
    pieces = []
    subject = subject_of(trigger)
    if subject is not None:
        span = unit.mention_at.get(subject.i)
        pieces.append(span.text if span else _piece(unit, list(subject.subtree)))
    verb_words = sorted(
        [
            trigger,
            *(
                c
                for c in trigger.children
                if c.dep_ in ("neg", "prt", "aux", "auxpass") and c.lower_ != "to"
            ),
        ],
        key=lambda t: t.i,
    )
    pieces.append("".join(t.text_with_ws for t in verb_words).strip())
    direct = next((c for c in trigger.children if c.dep_ == "dobj"), None)
    if direct is not None:
        pieces.append(_piece(unit, list(direct.subtree)))
    prep = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ in LABEL_PREPS), None)
    if prep is not None:
        pieces.append(_piece(unit, list(prep.subtree)))
    label = " ".join(" ".join(pieces).split())
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS].rsplit(" ", 1)[0]


def _piece(unit: ParsedUnit, tokens: list[Token]) -> str:
    indices = sorted(t.i for t in tokens if t.dep_ != "punct" or t.i != tokens[-1].i)
    indices = [i for i in indices if i - indices[0] < LABEL_TOKENS][:LABEL_TOKENS]
    return unit.doc[indices[0] : indices[-1] + 1].text


def _phrase_text(unit: ParsedUnit, head: Token) -> str:
    tokens = [t for t in head.subtree if t.dep_ not in ("relcl", "acl", "prep") or t.i == head.i]
    return unit.doc[tokens[0].i : tokens[-1].i + 1].text
