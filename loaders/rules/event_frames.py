"""Building events from their triggers: verb frames, object-conditioned verbs,
stated obligations and 'alongside' cooperation (noun triggers: ``noun_events``).

Each builder returns an event with its actors filled in, or None when the
words do not state an event between actors.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from communique.classes import EventClass as EC
from communique.loaders.lexicon import events as tr
from communique.loaders.model import Event
from communique.loaders.nlp.parsed import ParsedUnit, sentence_of
from communique.loaders.rules.arguments import (
    direct_objects,
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
from communique.loaders.rules.state import ArticleState
from communique.loaders.rules.status import intent_of, status_of

LABEL_TOKENS = 8
LABEL_CHARS = 80
TARGET_PREPS = ("to", "with", "on", "against", "for", "from")
LABEL_PREPS = {"with", "to", "on", "against", "for", "about", "in", "into"}


@dataclass
class Filling:
    """What a frame's filler works on: the verb, the event it states, and the actors
    of its subject and of its objects (the passive already turned around)."""

    state: ArticleState
    unit: ParsedUnit
    verb: Token
    event: Event
    subjects: list[str]
    objects: list[str]


def verb_event(state: ArticleState, unit: ParsedUnit, verb: Token) -> Event | None:
    dip_class, frame = tr.VERB_FRAMES[verb.lemma_]
    if verb.lemma_ == "call" and not _calls_on_or_for(state, unit, verb):
        return None
    if verb.lemma_ in tr.APPROACH_VERBS and not _approaches_a_place(state, unit, verb):
        return None
    arguments = _verb_arguments(state, unit, verb, frame)
    if arguments is None:
        return None
    if dip_class == EC.Request and not arguments[1]:  # "demanded that Peru withdraw"
        arguments = (arguments[0], _asked_to_act(state, unit, verb) or _asked_of(state, unit, verb))
    if verb.lemma_ in tr.NEED_ACTOR_OBJECT and not arguments[1] and not _strikes_people(verb):
        return None  # "fight illegal fishing", "host a conference": no actor acted upon
    if verb.lemma_ in tr.OWN_OBJECT_VERBS and _object_is_owned_thing(unit, verb):
        return None  # "counter Russia's influence", "confront Peru's claims"
    if verb.lemma_ in tr.SATISFY_VERBS and _object_is_satisfied(verb):
        return None  # "meet the deadline", "meet their needs": no meeting
    event = new_event(state, unit, verb, dip_class)
    filled = FRAME_FILLERS[frame](Filling(state, unit, verb, event, *arguments))
    if verb.lemma_ in tr.NEEDS_TWO_SIDES and len(event.all_actors()) < 2:
        return None  # "Qatar mediated in the dispute": between whom is not said
    return event if filled else None


def _strikes_people(verb: Token) -> bool:
    """'killed two soldiers', 'shelled the village', 'civilians were killed': an attack
    on people or a place the sentence does not name as an actor."""
    if verb.lemma_ not in tr.STRIKES_PEOPLE_AND_PLACES:
        return False
    struck = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return any(
        c.lemma_.lower() in tr.STRUCK_PEOPLE_AND_PLACES or c.lower_ in tr.STRUCK_PEOPLE_AND_PLACES
        for c in struck
    )


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


def _object_is_satisfied(verb: Token) -> bool:
    """The verb's object, or one it is coordinated with, is a thing one satisfies."""
    direct = [c for c in verb.children if c.dep_ == "dobj"]
    direct += [c for d in direct for c in d.conjuncts]
    return any(d.lemma_.lower() in tr.SATISFIED_NOUNS for d in direct)


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


def _fill_mutual(f: Filling) -> bool:
    state, unit, verb, event, subjects = f.state, f.unit, f.verb, f.event, f.subjects
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


def _fill_host(f: Filling) -> bool:
    verb, event = f.verb, f.event
    thing = next((c for c in verb.children if c.dep_ == "dobj"), None)
    words = {t.lower_ for t in thing.subtree} if thing is not None else set()
    if verb.lemma_ == "receive" and thing is not None and words & tr.DELIVERED_WORDS:
        return _fill_received(f, thing, words)
    event.recipients, event.initiators = f.subjects, f.objects
    event.hosted = True
    return True


def _fill_received(f: Filling, thing: Token, words: set[str]) -> bool:
    """'Ukraine received a shipment of tanks from Germany': a transfer from Germany,
    not a visit."""
    state, unit, verb, event, subjects = f.state, f.unit, f.verb, f.event, f.subjects
    event.dip_class = EC.ArmsTransfer if words & tr.ARMS_WORDS else EC.Aid
    senders = [a for t in (verb, *thing.subtree) for a in prep_objects(state, unit, t, ("from",))]
    event.initiators = [a for a in dict.fromkeys(senders) if a not in subjects]
    event.recipients = subjects
    if event.dip_class == EC.ArmsTransfer:
        counted = next((p for c in thing.children if c.lower_ == "of" for p in c.children), None)
        event.weapon = _phrase_text(unit, counted if counted is not None else thing)
    return bool(subjects)


def _fill_act(f: Filling) -> bool:
    state, unit, verb, event = f.state, f.unit, f.verb, f.event
    subjects, objects = f.subjects, f.objects
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
    event = new_event(state, unit, speech, EC.Request)
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


def _fill_visit(f: Filling) -> bool:
    state, unit, verb, event = f.state, f.unit, f.verb, f.event
    subjects, objects = f.subjects, f.objects
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


def _fill_transfer(f: Filling) -> bool:
    state, unit, verb, event, subjects = f.state, f.unit, f.verb, f.event, f.subjects
    thing = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if thing is None or not subjects:
        return False
    words = {t.lower_ for t in thing.subtree}
    if words & tr.ARMS_WORDS:
        event.dip_class = EC.ArmsTransfer
        event.weapon = _phrase_text(unit, thing)
    elif words & tr.AID_WORDS and verb.lemma_ in ("provide", "send", "give", "deliver"):
        event.dip_class = EC.Aid
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
    if dip_class is None or (dip_class == EC.Assault and words & tr.NOT_COMBAT):
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
    if dip_class == EC.Protest:
        targets += _protested(state, unit, verb)
    if dip_class == EC.Sanction:  # "suspended Niger's membership": Niger is sanctioned
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
    event = new_event(state, unit, prep, EC.Cooperate)
    event.participants = list(dict.fromkeys(sides + partners))
    return event


def new_event(state: ArticleState, unit: ParsedUnit, trigger: Token, dip_class: str) -> Event:
    sentence = unit.sentence_span(sentence_of(trigger))
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
