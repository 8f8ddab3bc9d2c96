"""Events over the dependency parse: which words state an event, and where and
when it happened.

For each trigger (see ``triggers``) a builder in ``event_frames`` or
``noun_events`` finds the event's actors; this module adds its place ('in
Moscow', 'a visit here', 'during that visit'), its time (resolved against the
publication date) and its topics, drops events without actors, merges
duplicates and adds stated intentions (``event_merge``). An event's evidence
is the sentence that states it.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date, datetime

from spacy import symbols
from spacy.tokens import Token

from communique.classes import EventClass as EC
from communique.loaders.lexicon import events as tr
from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import COUNTRY, PLANNED, Event
from communique.loaders.nlp.parsed import ParsedUnit, sentence_of
from communique.loaders.rules.arguments import (
    actors_only,
    displaced_places,
    is_place,
    is_town,
    phrase_actors,
    written_after_towns,
)
from communique.loaders.rules.dates import resolve
from communique.loaders.rules.event_frames import (
    alongside_event,
    is_gathering_verb,
    object_frame_event,
    obligation_event,
    verb_event,
)
from communique.loaders.rules.event_merge import (
    backed_sides,
    joint_actions,
    merge_events,
    stated_intentions,
)
from communique.loaders.rules.found_arms import found_arms_event
from communique.loaders.rules.noun_events import noun_event
from communique.loaders.rules.state import ArticleState
from communique.loaders.rules.topics import topics_in
from communique.loaders.scoring.cues import trigger_cues

TIME_WORDS = re.compile(
    r"^[^'‘’\"“”]*\b(\d{1,4}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january"
    r"|february|march|april|may|june|july|august|september|october|november|december|today"
    r"|tonight|tomorrow|yesterday|week|weekend|month|year|spring|summer|autumn|fall|winter"
    r"|morning|evening|night|ago|decade)\b[^'‘’\"“”]*$",
    re.IGNORECASE,
)
HAPPENING_VERBS = word_set("happening_verbs")
OPENING_PLACE_WORDS = word_set("opening_place_words")
DURING_NOUNS = word_set("during_nouns")
# how the words of an act of speech reach the act it is about ('to cooperate', 'of attacking')
CONTENT_LINKS = frozenset({"xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj"})
# an event noun after these contains the act, and its place is the act's
CONTAINING_PREPS = frozenset({"in", "at", "during", "amid", "within"})


def find_events(state: ArticleState) -> None:
    """Events from their trigger words, then merged, completed and dated."""
    published = state.published
    for unit in state.units:
        if unit.unit.kind != "paragraph":
            continue
        made: list[tuple[Event, Token]] = []
        for token in unit.tokens_with(tr.TRIGGER_WORDS):
            event = _event_for(state, unit, token, published)
            if event is not None:
                for role in ("initiators", "recipients", "participants"):
                    setattr(event, role, actors_only(state, getattr(event, role)))
            if event is not None and event.all_actors():
                state.extraction.events.append(event)
                made.append((event, token))
        _link_contents(made)
    state.extraction.events[:] = merge_events(state.extraction.events)
    state.extraction.events.extend(stated_intentions(state.extraction.events))
    backed_sides(state.extraction.events)
    state.extraction.events.extend(joint_actions(state.extraction.events))


def _link_contents(made: list[tuple[Event, Token]]) -> None:
    """A request, an accusation or a threat is about the act its words govern:
    'urged Peru to cooperate fully' is a request about a cooperation (the content
    keeps its own status, proposed), 'accused Chile of attacking' an accusation about
    an attack."""
    for act, word in made:
        if act.dip_class not in tr.SPEECH_ACT_CLASSES or act.about_event is not None:
            continue
        act.about_event = next(
            (other for other, below in made if other is not act and _governs(word, below)), None
        )


def _governs(word: Token, below: Token) -> bool:
    """The word governs the other within three steps of clause and phrase links."""
    current = below
    for _ in range(3):
        if current.head is current or current.dep_ not in CONTENT_LINKS:
            return False
        current = current.head
        if current.i == word.i:
            return True
    return False


def _event_for(
    state: ArticleState, unit: ParsedUnit, token: Token, published: date | datetime | None
) -> Event | None:
    if token.lower_ in tr.ALONGSIDE and token.dep_ == "prep":
        event, rule = alongside_event(state, unit, token), "alongside"
    elif token.lower_ in tr.OBLIGATION:
        event, rule = obligation_event(state, unit, token), "obligation"
    elif token.pos_ == "VERB" and token.lemma_ in tr.OBJECT_FRAMES:
        event, rule = object_frame_event(state, unit, token), "object_frame"
        if event is None and token.lemma_ in tr.VERB_FRAMES:
            event, rule = verb_event(state, unit, token), "verb"
    elif _acts_as_verb(token) and token.lemma_ in tr.VERB_FRAMES:
        event, rule = verb_event(state, unit, token), "verb"
    elif token.pos_ in ("NOUN", "PROPN") and token.lower_ in tr.NOUN_TRIGGERS:
        event, rule = noun_event(state, unit, token), "noun"
    elif token.pos_ == "VERB" and token.lemma_ in tr.FOUND_VERBS:
        event, rule = found_arms_event(state, unit, token), "found_arms"
    else:
        return None
    if event is None or _asked(token):
        return None
    event.cues = trigger_cues(token, rule)
    event.trigger_span = unit.span(token, token)
    _add_place_and_time(state, unit, token, event, published)
    event.topics = topics_in(sentence_of(token).text)
    return event


def _asked(token: Token) -> bool:
    """The trigger is in a question ('Will Chile attend the talks?'): a question asserts no
    event, whatever its verb's tense says."""
    end = sentence_of(token).end
    for later in token.doc[token.i + 1 : end]:
        if later.text == "?":
            return True
        # the full stop of 'etc.?' does not end the question
        if later.text in (".", "!", ";") and not (later.i + 1 < end and later.nbor().text == "?"):
            return False
    return False


