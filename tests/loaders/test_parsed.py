"""The parsed unit's helpers give what spaCy itself gives, faster."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from communique.loaders.nlp.parsed import sentence_of

VOCAB = spacy.blank("en").vocab
words = st.lists(st.sampled_from(["Talks", "ended", ".", "Lima", "and", "Quito", ",", "met"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(words.filter(bool), min_size=1, max_size=12))
def test_the_sentence_of_a_token_is_the_one_spacy_gives(sentences: list[list[str]]) -> None:
    """Sentences of any lengths, set as the parser sets them (every token a start
    or not one)."""
    tokens = [word for sentence in sentences for word in sentence]
    starts = [n == 0 for sentence in sentences for n, _ in enumerate(sentence)]
    doc = Doc(VOCAB, words=tokens, sent_starts=starts)
    for token in doc:
        mine = sentence_of(token)
        assert (mine.start, mine.end) == (token.sent.start, token.sent.end)
        assert sentence_of(token) is mine  # listed once, kept with the doc
