"""Events from verb frames and noun triggers over the dependency parse.

For each trigger the rules find its actors (initiator, recipient, other
participants), its place, its time and its status. An event needs at least
one actor; the sentence that states it is its evidence.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from spacy.tokens import Token

from communique.loaders import triggers as tr
from communique.loaders.arguments import ArticleState, actors_only, phrase_actors, subject_of
from communique.loaders.dates import resolve
from communique.loaders.model import (
    COUNTRY,
    DENIED,
    OCCURRED,
    PLACE,
    PLANNED,
    PROPOSED,
    Event,
)
from communique.loaders.parsed import ParsedUnit
from communique.loaders.status import intent_of, status_of
from communique.loaders.topics import topics_in

LABEL_TOKENS = 8
LABEL_CHARS = 80
TARGET_PREPS = ("to", "with", "on", "against", "for", "from")
LABEL_PREPS = {"with", "to", "on", "against", "for", "about", "in", "into"}
TIME_WORDS = re.compile(
    r"^[^'‘’\"“”]*\b(\d{1,4}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january"
    r"|february|march|april|may|june|july|august|september|october|november|december|today"
    r"|tonight|tomorrow|yesterday|week|weekend|month|year|spring|summer|autumn|fall|winter"
    r"|morning|evening|night|ago|decade)\b[^'‘’\"“”]*$", re.IGNORECASE)
DURING_NOUNS = {"visit", "trip", "talks", "meeting", "tour", "stay", "summit"}


def find_events(state: ArticleState, published: date | datetime | None) -> None:
    for unit in state.units:
        if unit.unit.kind != "paragraph":
            continue
        for token in unit.doc:
            event = _event_for(state, unit, token, published)
            if event is not None:
                for role in ("initiators", "recipients", "participants"):
                    setattr(event, role, actors_only(state, getattr(event, role)))
            if event is not None and event.all_actors():
                state.extraction.events.append(event)
    state.extraction.events[:] = merge_events(state.extraction.events)
    state.extraction.events.extend(stated_intentions(state.extraction.events))


def _event_for(state: ArticleState, unit: ParsedUnit, token: Token,
               published: date | datetime | None) -> Event | None:
    if token.pos_ == "VERB" and token.lemma_ in tr.OBJECT_FRAMES:
        event = _object_frame_event(state, unit, token)
        if event is None and token.lemma_ in tr.VERB_FRAMES:
            event = _verb_event(state, unit, token)
    elif token.pos_ == "VERB" and token.lemma_ in tr.VERB_FRAMES:
        event = _verb_event(state, unit, token)
    elif token.pos_ in ("NOUN", "PROPN") and token.lower_ in tr.NOUN_TRIGGERS:
        event = _noun_event(state, unit, token)
    else:
        return None
    if event is None:
        return None
    _add_place_and_time(state, unit, token, event, published)
    event.topics = topics_in(unit.doc[token.sent.start:token.sent.end].text)
    return event


# --------------------------------------------------------------------------- verbs
def _verb_event(state: ArticleState, unit: ParsedUnit, verb: Token) -> Event | None:
    dip_class, frame = tr.VERB_FRAMES[verb.lemma_]
    if verb.lemma_ == "call" and not any(c.lower_ in ("on", "upon") for c in verb.children):
        return None
    subject, passive = _subject(verb)
    subjects = phrase_actors(state, unit, subject) if subject is not None else []
    agent = _prep_objects(state, unit, verb, ("by",))
    objects = _objects(state, unit, verb)
    event = _new_event(state, unit, verb, dip_class)
    if passive:
        if frame == tr.MUTUAL and not agent:
            return None  # "relations were discussed": the subject is the topic
        subjects, objects = agent, subjects
    if verb.lemma_ in tr.NEED_ACTOR_OBJECT and not objects:
        return None  # "fight illegal fishing", "host a conference": no actor acted upon
    if frame == tr.MUTUAL:
        direct = [o for o in objects if o not in subjects and
                  o in _direct_objects(state, unit, verb)]
        event.participants = subjects + direct + [
            o for o in _prep_objects(state, unit, verb, ("with", "between")) if o not in direct]
        if not event.participants:
            return None
        if len(subjects) == 1 and event.participants[1:]:
            event.initiators, event.recipients = subjects, event.participants[1:]
    elif frame == tr.HOST:
        event.recipients, event.initiators = subjects, objects
    elif frame in (tr.VISIT, tr.TRAVEL):
        if not _visit_roles(state, unit, verb, event, subjects, objects, frame):
            return None
    elif frame == tr.TRANSFER:
        if not _transfer_roles(state, unit, verb, event, subjects):
            return None
    else:
        if not subjects:
            return None
        event.initiators = subjects
        event.recipients = [o for o in objects if o not in subjects]
    return event


def _object_frame_event(state: ArticleState, unit: ParsedUnit, verb: Token) -> Event | None:
    """'blocked roads', 'reduced aid', 'restored ties': the object decides the class."""
    thing = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if thing is None:
        return None
    words = {thing.lower_} | {c.lower_ for c in thing.children if c.dep_ in ("compound",
                                                                           "amod")}
    dip_class = next((cls for objects, cls in tr.OBJECT_FRAMES[verb.lemma_]
                      if words & objects), None)
    if dip_class is None:
        return None
    subject, passive = _subject(verb)
    subjects = [] if passive or subject is None else phrase_actors(state, unit, subject)
    if not subjects:
        return None
    event = _new_event(state, unit, verb, dip_class)
    event.initiators = subjects
    targets = [a for c in verb.children if c.dep_ in ("dative", "iobj")
               for a in phrase_actors(state, unit, c)]
    targets += _prep_objects(state, unit, verb, TARGET_PREPS) + _prep_objects(
        state, unit, thing, TARGET_PREPS)
    event.recipients = [a for a in dict.fromkeys(targets) if a not in subjects]
    return event


def _subject(verb: Token) -> tuple[Token | None, bool]:
    subject = subject_of(verb)
    if verb.dep_ == "xcomp" and subject is not None and subject.head is verb.head:
        # "want Russia to press": the object of the head verb does the pressing
        direct = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if direct is not None:
            return direct, False
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    return subject, passive


def _objects(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    found: list[str] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj"):
            found += phrase_actors(state, unit, child)
    found += _prep_objects(state, unit, verb, ("with", "to", "on", "upon", "against", "for",
                                               "from"))
    return found


def _direct_objects(state: ArticleState, unit: ParsedUnit, verb: Token) -> list[str]:
    found: list[str] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "dative"):
            found += phrase_actors(state, unit, child)
    return found


def _prep_objects(state: ArticleState, unit: ParsedUnit, head: Token,
                  prepositions: tuple[str, ...]) -> list[str]:
    """Actors in the head's prepositional phrases (towns and regions are places, not
    parties: 'went to Lima' names no recipient, 'sold to the Philippines' does)."""
    found: list[str] = []
    for child in head.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in prepositions:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found += [a for a in phrase_actors(state, unit, pobj)
                              if state.extraction.actors[a].kind != PLACE]
    return found


def _visit_roles(state: ArticleState, unit: ParsedUnit, verb: Token, event: Event,
                 subjects: list[str], objects: list[str], frame: str) -> bool:
    destination = _destination(state, unit, verb, frame)
    if frame == tr.TRAVEL and destination is None:
        return False
    if not subjects:
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
            if actors and _is_place(state, actors[0]):
                return actors[0]
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "for"):
            for pobj in child.children:
                actors = phrase_actors(state, unit, pobj) if pobj.dep_ == "pobj" else []
                if actors and _is_place(state, actors[0]):
                    return actors[0]
        if child.dep_ in ("npadvmod", "advmod") and unit.actor_of(child):
            actor = unit.actor_of(child)
            if actor and _is_place(state, actor):
                return actor
    return None


def _transfer_roles(state: ArticleState, unit: ParsedUnit, verb: Token, event: Event,
                    subjects: list[str]) -> bool:
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
    targets = _prep_objects(state, unit, verb, ("to",)) + _prep_objects(state, unit, thing,
                                                                        ("to",))
    event.recipients = [a for a in dict.fromkeys(targets) if a not in subjects]
    return True


# --------------------------------------------------------------------------- nouns
def _noun_event(state: ArticleState, unit: ParsedUnit, noun: Token) -> Event | None:
    dip_class = tr.NOUN_TRIGGERS[noun.lower_]
    if noun.lemma_ == "strike" and any(c.lower_ in tr.PROTEST_STRIKES for c in noun.children):
        dip_class = "Protest"
    light = noun.head if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB" \
        else None
    if noun.lower_ in tr.NEEDS_LIGHT_VERB and (light is None or light.lemma_ not in
                                               tr.LIGHT_VERBS):
        return None
    if dip_class == "ArmsTransfer" and not _has_arms_modifier(noun):
        return None
    event = _new_event(state, unit, noun, dip_class)
    own = [a for c in noun.children if c.dep_ in ("poss", "amod", "compound")
           for a in phrase_actors(state, unit, c)]
    initiators: list[str] = [a for a in own if not _is_place(state, a)]
    initiators += _prep_objects(state, unit, noun, ("by",))
    members = _prep_objects(state, unit, noun, ("of", "between", "among"))
    partners = _prep_objects(state, unit, noun, ("with", "to", "against", "from"))
    if not initiators and light is not None and light.lemma_ in tr.LIGHT_VERBS:
        subject = subject_of(light)
        subjects = phrase_actors(state, unit, subject) if subject is not None else []
        if light.lemma_ == "host":
            partners, subjects = subjects + partners, []
        initiators = subjects
    if not initiators and not members and partners and dip_class in (
            "Meeting", "Talks", "Conference"):
        initiators = _governing_subject(state, unit, noun)
    event.initiators = initiators
    event.participants = members
    event.recipients = [p for p in partners if p not in initiators]
    if dip_class == "ArmsTransfer":
        event.weapon = " ".join(t.text for t in noun.children if t.lower_ in tr.ARMS_WORDS)
    return event


def _has_arms_modifier(noun: Token) -> bool:
    return any(c.lower_ in tr.ARMS_WORDS for c in noun.children if c.dep_ in (
        "compound", "amod", "nmod"))


def _governing_subject(state: ArticleState, unit: ParsedUnit, noun: Token) -> list[str]:
    """'X said after a meeting with Y': X took part in the meeting."""
    current = noun
    for _ in range(4):
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            subject = subject_of(current)
            return phrase_actors(state, unit, subject) if subject is not None else []
        if current.head is current:
            break
    return []


# --------------------------------------------------------------------------- common parts
def _new_event(state: ArticleState, unit: ParsedUnit, trigger: Token, dip_class: str) -> Event:
    sentence = unit.sentence_span(trigger.sent)
    status = status_of(trigger)
    confidence = 0.7 if trigger.pos_ == "VERB" else 0.6
    return Event(dip_class=dip_class, label=_label(unit, trigger), evidence=sentence,
                 confidence=confidence, status=status, intent=intent_of(trigger))


def _add_place_and_time(state: ArticleState, unit: ParsedUnit, trigger: Token, event: Event,
                        published: date | datetime | None) -> None:
    if event.location is None:
        event.location = _location(state, unit, trigger)
    _inherit_from_earlier_visit(state, trigger, event)
    if event.location is None and _mentions_here(trigger):
        event.location = _home_country(state, event)
    expression = _time_expression(unit, trigger)
    if expression is not None:
        event.date_text = expression
        event.date = resolve(expression, published, future=event.status == PLANNED)
    if event.location and not event.recipients and event.dip_class == "Visit":
        country = state.country_of(event.location)
        host = f"Country:{country}" if country else None
        if host in state.extraction.actors and host not in event.initiators:
            event.recipients = [host]  # type: ignore[list-item]
    if event.initiators and event.recipients:
        event.confidence = round(min(event.confidence + 0.1, 0.95), 2)


def _location(state: ArticleState, unit: ParsedUnit, trigger: Token) -> str | None:
    """A place in an 'in/at' phrase of the trigger, of its light verb, or of its partners
    ('a meeting with Mashal in Syria')."""
    heads = [trigger]
    if trigger.head is not trigger and trigger.dep_ in ("dobj", "nsubjpass", "xcomp"):
        heads.append(trigger.head)
    for head in heads:
        for prep in _clause_tokens(head):
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "at", "to", "near", "inside"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for actor in phrase_actors(state, unit, pobj):
                    if _is_place(state, actor):
                        return actor
    return None


def _clause_tokens(head: Token) -> list[Token]:
    """The head's subtree without descending into other verbs' clauses, nearest first."""
    found: list[Token] = []
    frontier = [head]
    while frontier:
        current = frontier.pop(0)
        for child in current.children:
            if child.pos_ in ("VERB", "AUX") and child is not head:
                continue
            found.append(child)
            frontier.append(child)
    return found


def _inherit_from_earlier_visit(state: ArticleState, trigger: Token, event: Event) -> None:
    """'During that visit, Olmert met …': the place and time of the visit just reported."""
    for prep in trigger.children:
        if prep.dep_ != "prep" or prep.lower_ != "during":
            continue
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is None or noun.lower_ not in DURING_NOUNS:
            continue
        earlier = next((e for e in reversed(state.extraction.events)
                        if e.location and e.dip_class in ("Visit", "Talks", "Meeting",
                                                          "Conference")), None)
        if earlier is not None:
            event.location = event.location or earlier.location
            event.date, event.date_text = event.date or earlier.date, \
                event.date_text or earlier.date_text


def _mentions_here(trigger: Token) -> bool:
    return any(c.lower_ == "here" for c in trigger.children)


def _home_country(state: ArticleState, event: Event) -> str | None:
    """'a visit here': the country the article is written from, told by its mentions."""
    excluded = {state.country_of(a) for a in event.all_actors()}
    for country in state.principal(COUNTRY, count=5):
        if country.split(":", 1)[1] not in excluded:
            return country
    return None


def _time_expression(unit: ParsedUnit, trigger: Token) -> str | None:
    """The time expression that attaches to the trigger's own clause, if any."""
    scope = {t.i for t in _clause_tokens(trigger)} | {trigger.i}
    head = trigger.head if trigger.dep_ in ("xcomp", "dobj", "nsubjpass", "nsubj") \
        else trigger
    scope |= {t.i for t in _clause_tokens(head)
              if t.dep_ in ("npadvmod", "advmod", "tmod", "pobj", "nummod", "amod", "compound")}
    for ent in trigger.sent.ents:
        if ent.label_ in ("DATE", "TIME") and ent.root.i in scope and TIME_WORDS.search(ent.text):
            return ent.text
    return None