def _acts_as_verb(token: Token) -> bool:
    """A verb, or 'close' with a subject that the tagger took for the adverb ('as
    army units close in on Gao')."""
    if token.pos_ == "VERB":
        return True
    return token.lemma_ in tr.APPROACH_VERBS and any(c.dep_ == "nsubj" for c in token.children)


def _add_place_and_time(
    state: ArticleState,
    unit: ParsedUnit,
    trigger: Token,
    event: Event,
    published: date | datetime | None,
) -> None:
    if event.location is None:
        places = _locations(state, unit, trigger, event.dip_class) or _opening_place(
            state, unit, trigger
        )
        event.location, event.other_locations = (places[0], places[1:]) if places else (None, [])
    _inherit_from_earlier_visit(state, trigger, event)
    if event.location is None and _mentions_here(trigger):
        event.location = _home_country(state, event)
    expression = time_expression(unit, trigger)
    if expression is not None:
        event.date_text = expression
        event.date = resolve(expression, published, future=event.status == PLANNED)
    if event.location and not event.recipients and event.dip_class == EC.Visit:
        country = state.country_of(event.location)
        host = f"Country:{country}" if country else None
        if host in state.extraction.actors and host not in event.initiators:
            event.recipients = [host]  # type: ignore[list-item]
    if event.initiators and event.recipients:
        event.confidence = round(min(event.confidence + 0.1, 0.95), 2)


def _locations(state: ArticleState, unit: ParsedUnit, trigger: Token, dip_class: str) -> list[str]:
    """The places of the first 'in/at' phrase of the trigger, of its light verb, or of its
    partners that names any ('a meeting with Mashal in Syria', 'strikes in Syria and
    Iraq')."""
    heads = [trigger]
    if trigger.head is not trigger and trigger.dep_ in ("dobj", "nsubjpass", "xcomp"):
        heads.append(trigger.head)
    elif trigger.dep_ == "nsubj" and trigger.head.lemma_ in HAPPENING_VERBS:
        heads.append(trigger.head)  # "the meeting took place in Rome"
    elif trigger.dep_ == "pobj" and trigger.head.head.pos_ == "VERB":
        heads.append(trigger.head.head)  # "will lead a delegation to Berlin for a meeting"
    elif trigger.dep_ == "advcl" and is_gathering_verb(trigger.head):
        heads.append(trigger.head)  # "met Salas in Quito to discuss Bolivia"
    for head in heads:
        for prep in clause_tokens(head):
            if prep.dep_ != "prep" or prep.lower_ not in _place_preps(trigger, dip_class):
                continue
            if dip_class in tr.CONSULTATIVE and _on_the_subject_discussed(unit, head, prep):
                continue
            places = [
                actor
                for pobj in prep.children
                if pobj.dep_ == "pobj"
                for actor in phrase_actors(state, unit, pobj)
                if is_place(state, actor)
            ]
            places += [p for p in displaced_places(state, unit, prep.head) if p not in places]
            if places:
                return _without_qualifying_countries(state, unit, places)
    return []


def _on_the_subject_discussed(unit: ParsedUnit, verb: Token, prep: Token) -> bool:
    """'discussed the situation in Syria': the place of what is talked about (the
    verb's object, not an actor) is not where the talks are."""
    topic = prep.head
    return topic.dep_ == "dobj" and topic.head.i == verb.i and unit.actor_of(topic) is None


def _opening_place(state: ArticleState, unit: ParsedUnit, trigger: Token) -> list[str]:
    """'Near Kidal, air strikes engaged …', 'In Bamako, …': a place phrase that opens the
    sentence, whatever the parser made of it, sets the place of its events."""
    words = [t for t in sentence_of(trigger) if not (t.is_punct or t.is_space)]
    if len(words) < 3 or words[0].lower_ not in OPENING_PLACE_WORDS:
        return []
    actor = unit.actor_of(words[1])
    comma = next((t for t in sentence_of(trigger) if t.i > words[1].i and t.text == ","), None)
    if actor is None or not is_place(state, actor) or comma is None or comma.i > trigger.i:
        return []
    between = unit.doc[words[1].i : comma.i]
    return [actor] if all(unit.actor_of(t) == actor for t in between) else []


