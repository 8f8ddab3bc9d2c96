"""What a rule case expects, checked against what extraction found.

A case (see ``cases/README.md``) is a text and a list of expectations, each a
one-key mapping: ``event``, ``no_event``, ``events``, ``actor``, ``no_actor``,
``holding``, ``no_holding``, ``memberships``, ``statement``, ``no_statement``,
``mention``. Actors are named by their label (``Chile``, ``Armed forces of
Chile``), or by their id where a label would be ambiguous (``Country:CL``).
Every check returns a list of problems, empty when it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from communique.loaders.model import Actor, Event, Extraction, Span

Problems = list[str]


class Found:
    """An extraction, read the way cases name things."""

    def __init__(self, extraction: Extraction) -> None:
        self.x = extraction

    def label(self, actor_id: str | None) -> str | None:
        return self.x.actors[actor_id].label if actor_id else None

    def labels(self, actor_ids: list[str]) -> set[str]:
        return {self.x.actors[a].label for a in actor_ids}

    def actor(self, name: str) -> Actor | None:
        if name in self.x.actors:
            return self.x.actors[name]
        return next((a for a in self.x.actors.values() if a.label == name), None)

    def events(self, dip_class: str | None) -> list[Event]:
        return [e for e in self.x.events if dip_class is None or e.dip_class == dip_class]


# --------------------------------------------------------------------------- events
def _names(value: Any) -> set[str]:
    return set(value or [])


EVENT_FIELDS: dict[str, Callable[[Found, Event, Any], bool]] = {
    "initiators": lambda f, e, v: f.labels(e.initiators) == _names(v),
    "recipients": lambda f, e, v: f.labels(e.recipients) == _names(v),
    "participants": lambda f, e, v: f.labels(e.participants) == _names(v),
    "actors": lambda f, e, v: f.labels(e.all_actors()) == _names(v),
    "initiator_ids": lambda f, e, v: e.initiators == list(v),
    "initiator_list": lambda f, e, v: [f.label(a) for a in e.initiators] == list(v),
    "recipients_include": lambda f, e, v: f.labels(e.recipients) >= _names(v),
    "actors_include": lambda f, e, v: f.labels(e.all_actors()) >= _names(v),
    "actors_at_least": lambda f, e, v: len(e.all_actors()) >= v,
    "location": lambda f, e, v: f.label(e.location) == v,
    "location_kind": lambda f, e, v: e.location is not None and f.x.actors[e.location].kind == v,
    "other_locations": lambda f, e, v: [f.label(p) for p in e.other_locations] == list(v),
    "status": lambda f, e, v: e.status == v,
    "date": lambda f, e, v: e.date == (tuple(str(x) for x in v) if v else None),
    "date_text": lambda f, e, v: e.date_text == v,
    "weapon": lambda f, e, v: e.weapon == v,
    "weapon_origin": lambda f, e, v: e.weapon_origin == v,
    "about_class": lambda f, e, v: e.about_event is not None and e.about_event.dip_class == v,
    "about_status": lambda f, e, v: e.about_event is not None and e.about_event.status == v,
    "about_event": lambda f, e, v: (e.about_event is not None) == v,
    "evidence_ends_with": lambda f, e, v: e.evidence.text.endswith(v),
}


def _event_matches(found: Found, event: Event, wanted: dict[str, Any]) -> bool:
    return all(EVENT_FIELDS[k](found, event, v) for k, v in wanted.items() if k != "class")


def _describe(found: Found, event: Event) -> str:
    return (
        f"{event.dip_class}({sorted(found.labels(event.initiators))} -> "
        f"{sorted(found.labels(event.recipients))}, with "
        f"{sorted(found.labels(event.participants))}, at {found.label(event.location)}, "
        f"{event.status})"
    )


def check_event(found: Found, wanted: dict[str, Any]) -> Problems:
    """Some event of the class has every field given."""
    candidates = found.events(wanted.get("class"))
    if any(_event_matches(found, e, wanted) for e in candidates):
        return []
    seen = [_describe(found, e) for e in found.x.events]
    return [f"no event like {wanted}; found {seen}"]


def check_no_event(found: Found, wanted: dict[str, Any]) -> Problems:
    """No event (of the class, when given) has every field given."""
    matching = [e for e in found.events(wanted.get("class")) if _event_matches(found, e, wanted)]
    return [f"unexpected {_describe(found, e)}" for e in matching]


def check_events(found: Found, wanted: dict[str, Any]) -> Problems:
    """How many events of a class there are."""
    count = len(found.events(wanted["class"]))
    return [] if count == wanted["count"] else [f"{count} {wanted['class']} events, not {wanted}"]


# --------------------------------------------------------------------------- actors
ACTOR_FIELDS: dict[str, Callable[[Actor, Any], bool]] = {
    "kind": lambda a, v: a.kind == v,
    "class": lambda a, v: a.dip_class == v,
    "wikidata": lambda a, v: a.wikidata == v,
    "located_in": lambda a, v: a.located_in == v,
    "home_country": lambda a, v: a.home_country == v,
    "alt_labels_include": lambda a, v: set(v) <= a.alt_labels,
    "alt_labels_exclude": lambda a, v: not set(v) & a.alt_labels,
    "alt_labels": lambda a, v: a.alt_labels == set(v),
}


def _actors_like(found: Found, wanted: dict[str, Any]) -> list[Actor]:
    return [
        a
        for a in found.x.actors.values()
        if wanted.get("id", a.actor_id) == a.actor_id
        and wanted.get("label", a.label) == a.label
        and all(ACTOR_FIELDS[k](a, v) for k, v in wanted.items() if k in ACTOR_FIELDS)
    ]


def check_actor(found: Found, wanted: dict[str, Any]) -> Problems:
    """An actor with every field given (exactly ``count`` of them, when given)."""
    like = _actors_like(found, wanted)
    if "count" in wanted:
        return [] if len(like) == wanted["count"] else [f"{len(like)} actors like {wanted}"]
    if like:
        return []
    seen = sorted((a.kind, a.label) for a in found.x.actors.values())
    return [f"no actor like {wanted}; found {seen}"]


def check_no_actor(found: Found, wanted: dict[str, Any]) -> Problems:
    return [f"unexpected actor {(a.kind, a.label)}" for a in _actors_like(found, wanted)]


def check_actors(found: Found, wanted: dict[str, Any]) -> Problems:
    """The actors of a kind are exactly these labels."""
    labels = {a.label for a in found.x.actors.values() if a.kind == wanted["kind"]}
    return [] if labels == set(wanted["labels"]) else [f"{wanted['kind']} actors are {labels}"]


def check_mention(found: Found, wanted: dict[str, Any]) -> Problems:
    """The texts that mention an actor: all of them (``texts``), or some (``include``)."""
    actor = found.actor(wanted["actor"])
    if actor is None:
        return [f"no actor {wanted['actor']}"]
    texts = [span.text for actor_id, span in found.x.mentions if actor_id == actor.actor_id]
    if "texts" in wanted and texts != list(wanted["texts"]):
        return [f"{wanted['actor']} is mentioned as {texts}"]
    missing = [t for t in wanted.get("include", []) if t not in texts]
    return [f"{wanted['actor']} is not mentioned as {missing}; only as {texts}"] if missing else []


def check_mention_texts(found: Found, wanted: dict[str, Any]) -> Problems:
    """The mentions' texts, all of them (``exactly``) or some (``include``, ``exclude``)."""
    texts = {span.text for _actor, span in found.x.mentions}
    problems = []
    if "exactly" in wanted and texts != set(wanted["exactly"]):
        problems.append(f"mention texts are {sorted(texts)}")
    problems += [f"no mention {t!r}" for t in wanted.get("include", []) if t not in texts]
    problems += [f"a mention {t!r}" for t in wanted.get("exclude", []) if t in texts]
    if wanted.get("no_full_stops") and any(t.endswith(".") for t in texts):
        problems.append(f"a mention ends with a full stop: {sorted(texts)}")
    return problems


