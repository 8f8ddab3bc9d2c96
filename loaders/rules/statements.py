"""Statements: quoted words with their speaker, and reported speech.

- '“…,” Ruiz said', '“…,” said Ruiz', 'Ruiz replied: “…”': a quote
  and the speech verb next to it; the verb's subject is the speaker (a
  pronoun or a title is resolved to the person it stands for).
- A second quote in the same paragraph with no verb of its own continues
  the previous speaker.
- 'Ruiz said she was deeply concerned …': a speech verb with a clause
  is reported speech; the clause is the content.
- A statement is about the actors and places its words name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from communique.loaders.lexicon.tables import word_set
from communique.loaders.model import Span, Statement
from communique.loaders.nlp.parsed import ParsedUnit, sentence_of
from communique.loaders.rules.arguments import actors_only, phrase_actors
from communique.loaders.rules.dates import resolve
from communique.loaders.rules.events import time_expression
from communique.loaders.rules.state import ArticleState
from communique.loaders.rules.topics import topics_in

SPEECH_VERBS = word_set("speech_verbs")
FIRST_PERSON = word_set("first_person")
STANCE_NOUNS = word_set("stance_nouns")
QUOTE = re.compile(r"“([^”]{10,}?)”|\"([^\"]{10,}?)\"")
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class _Quote:
    start: int  # offsets into the unit text, quote marks excluded
    end: int


def find_statements(state: ArticleState) -> None:
    paragraphs = [unit for unit in state.units if unit.unit.kind == "paragraph"]
    for unit in paragraphs:
        quotes = _quotes(unit.text)
        used_verbs: set[int] = set()
        previous_speaker: str | None = None
        for quote in quotes:
            statement, verb = _quoted_statement(state, unit, quote, quotes, previous_speaker)
            if statement is not None:
                state.extraction.statements.append(statement)
                previous_speaker = statement.speaker
                if verb is not None:
                    used_verbs.add(verb.i)
        _reported_statements(state, unit, quotes, used_verbs)
    _paragraph_quotes(state, paragraphs)


def _paragraph_quotes(state: ArticleState, paragraphs: list[ParsedUnit]) -> None:
    """'Minister Ruiz said:' closing a paragraph, and the speaker's words in the
    paragraphs after it, without quote marks (the layout of press releases). The
    first paragraph after the colon is the speaker's; the next ones too while they
    speak in the first person and report no other speaker."""
    for index, intro in enumerate(paragraphs[:-1]):
        verb = _introducing_verb(intro)
        speaker = _speaker(state, intro, verb) if verb is not None else None
        if speaker is None:
            continue
        for number, words in enumerate(paragraphs[index + 1 :]):
            if number and not _speaks_on(words):
                break
            state.extraction.statements.append(_paragraph_statement(words, speaker, verb))


def _introducing_verb(unit: ParsedUnit) -> Token | None:
    """The speech verb of a paragraph that ends in a colon: 'Ruiz said:'."""
    tokens = [t for t in unit.doc if not t.is_space]
    if not tokens or tokens[-1].text != ":":
        return None
    verbs = [
        t for t in sentence_of(tokens[-1]) if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")
    ]
    return verbs[-1] if verbs else None


def _speaks_on(unit: ParsedUnit) -> bool:
    """A later paragraph goes on with the speaker's words when it speaks in the first
    person and has no speech verb of its own ('Ruiz added')."""
    first_person = any(t.lower_ in FIRST_PERSON for t in unit.doc)
    reports = any(t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB" for t in unit.doc)
    return first_person and not reports and _introducing_verb(unit) is None


def _paragraph_statement(unit: ParsedUnit, speaker: str, verb: Token) -> Statement:
    tokens = [t for t in unit.doc if not t.is_space]
    text = unit.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    return Statement(
        speaker=speaker,
        evidence=unit.span(tokens[0], tokens[-1]),
        confidence=0.8,
        quote=text,
        topics=topics_in(text),
        about=_named_in(unit, tokens, speaker),
    )


def _quotes(text: str) -> list[_Quote]:
    found = []
    for match in QUOTE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        if len(match.group(group).split()) >= MIN_QUOTE_WORDS:
            found.append(_Quote(match.start(group), match.end(group)))
    return found


def _inside(quotes: list[_Quote], token: Token) -> bool:
    return any(q.start <= token.idx < q.end for q in quotes)


def _quoted_statement(
    state: ArticleState, unit: ParsedUnit, quote: _Quote, quotes: list[_Quote], previous: str | None
) -> tuple[Statement | None, Token | None]:
    doc = unit.doc
    sentences = {sentence_of(t) for t in doc if quote.start <= t.idx < quote.end + 2}
    candidates = [
        t
        for s in sentences
        for t in s
        if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and not _inside(quotes, t)
    ]
    verb = min(
        candidates,
        key=lambda t: min(abs(t.idx - quote.end), abs(t.idx - quote.start)),
        default=None,
    )
    speaker = _speaker(state, unit, verb) if verb is not None else None
    confidence = 0.85
    if speaker is None and verb is None and previous is not None:
        speaker, confidence = previous, 0.6
    if speaker is None:
        return None, None
    first = min(s.start for s in sentences)
    last = max(s.end for s in sentences)
    evidence = unit.sentence_span(doc[first:last])
    text = unit.text[quote.start : quote.end]
    words = [t for t in doc if quote.start <= t.idx < quote.end]
    return Statement(
        speaker=speaker,
        evidence=evidence,
        confidence=confidence,
        quote=text,
        recipient=_addressee(state, unit, verb),
        topics=topics_in(text),
        about=_named_in(unit, words, speaker),
    ), verb


def _named_in(unit: ParsedUnit, words: list[Token], speaker: str) -> list[str]:
    """The actors and places the words name, so that 'what did X say about Y' is a
    query: 'Ruiz said Chile would reopen its embassy' is about Chile."""
    named = (unit.actor_of(t) for t in words)
    return list(dict.fromkeys(a for a in named if a is not None and a != speaker))


def _speaker(state: ArticleState, unit: ParsedUnit, verb: Token) -> str | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "conj":
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    actors = actors_only(state, phrase_actors(state, unit, subject))
    return actors[0] if actors else None


def _addressee(state: ArticleState, unit: ParsedUnit, verb: Token | None) -> str | None:
    if verb is None or verb.lemma_ != "tell":
        return None
    target = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
    actors = actors_only(state, phrase_actors(state, unit, target)) if target is not None else []
    return actors[0] if actors else None


def _reported_statements(
    state: ArticleState, unit: ParsedUnit, quotes: list[_Quote], used: set[int]
) -> None:
    for verb in unit.tokens_with(SPEECH_VERBS):
        if (
            verb.i in used
            or verb.lemma_ not in SPEECH_VERBS
            or verb.pos_ != "VERB"
            or _inside(quotes, verb)
        ):
            continue
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        clause = clause or _stance_object(verb)  # "confirmed Israel's readiness to …"
        if clause is None or any(_inside(quotes, t) for t in clause.subtree):
            continue
        speaker = _speaker(state, unit, verb)
        if speaker is not None:
            statement = _reported(state, unit, verb, clause, speaker)
            state.extraction.statements.append(statement)
    for stance in unit.tokens_with(STANCE_NOUNS):
        found = _stance_statement(state, unit, stance, quotes)
        if found is not None:
            state.extraction.statements.append(found)


def _reported(
    state: ArticleState, unit: ParsedUnit, verb: Token, clause: Token, speaker: str
) -> Statement:
    tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.i == clause.left_edge.i)]
    content = unit.doc[tokens[0].i : tokens[-1].i + 1].text
    when = time_expression(unit, verb)
    return Statement(
        speaker=speaker,
        evidence=unit.sentence_span(sentence_of(verb)),
        confidence=0.7,
        content=content,
        recipient=_addressee(state, unit, verb),
        date=resolve(when, state.published, future=False) if when else None,
        date_text=when,
        topics=topics_in(content),
        about=_named_in(unit, tokens, speaker),
    )


def _stance_object(verb: Token) -> Token | None:
    """The object of a speech verb that is a stance: 'confirmed Israel's readiness to
    take part', 'reiterated its support for the talks'."""
    direct = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return direct if direct is not None and direct.lemma_.lower() in STANCE_NOUNS else None


def _stance_statement(
    state: ArticleState, unit: ParsedUnit, stance: Token, quotes: list[_Quote]
) -> Statement | None:
    """'Ruiz's position on the talks is that Chile must first withdraw …': the
    owner of a stance, stated as a clause after 'is', says that clause."""
    verb = stance.head
    if stance.dep_ != "nsubj" or verb.lemma_ != "be" or _inside(quotes, stance):
        return None
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    owner = next((c for c in stance.children if c.dep_ == "poss"), None)
    if clause is None or owner is None:
        return None
    speakers = actors_only(state, phrase_actors(state, unit, owner))
    if not speakers:
        return None
    return _reported(state, unit, verb, clause, speakers[0])


__all__ = ["Span", "find_statements"]