def _is_place(state: ArticleState, actor_id: str) -> bool:
    actor = state.extraction.actors.get(actor_id)
    return actor is not None and actor.kind in (PLACE, COUNTRY)


def _label(unit: ParsedUnit, trigger: Token) -> str:
    """A short name as written: the trigger's noun phrase, or subject, verb and object."""
    if trigger.pos_ != "VERB":
        return _piece(unit, [t for t in trigger.subtree if t.dep_ not in ("relcl", "acl")
                             or t is trigger])
    pieces = []
    subject = subject_of(trigger)
    if subject is not None:
        span = unit.mention_at.get(subject.i)
        pieces.append(span.text if span else _piece(unit, list(subject.subtree)))
    verb_words = sorted([trigger, *(c for c in trigger.children
                                    if c.dep_ in ("neg", "prt", "aux", "auxpass")
                                    and c.lower_ != "to")], key=lambda t: t.i)
    pieces.append("".join(t.text_with_ws for t in verb_words).strip())
    direct = next((c for c in trigger.children if c.dep_ == "dobj"), None)
    if direct is not None:
        pieces.append(_piece(unit, list(direct.subtree)))
    prep = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ in LABEL_PREPS),
                None)
    if prep is not None:
        pieces.append(_piece(unit, list(prep.subtree)))
    label = " ".join(" ".join(pieces).split())
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS].rsplit(" ", 1)[0]


