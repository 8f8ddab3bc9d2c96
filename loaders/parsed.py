"""A parsed unit of an article, and where its tokens sit in the body."""

from __future__ import annotations

from dataclasses import dataclass, field

from communique.loaders.model import Span
from communique.loaders.text import Unit
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan


@dataclass
class ParsedUnit:
    """One paragraph (or the headline) as spaCy parsed it.

    ``actor_at`` maps a token index to the actor its mention names, filled in
    by the mention finder and read by every later rule.
    """

    unit: Unit
    doc: Doc
    actor_at: dict[int, str] = field(default_factory=dict)
    mention_at: dict[int, Span] = field(default_factory=dict)

    def offset(self, token: Token) -> int:
        return self.unit.start + token.idx

    def span(self, first: Token, last: Token) -> Span:
        start = self.unit.start + first.idx
        end = self.unit.start + last.idx + len(last.text)
        return Span(start, end, self.doc.text[first.idx : last.idx + len(last.text)])

    def sentence_span(self, sentence: SpacySpan) -> Span:
        tokens = [t for t in sentence if not t.is_space]
        return self.span(tokens[0], tokens[-1])

    def actor_of(self, token: Token) -> str | None:
        return self.actor_at.get(token.i)

    def mark(self, first: Token, last: Token, actor_id: str, span: Span) -> None:
        for i in range(first.i, last.i + 1):
            self.actor_at[i] = actor_id
            self.mention_at[i] = span
