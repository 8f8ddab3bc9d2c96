"""The indexed attribute ruler gives what the model's own attribute_ruler gives."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from communique.loaders.lexicon.gazetteer import load_gazetteer
from communique.loaders.nlp.attribute_rules import IndexedAttributeRuler, index_attribute_rules
from communique.loaders.nlp.pipeline import add_acronym_norms, load_pipeline
from tests.helpers import CORPUS, EVAL, MODEL

# Sentences of my own reaching the rules a table cannot hold (several tokens,
# patterns) and the sets and exclusions it can: contractions, "gonna", "y'all",
# "let's", existential "there", object pronouns, auxiliaries as main verbs.
OWN_SENTENCES = [
    "The envoy ain't gonna sign, and y'all know it.",
    "Let's see whether the minister's gotta answer before they've left.",
    "There are talks in Oslo, and there's a summit that isn't planned.",
    "She told me the ceasefire had been broken because nobody did anything.",
    "I'm sure he has n't read the note; c'mon, they've had it for weeks.",
    "Which delegation that the ambassador invited does the king receive?",
    "Nothin' was agreed, though both sides said they would meet again.",
]


@pytest.fixture(scope="module")
def stock() -> Language:
    """The model with the stock ruler, reading acronyms as the product does."""
    nlp = spacy.load(MODEL)
    add_acronym_norms(nlp, load_gazetteer().ruler_patterns()[0])
    return nlp


@pytest.fixture(scope="module")
def indexed() -> Language:
    return load_pipeline(MODEL)


def texts() -> Iterator[str]:
    """The sample articles and the evaluation documents (read, never stored here)."""
    for path in sorted(CORPUS.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    for name in ("re3d.dev.jsonl", "plover_events.dev.jsonl"):
        with (EVAL / name).open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)["text"]
    yield from OWN_SENTENCES


def before_ruler(nlp: Language, text: str) -> Doc:
    """A document tagged and parsed, as the attribute ruler receives it."""
    doc = nlp.make_doc(text)
    for name, pipe in nlp.pipeline:
        if name == "attribute_ruler":
            return doc
        doc = pipe(doc)
    raise AssertionError("the model has no attribute_ruler")


def test_the_pipeline_uses_the_indexed_ruler(indexed: Language, stock: Language) -> None:
    ours, theirs = indexed.get_pipe("attribute_ruler"), stock.get_pipe("attribute_ruler")
    assert isinstance(ours, IndexedAttributeRuler)
    assert ours.patterns == theirs.patterns
    assert indexed.pipe_names.index("attribute_ruler") == stock.pipe_names.index("attribute_ruler")


def test_every_match_is_the_stock_rulers_match(indexed: Language, stock: Language) -> None:
    ours = indexed.get_pipe("attribute_ruler")
    theirs = stock.get_pipe("attribute_ruler")
    compared = 0
    for text in texts():
        doc = before_ruler(stock, text)
        assert ours.match(doc) == theirs.match(doc), text[:60]
        compared += len(doc)
    assert compared > 10_000


def test_every_token_ends_with_the_same_annotations(indexed: Language, stock: Language) -> None:
    for text in texts():
        mine, reference = indexed(text), stock(text)
        assert [t.text for t in mine] == [t.text for t in reference]
        for a, b in zip(mine, reference, strict=True):
            assert (a.pos_, a.tag_, str(a.morph), a.lemma_, a.dep_) == (
                b.pos_,
                b.tag_,
                str(b.morph),
                b.lemma_,
                b.dep_,
            ), (a.text, text[:60])


def test_rules_added_later_are_used(stock: Language) -> None:
    nlp = spacy.load(MODEL)
    index_attribute_rules(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    doc = nlp("The envoy met the minister.")
    assert doc[1].lemma_ == "envoy"
    ruler.add([[{"LOWER": "envoy"}]], {"LEMMA": "emissary"})
    ruler.add([[{"LOWER": {"IN": ["met", "meets"]}, "TAG": "VBD"}]], {"LEMMA": "encounter"})
    doc = nlp("The envoy met the minister.")
    assert (doc[1].lemma_, doc[2].lemma_) == ("emissary", "encounter")


def test_a_later_rule_wins_on_the_same_token() -> None:
    nlp = spacy.load(MODEL)
    index_attribute_rules(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "summit"}]], {"LEMMA": "first"})
    ruler.add([[{"TAG": "NN", "LOWER": "summit"}]], {"LEMMA": "second"})
    assert nlp("The summit ended.")[1].lemma_ == "second"


def test_an_index_outside_the_match_is_refused_as_the_stock_ruler_does() -> None:
    for make in (lambda nlp: None, index_attribute_rules):
        nlp = spacy.load(MODEL)
        make(nlp)
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "talks"}]], {"LEMMA": "talk"}, index=3)
        with pytest.raises(ValueError, match=r"E1001.*outside of matched span"):
            nlp("The talks ended.")


def test_a_pipeline_without_an_attribute_ruler_is_left_alone() -> None:
    nlp = spacy.blank("en")
    index_attribute_rules(nlp)
    assert nlp.pipe_names == []
    nlp.add_pipe("attribute_ruler")
    index_attribute_rules(nlp)  # no rules yet: nothing to match, nothing set
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert [t.lemma_ for t in nlp("Talks resumed.")] == ["", "", ""]
