"""What the rules know of one article while they read it: its parsed units,
what has been extracted so far, and what the families share.

The rule families run in order over one ``ArticleState`` (see
``communique.loaders.extract.STAGES``, which says what each reads and
writes). Besides the extraction, the families share the tokens' marks on
each ``ParsedUnit`` (``actor_at``, ``mention_at``, ``title_holder_at``) and
two tables kept here: the holders of each role and the persons' countries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.tokens import Token

from communique.loaders.lexicon.gazetteer import Gazetteer, load_gazetteer
from communique.loaders.model import COUNTRY, PERSON, Extraction
from communique.loaders.nlp.parsed import ParsedUnit, sentence_of
from communique.loaders.read.article import Article

# How far back (characters) a pronoun looks for a subject to stand for: about two sentences.
PRONOUN_REACH = 400


@dataclass
class ArticleState:
    """What the rules know about the article while they read it in order."""

    units: list[ParsedUnit]
    extraction: Extraction
    gazetteer: Gazetteer = field(default_factory=load_gazetteer)
    article: Article | None = None  # its publication date anchors relative dates
    holdings_by_role: dict[str, list[str]] = field(default_factory=dict)  # role -> holders
    nationality: dict[str, str] = field(default_factory=dict)  # person id -> ISO code
    subject_starts: set[int] | None = None  # see _subject_starts

    @property
    def published(self) -> date | datetime | None:
        return self.article.published if self.article is not None else None

    def principal(self, kind: str, count: int = 2) -> list[str]:
        """The actors of a kind the article mentions most (first mention breaks ties)."""
        order: dict[str, int] = {}
        counts: Counter[str] = Counter()
        for index, (actor_id, _span) in enumerate(self.extraction.mentions):
            if self.extraction.actors[actor_id].kind == kind:
                counts[actor_id] += 1
                order.setdefault(actor_id, index)
        ranked = sorted(counts, key=lambda a: (-counts[a], order[a]))
        return ranked[:count]

    def last_person_before(self, unit: ParsedUnit, token: Token) -> str | None:
        """The person a pronoun before this token stands for: the most recent person
        mentioned as the subject of a clause close before it, else the most recent
        person mentioned. News carries the subject on ('Ortega met Salas. He said …'
        is Ortega speaking)."""
        position = unit.offset(token)
        before = [
            (span.start, actor_id)
            for actor_id, span in self.extraction.mentions
            if span.start < position and self.extraction.actors[actor_id].kind == PERSON
        ]
        if not before:
            return None
        subjects = self._subject_starts()
        near = [m for m in before if m[0] >= position - PRONOUN_REACH and m[0] in subjects]
        return max(near or before)[1]

    def _subject_starts(self) -> set[int]:
        """Where the mentions that are the subject of a clause start (computed once)."""
        if self.subject_starts is None:
            self.subject_starts = {
                span.start
                for unit in self.units
                for i, span in unit.mention_at.items()
                if _in_subject(unit.doc[i])
            }
        return self.subject_starts

    def last_actor_before(
        self, unit: ParsedUnit, token: Token, kinds: tuple[str, ...]
    ) -> str | None:
        """The most recent country or organisation named before the token, in its sentence
        or the one before ('Syria says it is willing …')."""
        position = unit.offset(token)
        window = unit.offset(sentence_of(token)[0]) - 300
        found = [
            (span.start, actor_id)
            for actor_id, span in self.extraction.mentions
            if self.extraction.actors[actor_id].kind in kinds and window <= span.start < position
        ]
        if not found:
            return None
        # the subject of a main clause continues the subject before it ('Chile accused
        # Peru of …. It asked the UN …': Chile); elsewhere ('with the Iraqi people as
        # they confront …') a pronoun is the nearest name
        main_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT"
        subjects = self._subject_starts() if main_subject else set()
        return max([m for m in found if m[0] in subjects] or found)[1]

    def country_of(self, actor_id: str) -> str | None:
        actor = self.extraction.actors.get(actor_id)
        if actor is None:
            return None
        if actor.kind == COUNTRY:
            return actor.key
        if actor.kind == PERSON:
            return self.nationality.get(actor_id)
        return actor.home_country or actor.located_in


def _in_subject(token: Token) -> bool:
    """The token is a clause's subject, or names whose it is ('Hamas fighters',
    'Peru's army', 'Chilean troops')."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        return True
    return token.dep_ in ("compound", "amod", "poss", "nmod") and token.head.dep_ in (
        "nsubj",
        "nsubjpass",
    )