def _without_qualifying_countries(
    state: ArticleState, unit: ParsedUnit, places: list[str]
) -> list[str]:
    """'Berlin, Germany' is one place: the country written after a town only says where
    the town is."""
    towns = [p for p in places if is_town(state, p)]
    if not towns:
        return places
    after_town = written_after_towns(unit, towns)
    return [p for p in places if p not in after_town or p in towns]


def _place_preps(trigger: Token, dip_class: str) -> tuple[str, ...]:
    """Where an event happens: 'to' only for going somewhere ('a trip to Moscow'; 'cut
    aid to Bolivia' names the party, not the place)."""
    places: tuple[str, ...] = ("in", "at", "near", "inside")
    if dip_class in tr.CONSULTATIVE:
        places += ("to",)
    if trigger.lower_ in tr.PLACE_OF_NOUNS:
        places += ("of",)
    if trigger.lemma_ in tr.FROM_PLACE_VERBS:
        places += ("from",)
    if dip_class == EC.Assault:
        places += ("into",)  # "launched the operation into Afmadow", "strikes into Syria"
    if trigger.lemma_ in tr.APPROACH_VERBS:
        places += ("on",)
    return places


def clause_tokens(head: Token) -> list[Token]:
    """The head's subtree without descending into other verbs' clauses, nearest
    first, nor into the phrase of another event's noun ('attacked Peru three years
    after the talks in Lima': Lima is where the talks were). Kept with the parse
    (its ``user_data``): the place and the time of an event both ask for it."""
    walked = head.doc.user_data.setdefault("communique.clause_tokens", {})
    found = walked.get(head.i)
    if found is None:
        found = walked[head.i] = _clause_tokens(head)
    return found


def _clause_tokens(head: Token) -> list[Token]:
    found: list[Token] = []
    frontier = deque([head])
    while frontier:
        for child in frontier.popleft().children:
            if child.pos in VERB_POS and child.i != head.i:  # ids: no string made a word
                continue
            found.append(child)
            if not _another_event_noun(child, head):
                frontier.append(child)
    return found


VERB_POS = frozenset({symbols.VERB, symbols.AUX})


def _another_event_noun(token: Token, head: Token) -> bool:
    """An event noun after 'after', 'before', 'since' …: an event of its own, apart
    in time. One after 'in', 'at', 'during' contains the act ('killed in a bombing
    in Baghdad'): its place is the act's."""
    return (
        token.i != head.i
        and token.pos_ in ("NOUN", "PROPN")
        and token.lower_ in tr.NOUN_TRIGGERS
        and token.dep_ == "pobj"
        and token.head.lower_ not in CONTAINING_PREPS
    )


def _inherit_from_earlier_visit(state: ArticleState, trigger: Token, event: Event) -> None:
    """'During that trip, Ruiz met … and held talks with …': the place and time of
    the visit just reported, for every clause the 'during' phrase governs."""
    governing = [trigger]
    current = trigger
    for _ in range(3):
        if current.dep_ not in ("conj", "dobj", "xcomp") or current.head is current:
            break
        current = current.head
        governing.append(current)
    for prep in (c for token in governing for c in token.children):
        if prep.dep_ != "prep" or prep.lower_ != "during":
            continue
        noun = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if noun is None or noun.lower_ not in DURING_NOUNS:
            continue
        earlier = next(
            (
                e
                for e in reversed(state.extraction.events)
                if e.location and e.dip_class in tr.CONSULTATIVE
            ),
            None,
        )
        if earlier is not None:
            event.location = event.location or earlier.location
            event.date, event.date_text = (
                event.date or earlier.date,
                event.date_text or earlier.date_text,
            )


def _mentions_here(trigger: Token) -> bool:
    return any(c.lower_ == "here" for c in trigger.children)


def _home_country(state: ArticleState, event: Event) -> str | None:
    """'a visit here': the country the article is written from, told by its mentions."""
    excluded = {state.country_of(a) for a in event.all_actors()}
    for country in state.principal(COUNTRY, count=5):
        if country.split(":", 1)[1] not in excluded:
            return country
    return None


def time_expression(unit: ParsedUnit, trigger: Token) -> str | None:
    """The time expression that attaches to the trigger's own clause, if any."""
    scope = {t.i for t in clause_tokens(trigger)} | {trigger.i}
    head = trigger.head if trigger.dep_ in ("xcomp", "dobj", "nsubjpass", "nsubj") else trigger
    scope |= {
        t.i
        for t in clause_tokens(head)
        if t.dep_ in ("npadvmod", "advmod", "tmod", "pobj", "nummod", "amod", "compound")
    }
    for ent in sentence_of(trigger).ents:
        if ent.label_ in ("DATE", "TIME") and ent.root.i in scope and TIME_WORDS.search(ent.text):
            return ent.text
    return None
