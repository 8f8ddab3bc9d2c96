"""The pieces under the rules that are not a sentence's facts: name spellings,
the model's reading of capitals, boilerplate, and the fast path for dates.
Sentence cases live in ``cases/*.yaml`` (``test_cases.py``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from communique.loaders.nlp.pipeline import load_pipeline
from communique.loaders.nlp.text import split_units
from communique.loaders.rules import dates
from communique.loaders.rules.names import name_variants
from tests.helpers import MODEL


def test_name_variants_allow_transliterations_but_not_other_names() -> None:
    assert name_variants("Sergey", "Sergei") and name_variants("Meshaal", "Mashal")
    assert not name_variants("Sergei", "Sergio") and not name_variants("Ivanov", "Lavrov")


def test_text_set_in_capitals_keeps_the_norms_of_its_words() -> None:
    nlp = load_pipeline(MODEL)
    assert [t.norm_ for t in nlp("He said IS was near.") if t.text == "IS"] == ["i.s."]
    assert {t.norm_ for t in nlp("THE END OF IS IS NEAR.") if t.text == "IS"} == {"is"}


def test_boilerplate_is_not_parsed_and_offsets_do_not_move() -> None:
    body = (
        "Envoys meet in Oslo\n\nenvoy 320.40 (photo credit: Staff)\n"
        "  • Sweden recalls envoy from Iran During the talks, Norway urged Chile to sign.\n"
        "Related: Read more stories\n"
    )
    units = split_units(body, "Envoys meet in Oslo")
    texts = [body[u.start : u.end] for u in units]
    assert texts == ["Envoys meet in Oslo", "During the talks, Norway urged Chile to sign."]


@pytest.mark.parametrize("future", [False, True])
def test_common_time_expressions_resolve_as_dateparser_resolves_them(future: bool) -> None:
    """The fast path for the commonest expressions must agree with dateparser."""
    words = ["today", "tonight", "this morning", "yesterday", "tomorrow"]
    words += [f"{w} {u}" for w in ("last", "next", "this") for u in ("week", "month", "year")]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        words += [day, f"on {day}", f"last {day}", f"next {day}"]
    for offset in range(0, 400, 23):  # every weekday, month ends and a year end
        base = date(2015, 12, 20) + timedelta(days=offset)
        for text in words:
            quick = dates._common_expression(text, base, future=future)
            parser = dates._parser("future" if future else "past", dates._as_datetime(base))
            expected = dates._from_parsed(parser.get_date_data(text))
            assert quick == expected, (text, base, future)