def _piece(unit: ParsedUnit, tokens: list[Token]) -> str:
    indices = sorted(t.i for t in tokens if t.dep_ != "punct" or t.i != tokens[-1].i)
    indices = [i for i in indices if i - indices[0] < LABEL_TOKENS][:LABEL_TOKENS]
    return unit.doc[indices[0]:indices[-1] + 1].text


def _phrase_text(unit: ParsedUnit, head: Token) -> str:
    tokens = [t for t in head.subtree if t.dep_ not in ("relcl", "acl", "prep")
              or t is head]
    return unit.doc[tokens[0].i:tokens[-1].i + 1].text


# --------------------------------------------------------------------------- merging
def merge_events(events: list[Event]) -> list[Event]:
    """One event per class and set of actors in one sentence; the same trip named twice
    ('Gilad is to go to Moscow' … 'Gilad's trip') is one event."""
    merged: list[Event] = []
    for event in events:
        twin = next((m for m in merged if _same_event(m, event)), None)
        if twin is None:
            merged.append(event)
        else:
            _absorb(twin, event)
    return merged


def _same_event(a: Event, b: Event) -> bool:
    if a.dip_class != b.dip_class:
        return False
    if a.evidence == b.evidence:  # 'imposed sanctions on X': the verb and its noun
        actors_a, actors_b = set(a.all_actors()), set(b.all_actors())
        return actors_a <= actors_b or actors_b <= actors_a
    same_initiators = bool(a.initiators) and set(a.initiators) == set(b.initiators)
    compatible_place = a.location is None or b.location is None or a.location == b.location
    return a.dip_class == "Visit" and same_initiators and compatible_place and \
        DENIED not in (a.status, b.status)