# --------------------------------------------------------------------------- offices
def _holding_matches(found: Found, holding: Any, wanted: dict[str, Any]) -> bool:
    checks = {
        "holder": lambda v: found.label(holding.holder) == v,
        "role": lambda v: holding.role == v,
        "title": lambda v: holding.title == v,
        "title_starts": lambda v: holding.title.startswith(v),
        "title_includes": lambda v: v in holding.title,
        "in": lambda v: found.label(holding.in_actor) == v,
    }
    return all(checks[k](v) for k, v in wanted.items())


def check_holding(found: Found, wanted: dict[str, Any]) -> Problems:
    if any(_holding_matches(found, h, wanted) for h in found.x.holdings):
        return []
    seen = [(found.label(h.holder), h.role, h.title) for h in found.x.holdings]
    return [f"no holding like {wanted}; found {seen}"]


def check_no_holding(found: Found, wanted: dict[str, Any]) -> Problems:
    bad = [h for h in found.x.holdings if _holding_matches(found, h, wanted)]
    return [f"unexpected holding {(found.label(h.holder), h.role)}" for h in bad]


def check_holders(found: Found, wanted: list[str]) -> Problems:
    holders = {found.label(h.holder) for h in found.x.holdings}
    return [] if holders == set(wanted) else [f"the holders are {holders}"]


