"""IRIs for names in any script: distinct names get distinct, stable IRIs that
are valid IRIs, whatever the script; none share a placeholder."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import example, given, settings
from hypothesis import strategies as st

from communique.vocab import Iris, slugify
from tests.helpers import BASE_IRI, examples

IRIS = Iris(BASE_IRI)


def test_two_people_named_in_cyrillic_are_two_people() -> None:
    lavrov, shoigu = IRIS.person("Сергей Лавров"), IRIS.person("Сергей Шойгу")
    assert lavrov != shoigu
    assert lavrov == IRIS.person("Сергей  Лавров")  # stable: the same name, the same IRI
    assert str(lavrov).endswith("/person/сергей-лавров")


def test_names_in_other_scripts_keep_their_letters_and_marks() -> None:
    names = ["عبد الله الثاني", "习近平", "李强", "नरेन्द्र मोदी", "नरेंद्र मोदी", "Ελλάδα", "東京"]
    slugs = [slugify(name) for name in names]
    assert len(set(slugs)) == len(names)
    assert slugify("习近平") == "习近平"


def test_names_without_letters_get_a_digest_not_a_shared_placeholder() -> None:
    assert slugify("★") != slugify("☆")
    assert slugify("★") == slugify("★")
    assert "unnamed" not in slugify("!!!")


def test_latin_names_fold_accents_and_case_as_before() -> None:
    assert slugify("José Martí") == "jose-marti"
    assert slugify("Angela Merkel's") == "angela-merkels"


@settings(max_examples=examples(300))
@given(st.text(max_size=40))
@example("\U000e0100")  # found by this test: a mark IRIs may not hold unescaped
def test_every_name_gives_a_valid_iri(name: str) -> None:
    ox.NamedNode(str(IRIS.person(name)))  # raises on an invalid IRI


CYRILLIC = st.text(st.characters(min_codepoint=0x430, max_codepoint=0x44F), min_size=1, max_size=12)


@settings(max_examples=examples(300))
@given(CYRILLIC, CYRILLIC)
def test_different_names_in_one_script_get_different_iris(first: str, second: str) -> None:
    if first != second:
        assert IRIS.person(first) != IRIS.person(second)
