"""One event per thing that happened, and stated intentions as events of their own.

Two triggers in one sentence about the same actors ('imposed sanctions') are
one event; the same trip named twice in an article is one event. A stated
intention ('will give', 'is ready to pull out', 'would boycott') is also an
offer (dip:Agree) or a threat (dip:Threaten) about the intended act, as
PLOVER codes it.
"""

from __future__ import annotations

from communique.classes import EventClass as EC
from communique.loaders.lexicon import events as tr
from communique.loaders.model import DENIED, OCCURRED, PLANNED, PROPOSED, Event
from communique.loaders.scoring.cues import derived_cues


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
    if a.evidence == b.evidence and a.location and b.location and a.location != b.location:
        return False  # 'after fighting in Gao, the troops moved on Kidal': two fights
    if a.evidence == b.evidence:  # 'imposed sanctions on X': the verb and its noun
        actors_a, actors_b = set(a.all_actors()), set(b.all_actors())
        return actors_a <= actors_b or actors_b <= actors_a or _halves(a, b) or _halves(b, a)
    same_initiators = bool(a.initiators) and set(a.initiators) == set(b.initiators)
    compatible_place = a.location is None or b.location is None or a.location == b.location
    return (
        a.dip_class == EC.Visit
        and same_initiators
        and compatible_place
        and DENIED not in (a.status, b.status)
    )


def _halves(a: Event, b: Event) -> bool:
    """'Chile launched a series of attacks on Hamas': the verb knows who acts, the noun
    whom it targets, and nobody else is named."""
    return bool(
        a.initiators
        and not a.recipients
        and not a.participants
        and b.recipients
        and not b.initiators
        and not b.participants
    )


def _absorb(into: Event, other: Event) -> None:
    for name in ("initiators", "recipients", "participants", "topics"):
        values = getattr(into, name)
        values.extend(v for v in getattr(other, name) if v not in values)
    if into.location is None:
        into.location, into.other_locations = other.location, list(other.other_locations)
    into.date, into.date_text = into.date or other.date, into.date_text or other.date_text
    if into.status == OCCURRED and other.status in (PLANNED, PROPOSED):
        into.status = other.status
    if len(other.label) < len(into.label):
        into.label = other.label
    into.extra_evidence.append(other.evidence)
    into.cues["stated_twice"] = 1.0  # two triggers (or sentences) agree on it


def backed_sides(events: list[Event]) -> None:
    """A hostile act with a target is also the act of the sides that back it in its
    own sentence: who supports or aids an attacker ('NATO has supported the Kenyan
    army in its drive to defeat al-Shabaab': NATO is a side against al-Shabaab),
    and whom an attacker acts in support of ('strikes in support of the Malian
    government against Ansar Dine': that government is a side against Ansar Dine). Acts
    without a target are left alone: their sides would read as fighting each other."""
    for act in events:
        if act.dip_class not in tr.JOINT_ACTION_CLASSES or not act.recipients:
            continue
        sides = [*_backers(events, act), *_supported(events, act)]
        act.initiators.extend(
            side
            for side in dict.fromkeys(sides)
            if side not in act.initiators and side not in act.recipients
        )


def _supported(events: list[Event], act: Event) -> list[str]:
    """Whom one of the act's sides supports in the act's own sentence."""
    return [
        supported
        for e in events
        if e.dip_class == EC.Support
        and e.trigger not in tr.APPROVAL_VERBS
        and e.evidence == act.evidence
        and set(e.initiators) & set(act.initiators)
        for supported in e.recipients
    ]


def joint_actions(events: list[Event]) -> list[Event]:
    """Several sides that attack, fight or deploy together cooperate (PLOVER's
    COOPERATE): 'Iraqi forces, along with the coalition and Kurdish fighters, are
    taking part in the offensive' states their cooperation as well as the offensive.
    So does a side that backs the act in the same sentence: 'Kurdish fighters,
    backed by coalition air strikes, attacked the town' (the coalition's backing is
    its part in the attack)."""
    joint = []
    for event in events:
        if event.dip_class not in tr.JOINT_ACTION_CLASSES:
            continue
        sides = list(dict.fromkeys([*event.initiators, *_backers(events, event)]))
        if len(sides) > 1 and not _cooperation_stated(events, event, sides):
            joint.append(_cooperation(event, sides))
    return joint