def check_memberships(found: Found, wanted: list[list[str]]) -> Problems:
    pairs = {(found.label(m.member), found.label(m.organization)) for m in found.x.memberships}
    expected = {tuple(pair) for pair in wanted}
    return [] if pairs == expected else [f"memberships are {sorted(pairs)}"]  # type: ignore[arg-type]


# --------------------------------------------------------------------------- statements
def _statement_matches(found: Found, statement: Any, wanted: dict[str, Any]) -> bool:
    checks = {
        "speaker": lambda v: found.label(statement.speaker) == v,
        "quote": lambda v: statement.quote == v,
        "content": lambda v: statement.content == v,
        "recipient": lambda v: found.label(statement.recipient) == v,
        "about": lambda v: {found.label(a) for a in statement.about} == set(v),
        "topics_include": lambda v: set(v) <= set(statement.topics),
        "date": lambda v: statement.date == (tuple(str(x) for x in v) if v else None),
    }
    return all(checks[k](v) for k, v in wanted.items())


def check_statement(found: Found, wanted: dict[str, Any]) -> Problems:
    if any(_statement_matches(found, s, wanted) for s in found.x.statements):
        return []
    seen = [(found.label(s.speaker), s.quote or s.content) for s in found.x.statements]
    return [f"no statement like {wanted}; found {seen}"]


def check_statements(found: Found, wanted: dict[str, Any]) -> Problems:
    count = len(found.x.statements)
    return [] if count == wanted["count"] else [f"{count} statements, not {wanted['count']}"]


CHECKS: dict[str, Callable[[Found, Any], Problems]] = {
    "event": check_event,
    "no_event": check_no_event,
    "events": check_events,
    "actor": check_actor,
    "no_actor": check_no_actor,
    "actors": check_actors,
    "mention": check_mention,
    "mention_texts": check_mention_texts,
    "holding": check_holding,
    "no_holding": check_no_holding,
    "holders": check_holders,
    "memberships": check_memberships,
    "statement": check_statement,
    "statements": check_statements,
}


def spans_point_into(text: str, extraction: Extraction) -> Problems:
    """Every span a fact or a mention carries is the text at its offsets, within a
    line (checked for every case)."""
    spans: list[Span] = [span for _actor, span in extraction.mentions]
    spans += [fact.evidence for fact in (*extraction.events, *extraction.statements)]
    spans += [fact.evidence for fact in (*extraction.holdings, *extraction.memberships)]
    problems = [
        f"span {s} is not the text at its offsets" for s in spans if text[s.start : s.end] != s.text
    ]
    problems += [
        f"mention {s.text!r} spans a line break" for _a, s in extraction.mentions if "\n" in s.text
    ]
    return problems
