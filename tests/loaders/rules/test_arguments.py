"""Repairs of parses the small model gets wrong, on parses built by hand (the
model makes these mistakes only on some wordings, so the tests fix the parse)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from communique.loaders.model import Actor, Extraction
from communique.loaders.nlp.parsed import ParsedUnit
from communique.loaders.nlp.text import Unit
from communique.loaders.rules.arguments import phrase_actors
from communique.loaders.rules.state import ArticleState

# "Minister Ruiz and Minister Ana Salas will host envoys": the parser hung "Ruiz"
# (with its "and") on "Salas" as a modifier instead of coordinating the two.
WORDS = ["Minister", "Ruiz", "and", "Minister", "Ana", "Salas", "will", "host", "envoys"]
HEADS = [1, 5, 1, 5, 5, 7, 7, 7, 7]
DEPS = ["compound", "nmod", "cc", "compound", "compound", "nsubj", "aux", "ROOT", "dobj"]


def parsed() -> tuple[ArticleState, ParsedUnit]:
    doc = Doc(spacy.blank("en").vocab, words=WORDS, heads=HEADS, deps=DEPS)
    unit = ParsedUnit(Unit(0, len(doc.text), "paragraph"), doc)
    extraction = Extraction()
    for first, last, name in ((1, 1, "Ruiz"), (4, 5, "Ana Salas")):
        person = Actor("Person", name, name, "Person")
        span = unit.span(doc[first], doc[last])
        unit.mark(doc[first], doc[last], extraction.add_mention(person, span), span)
    return ArticleState(units=[unit], extraction=extraction), unit


def test_a_name_hung_on_another_with_its_and_is_a_coordinated_subject() -> None:
    state, unit = parsed()
    subject = unit.doc[5]
    labels = [state.extraction.actors[a].label for a in phrase_actors(state, unit, subject)]
    assert labels == ["Ruiz", "Ana Salas"]


def test_a_modifier_without_and_stays_a_modifier() -> None:
    state, unit = parsed()
    unit.doc[2].dep_ = "punct"  # "Minister Ruiz, Minister Ana Salas": no coordination
    subject = unit.doc[5]
    labels = [state.extraction.actors[a].label for a in phrase_actors(state, unit, subject)]
    assert labels == ["Ana Salas"]


def test_an_it_that_stands_for_nothing_names_no_actor() -> None:
    # "Peru met Chile . it is vital to act": the 'it' of a judgement is no country
    words = ["Peru", "met", "Chile", ".", "It", "is", "vital", "to", "act"]
    heads = [1, 1, 1, 1, 5, 5, 5, 8, 5]
    deps = ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "acomp", "aux", "xcomp"]
    lemmas = ["Peru", "meet", "Chile", ".", "it", "be", "vital", "to", "act"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, lemmas=lemmas)
    unit = ParsedUnit(Unit(0, len(doc.text), "paragraph"), doc)
    extraction = Extraction()
    for index, name in ((0, "Peru"), (2, "Chile")):
        country = Actor("Country", name, name, "Country")
        span = unit.span(doc[index], doc[index])
        unit.mark(doc[index], doc[index], extraction.add_mention(country, span), span)
    state = ArticleState(units=[unit], extraction=extraction)
    assert phrase_actors(state, unit, doc[4]) == []
    # "it is ready to act": the 'it' is a country named before it, and as the subject
    # of its sentence it continues the subject of the sentence before, Peru
    doc[6].lemma_ = "ready"
    assert phrase_actors(state, unit, doc[4]) == ["Country:Peru"]
