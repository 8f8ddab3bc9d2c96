"""Entity extraction rules, on sentences written for these tests."""

from __future__ import annotations

from communique.loaders.extract import extract_doc
from communique.loaders.gazetteer import load_gazetteer, normalise
from communique.loaders.model import Extraction
from communique.loaders.nlp import load_pipeline

from tests.conftest import MODEL


def extract(text: str) -> Extraction:
    return extract_doc(load_pipeline(MODEL)(text), load_gazetteer())


def mentions_of(extraction: Extraction, actor_id: str) -> list[str]:
    return [span.text for aid, span in extraction.mentions if aid == actor_id]


def test_country_names_variants_and_demonyms_are_mentions_of_the_country() -> None:
    text = ("The Russian Federation and Norway held talks. Russian diplomats said "
            "Russia would reply.")
    result = extract(text)
    assert mentions_of(result, "Country:RU") == ["Russian Federation", "Russian", "Russia"]
    russia = result.actors["Country:RU"]
    assert russia.label == "Russia" and russia.wikidata == "Q159"
    assert "Russian" not in russia.alt_labels  # a demonym is not a name
    assert "Russian Federation" in russia.alt_labels


def test_the_pronoun_us_is_not_the_united_states() -> None:
    result = extract("The minister told us that the US embassy in Oslo would reopen.")
    assert mentions_of(result, "Country:US") == ["US"]


def test_a_surname_refers_back_to_the_full_name() -> None:
    result = extract("Foreign Minister Ingrid Halvorsen arrived in Lima. "
                     "Halvorsen met the Peruvian president.")
    assert mentions_of(result, "Person:Ingrid Halvorsen") == ["Ingrid Halvorsen", "Halvorsen"]


def test_known_organisations_get_their_class_and_variants_merge() -> None:
    result = extract("Hizbullah and Hezbollah are spellings of one group; the EU said so.")
    hezbollah = result.actors["Organization:hezbollah"]
    assert hezbollah.dip_class == "ArmedGroup"
    assert mentions_of(result, "Organization:hezbollah") == ["Hizbullah", "Hezbollah"]
    assert result.actors["Organization:european-union"].dip_class == "InternationalOrganization"


def test_an_entity_never_spans_a_line_break() -> None:
    result = extract("Talks in Moyale\n\nThe envoy left.")
    assert all("\n" not in span.text for _aid, span in result.mentions)


def test_mention_offsets_point_into_the_text() -> None:
    text = "“Chile’s position is clear,” said the Chilean minister in Santiago."
    result = extract(text)
    assert result.mentions
    for _aid, span in result.mentions:
        assert text[span.start:span.end] == span.text


def test_normalise_ignores_case_article_and_possessive() -> None:
    assert normalise("The  United Nations’") == "united nations"