def _absorb(into: Event, other: Event) -> None:
    for name in ("initiators", "recipients", "participants", "topics"):
        values = getattr(into, name)
        values.extend(v for v in getattr(other, name) if v not in values)
    into.location = into.location or other.location
    into.date, into.date_text = into.date or other.date, into.date_text or other.date_text
    if into.status == OCCURRED and other.status in (PLANNED, PROPOSED):
        into.status = other.status
    if len(other.label) < len(into.label):
        into.label = other.label
    into.extra_evidence.append(other.evidence)


# --------------------------------------------------------------------------- intentions
def stated_intentions(events: list[Event]) -> list[Event]:
    """A stated intention is an event of its own (PLOVER's AGREE and THREATEN).

    'Finland will give Tanzania a grant', 'Syria is willing to withdraw its troops':
    an offer or promise (dip:Agree) about the intended act. 'They would boycott all
    contact': a threat (dip:Threaten). The intended act keeps its own class and status.
    """
    stated = []
    for event in events:
        if event.intent is None or not event.initiators:
            continue
        if event.dip_class in tr.CONFLICTUAL:
            dip_class, word = "Threaten", "threat"
        elif event.dip_class in tr.COOPERATIVE and event.dip_class != "Agree" and (
                event.intent in tr.WILLINGNESS or event.dip_class not in tr.CONSULTATIVE):
            dip_class, word = "Agree", "offer"
        else:
            continue
        stated.append(Event(
            dip_class=dip_class, label=f"{word}: {event.label}", evidence=event.evidence,
            confidence=round(event.confidence - 0.1, 2), status=OCCURRED,
            initiators=list(event.initiators), recipients=list(event.recipients),
            participants=list(event.participants), topics=list(event.topics),
            date=None, date_text=None, about_event=event))
    return stated