def _cooperation(act: Event, sides: list[str]) -> Event:
    return Event(
        dip_class=EC.Cooperate,
        label=f"together: {act.label}",
        evidence=act.evidence,
        confidence=round(act.confidence - 0.1, 2),
        status=act.status,
        participants=sides,
        cues=derived_cues(act, "joint"),
        trigger_span=act.trigger_span,
        location=act.location,
        other_locations=list(act.other_locations),
        date=act.date,
        date_text=act.date_text,
        topics=list(act.topics),
    )


def _backers(events: list[Event], act: Event) -> list[str]:
    """Who aids or supports one of the act's sides in the act's own sentence."""
    return [
        backer
        for e in events
        if e.dip_class in tr.BACKING_CLASSES
        and e.trigger not in tr.APPROVAL_VERBS
        and e.evidence == act.evidence
        and set(e.recipients) & set(act.initiators)
        for backer in e.initiators
    ]


def _cooperation_stated(events: list[Event], act: Event, sides: list[str]) -> bool:
    """'X fought IS alongside Y' states the cooperation itself."""
    return any(
        e.dip_class == EC.Cooperate
        and e.evidence == act.evidence
        and set(sides) <= set(e.all_actors())
        for e in events
    )


def _stated_already(events: list[Event], intended: Event, dip_class: str) -> bool:
    """'threatened to impose sanctions': the verb's own threat is about the sanctions
    already; a second threat read off the intention would count it twice."""
    return any(e.dip_class == dip_class and e.about_event is intended for e in events)


# How a stated intention is labelled, by its class.
INTENTION_WORDS = {EC.Threaten: "threat", EC.Agree: "offer"}


def stated_intentions(events: list[Event]) -> list[Event]:
    """A stated intention is an event of its own (PLOVER's AGREE and THREATEN).

    'Norway will lend Kenya money', 'Chile is ready to pull out its troops': an
    offer or promise (dip:Agree) about the intended act. 'They would cut all
    trade': a threat (dip:Threaten). The intended act keeps its own class and status.
    """
    stated = []
    for event in events:
        offerer, invited = _who_states(event)
        if event.intent is None or not offerer:
            continue
        dip_class = tr.INTENTION_CLASS.get(event.dip_class)
        if dip_class is None or _stated_already(events, event, dip_class):
            continue
        if dip_class == EC.Agree and not (
            event.intent in tr.WILLINGNESS or event.dip_class not in tr.CONSULTATIVE
        ):
            continue  # "will meet" plans a meeting; only "ready to meet" offers one
        word = INTENTION_WORDS[dip_class]
        stated.append(
            Event(
                dip_class=dip_class,
                label=f"{word}: {event.label}",
                evidence=event.evidence,
                confidence=round(event.confidence - 0.1, 2),
                status=OCCURRED,
                initiators=offerer,
                recipients=invited,
                participants=list(event.participants),
                topics=list(event.topics),
                date=None,
                date_text=None,
                about_event=event,
                cues=derived_cues(event, "intention"),
                trigger_span=event.trigger_span,
            )
        )
    return stated


def _who_states(event: Event) -> tuple[list[str], list[str]]:
    """(who states the intention, to whom): the act's initiators, or the host of a
    gathering nobody initiates ('Norway is ready to host talks between Chile and
    Peru': Norway offers, to Chile and Peru)."""
    if event.initiators:
        return list(event.initiators), list(event.recipients)
    if event.hosted and event.intent in tr.WILLINGNESS:
        return list(event.recipients), list(event.participants)
    return [], []
