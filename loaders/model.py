"""What extraction produces: actors with their mentions (and, as the
extractor grows, events, holdings and statements), independent of RDF."""

from __future__ import annotations

from dataclasses import dataclass, field

PERSON = "Person"
COUNTRY = "Country"
ORGANIZATION = "Organization"
PLACE = "Place"


@dataclass
class Actor:
    """One real-world actor as found in one article.

    ``key`` is what makes its IRI: the ISO code of a country, else its name.
    ``dip_class`` is the most specific class known (e.g. ``ArmedGroup``).
    """

    kind: str  # PERSON, COUNTRY, ORGANIZATION or PLACE
    key: str
    label: str
    dip_class: str
    wikidata: str | None = None
    country_code: str | None = None
    alt_labels: set[str] = field(default_factory=set)
    located_in: str | None = None  # ISO code of the country a place lies in


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class Extraction:
    """Everything one article yields; actors are keyed by ``kind:key``."""

    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[tuple[str, Span]] = field(default_factory=list)  # (actor id, span)

    def add_mention(self, actor: Actor, span: Span, *, is_name: bool = True) -> str:
        """Record a mention; a name that differs from the label becomes an alt label.

        A demonym ("Russian") is a mention of a country but not one of its names.
        """
        actor_id = f"{actor.kind}:{actor.key}"
        known = self.actors.setdefault(actor_id, actor)
        if is_name and span.text != known.label and not span.text.islower():
            known.alt_labels.add(span.text)
        self.mentions.append((actor_id, span))
        return actor_id
