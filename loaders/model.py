"""What extraction produces, independent of spaCy and of RDF.

Offsets are character offsets into the article body (end exclusive).
Actors are keyed by ``kind:key`` (``Country:RU``, ``Person:Sergey Lavrov``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERSON = "Person"
COUNTRY = "Country"
ORGANIZATION = "Organization"
PLACE = "Place"

OCCURRED, PLANNED, PROPOSED, DENIED = "Occurred", "Planned", "Proposed", "Denied"


@dataclass
class Actor:
    """One real-world actor (or place) as found in one article.

    ``key`` makes its IRI: the ISO code of a country, the gazetteer key of a
    known organisation, else the name. ``dip_class`` is the most specific
    class known (``ArmedGroup``, ``GovernmentBody`` …).
    """

    kind: str
    key: str
    label: str
    dip_class: str
    wikidata: str | None = None
    country_code: str | None = None  # on countries: their own ISO code
    located_in: str | None = None  # on places: the ISO code of their country
    home_country: str | None = None  # on organisations: the country they belong to
    alt_labels: set[str] = field(default_factory=set)

    @property
    def actor_id(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Holding:
    """A person holds an office, as one sentence says."""

    holder: str  # actor id
    role: str  # dip:Role local name
    title: str  # as written
    in_actor: str | None
    evidence: Span
    confidence: float
    rule: str = "unknown"  # the rule that read it, a cue for the scorer
    cues: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Membership:
    member: str
    organization: str
    evidence: Span
    confidence: float
    rule: str = "unknown"  # the rule that read it, a cue for the scorer
    cues: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass
class Event:
    """An event as one sentence states it."""

    dip_class: str
    label: str
    evidence: Span
    confidence: float
    status: str = OCCURRED
    initiators: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    location: str | None = None
    other_locations: list[str] = field(default_factory=list)  # "in Syria and Iraq"
    date: tuple[str, str] | None = None  # (lexical value, xsd type local name)
    date_text: str | None = None
    topics: list[str] = field(default_factory=list)
    weapon: str | None = None
    weapon_origin: str | None = None  # ISO code of the country that made it
    about: str | None = None  # actor id the event concerns
    extra_evidence: list[Span] = field(default_factory=list)  # other sentences stating it
    intent: str | None = None  # 'will', 'ready', … when the sentence states an intention
    about_event: Event | None = None  # the intended event, for a promise or a threat
    trigger: str | None = None  # the lemma of the word that states it
    hosted: bool = False  # the recipients host it ("will host talks", "convened by")
    cues: dict[str, float] = field(default_factory=dict)  # evidence for the scorer
    trigger_span: Span | None = None  # the word that states it, in the article's text
    # (role, actor id) -> the probability that the actor plays that role, and why
    argument_confidence: dict[tuple[str, str], float] = field(default_factory=dict)
    argument_cues: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    def all_actors(self) -> list[str]:
        seen: list[str] = []
        for actor in (*self.initiators, *self.recipients, *self.participants):
            if actor not in seen:
                seen.append(actor)
        return seen


@dataclass
class Statement:
    speaker: str
    evidence: Span
    confidence: float
    quote: str | None = None
    content: str | None = None
    recipient: str | None = None
    date: tuple[str, str] | None = None
    date_text: str | None = None
    topics: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)  # actors the words name, speaker aside


@dataclass
class Extraction:
    """Everything one article yields."""

    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[tuple[str, Span]] = field(default_factory=list)  # (actor id, span)
    holdings: list[Holding] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    nationalities: dict[str, str] = field(default_factory=dict)  # person id -> ISO code
    # per actor id: the probability that its name names an actor of its kind, and why
    actor_confidence: dict[str, float] = field(default_factory=dict)
    actor_cues: dict[str, dict[str, float]] = field(default_factory=dict)

    def add_mention(self, actor: Actor, span: Span, *, is_name: bool = True) -> str:
        """Record a mention; a name that differs from the label becomes an alt label.

        A demonym ("Russian") or a title ("the foreign minister") is a mention
        of the actor but not one of its names.
        """
        known = self.actors.setdefault(actor.actor_id, actor)
        if is_name and span.text != known.label and not span.text.islower():
            known.alt_labels.add(span.text)
        if (actor.actor_id, span) not in self.mentions:
            self.mentions.append((actor.actor_id, span))
        return actor.actor_id

    def mention_count(self, actor_id: str) -> int:
        return sum(1 for aid, _ in self.mentions if aid == actor_id)
