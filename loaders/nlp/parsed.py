"""A parsed unit of an article, and where its tokens sit in the body."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from communique.loaders.model import Actor, Extraction, Span
from communique.loaders.nlp.text import Unit


@functools.lru_cache(maxsize=512)
def _hashes(words: frozenset[str]) -> frozenset[int]:
    """The words' ids in spaCy's string store (what Doc.to_array gives for LOWER and
    LEMMA), computed once per word list: the rules ask for the same lists in every
    unit of every article."""
    return frozenset(hash_string(w) for w in words)


@dataclass
class ParsedUnit:
    """One paragraph (or the headline) as spaCy parsed it.

    ``actor_at`` maps a token index to the actor its mention names, filled in
    by the mention finder and read by every later rule; ``title_holder_at``
    maps the words of a title before a name to that person, filled in by the
    holdings finder.
    """

    unit: Unit
    doc: Doc
    actor_at: dict[int, str] = field(default_factory=dict)
    mention_at: dict[int, Span] = field(default_factory=dict)
    # token index -> the person a title written before their name belongs to
    title_holder_at: dict[int, str] = field(default_factory=dict)
    # the unit's text as written (the doc may have read it with straight apostrophes);
    # kept here because spaCy rebuilds doc.text on every access
    text: str = ""

    def __post_init__(self) -> None:
        self.text = self.text or self.doc.text
        self._words: list[list[int]] = self.doc.to_array([LOWER, LEMMA]).tolist()

    def tokens_with(self, words: Iterable[str]) -> list[Token]:
        """Tokens whose lower-case form or lemma is one of the words, without building a
        Token object for every word of the unit (the hot path of every rule)."""
        wanted = _hashes(words if isinstance(words, frozenset) else frozenset(words))
        return [
            self.doc[i]
            for i, (lower, lemma) in enumerate(self._words)
            if lower in wanted or lemma in wanted
        ]

    def offset(self, token: Token) -> int:
        return self.unit.start + token.idx

    def span(self, first: Token, last: Token) -> Span:
        start = self.unit.start + first.idx
        end = self.unit.start + last.idx + len(last.text)
        return Span(start, end, self.text[first.idx : last.idx + len(last.text)])

    def sentence_span(self, sentence: SpacySpan) -> Span:
        tokens = [t for t in sentence if not t.is_space]
        return self.span(tokens[0], tokens[-1])

    def tokens_in(self, span: Span) -> list[Token]:
        """The unit's tokens that start inside the article span (none when the span
        lies outside the unit), found through spaCy's character index rather than
        by walking every token."""
        start, end = span.start - self.unit.start, span.end - self.unit.start
        if end <= 0 or start >= len(self.text):
            return []
        found = self.doc.char_span(max(start, 0), min(end, len(self.text)), alignment_mode="expand")
        if found is None:
            return []
        return [t for t in found if start <= t.idx < end]

    def actor_of(self, token: Token) -> str | None:
        return self.actor_at.get(token.i)

    def record(
        self,
        first: Token,
        last: Token,
        actor: Actor,
        extraction: Extraction,
        *,
        is_name: bool = True,
    ) -> None:
        """Record the words from first to last as a mention of the actor, and mark them."""
        span = self.span(first, last)
        actor_id = extraction.add_mention(actor, span, is_name=is_name)
        self.mark(first, last, actor_id, span)

    def mark(self, first: Token, last: Token, actor_id: str, span: Span) -> None:
        for i in range(first.i, last.i + 1):
            self.actor_at[i] = actor_id
            self.mention_at[i] = span


SENTENCES = "communique.sentences"  # the doc's user_data key of its sentences


def sentence_of(token: Token) -> SpacySpan:
    """The sentence the token is in, as ``token.sent`` says, from the doc's
    sentences listed once and kept with the parse: ``token.sent`` builds two
    spans and walks the sentence each time, and the rules ask it of the same
    few tokens again and again."""
    doc = token.doc
    listed = doc.user_data.get(SENTENCES)
    if listed is None:
        spans = list(doc.sents)
        index = [n for n, sentence in enumerate(spans) for _ in range(len(sentence))]
        listed = doc.user_data[SENTENCES] = (spans, index)
    spans, index = listed
    return spans[index[token.i]]


def unit_containing(units: list[ParsedUnit], span: Span) -> ParsedUnit | None:
    """The unit in whose text the article span starts, if any."""
    return next((u for u in units if u.unit.start <= span.start < u.unit.end), None)


def dependency_steps(a: Token, b: Token) -> int | None:
    """Steps from one token to the other through their lowest common head; None when
    they share none (two sentences)."""
    up_from_a = [a, *a.ancestors]
    depth = {t.i: n for n, t in enumerate(up_from_a)}
    for n, token in enumerate([b, *b.ancestors]):
        if token.i in depth:
            return depth[token.i] + n
    return None
