"""From a parsed article to actors and their mentions.

Entities come from the gazetteer's EntityRuler (countries by name or
demonym, known organisations) and from spaCy's statistical NER (persons,
other organisations, places). Within an article a surname alone refers back
to the full name seen before it ("Lavrov" -> "Sergey Lavrov").
"""

from __future__ import annotations

from collections.abc import Iterator

from communique.loaders.article import Article
from communique.loaders.gazetteer import COUNTRY, Entry, Gazetteer, load_gazetteer
from communique.loaders.model import COUNTRY as COUNTRY_KIND
from communique.loaders.model import (
    ORGANIZATION,
    PERSON,
    PLACE,
    Actor,
    Extraction,
    Span,
)
from communique.loaders.nlp import load_pipeline
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

NER_KINDS = {"PERSON": PERSON, "ORG": ORGANIZATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE}
BATCH_SIZE = 16


def extract_articles(articles: list[Article], model: str) -> Iterator[Extraction]:
    """Parse articles in batches with ``nlp.pipe`` and extract each one."""
    nlp = load_pipeline(model)
    gazetteer = load_gazetteer()
    bodies = (article.body for article in articles)
    for doc in nlp.pipe(bodies, batch_size=BATCH_SIZE):
        yield extract_doc(doc, gazetteer)


def extract_doc(doc: Doc, gazetteer: Gazetteer) -> Extraction:
    extraction = Extraction()
    persons = PersonResolver()
    for ent in doc.ents:
        actor = _actor_for(ent, gazetteer, persons)
        if actor is not None:
            extraction.add_mention(actor, _trimmed(ent), is_name=ent.label_ != "NORP")
    return extraction


def _actor_for(ent: SpacySpan, gazetteer: Gazetteer, persons: PersonResolver) -> Actor | None:
    if ent.ent_id_:
        entry = gazetteer.by_id(ent.ent_id_)
        if entry is not None:
            return _gazetteer_actor(entry)
    kind = NER_KINDS.get(ent.label_)
    name = _clean_name(ent)
    if kind is None or not _looks_like_name(name):
        return None
    if kind == PERSON:
        name = persons.resolve(name)
        return Actor(PERSON, name, name, PERSON)
    entry = gazetteer.lookup(name)
    if entry is not None:
        return _gazetteer_actor(entry)
    return Actor(kind, name, name, kind)


def _gazetteer_actor(entry: Entry) -> Actor:
    if entry.kind == COUNTRY:
        return Actor(COUNTRY_KIND, entry.key, entry.label, COUNTRY_KIND,
                     wikidata=entry.wikidata, country_code=entry.key)
    return Actor(ORGANIZATION, entry.key, entry.label, entry.org_class or ORGANIZATION,
                 wikidata=entry.wikidata)


def _clean_name(ent: SpacySpan) -> str:
    return _trimmed(ent).text


def _trimmed(ent: SpacySpan) -> Span:
    """The entity's span without a leading 'the' or a trailing possessive."""
    tokens = list(ent)
    while tokens and (tokens[0].lower_ == "the" or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ == "POS" or tokens[-1].is_space):
        tokens = tokens[:-1]
    if not tokens:
        return Span(ent.start_char, ent.end_char, ent.text)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Span(start, end, ent.doc.text[start:end])


def _looks_like_name(text: str) -> bool:
    """A capitalised span on one line: a name never runs across a line break."""
    return text[:1].isupper() and "\n" not in text


class PersonResolver:
    """Maps a surname or partial name to the fullest name seen so far in the article."""

    def __init__(self) -> None:
        self._full_names: list[str] = []

    def resolve(self, name: str) -> str:
        words = name.split()
        for full in self._full_names:
            full_words = full.split()
            if len(words) < len(full_words) and full_words[-len(words):] == words:
                return full
        if len(words) > 1:
            self._full_names.append(name)
        return name
