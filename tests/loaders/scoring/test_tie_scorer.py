"""The scorer of holdings and memberships: its cues, its weights, the threshold."""

from __future__ import annotations

import dataclasses

import pytest

from communique.loaders.extract import extract_articles
from communique.loaders.model import Extraction
from communique.loaders.read.article import Article
from communique.loaders.scoring.decide import asserted
from communique.loaders.scoring.model import WEIGHTS_FORMAT, tie_scorer
from tests.helpers import MODEL

# Our own sentences: titles before names, appositions, membership verbs.
TEXT = (
    "Peruvian Foreign Minister Ana Ruiz met envoys in Lima on Monday. "
    "Tomas Berg, the head of the Border Bureau, said talks would go on. "
    "Chile is a member of the Andean Community. "
    "Bolivia joined Mercosur in 2015, officials said. "
    "Coalition nations include Peru, Chile and Ecuador, the Andean Community said."
)


def extract(text: str) -> Extraction:
    return next(extract_articles([Article(body=text, headline="Report", origin="t")], MODEL))


@pytest.fixture(scope="module")
def found() -> Extraction:
    return extract(TEXT)


def test_every_holding_and_membership_gets_the_scorers_probability(found: Extraction) -> None:
    scorer = tie_scorer()
    facts = [*found.holdings, *found.memberships]
    assert found.holdings and found.memberships
    for fact in facts:
        assert fact.cues["bias"] == 1.0 and any(k.startswith("rule=") for k in fact.cues)
        assert fact.confidence == pytest.approx(scorer.probability(fact.cues))


def test_a_title_and_its_country_are_placed_in_the_parse(found: Extraction) -> None:
    """'Peruvian Foreign Minister Ana Ruiz': one sentence, the country a demonym
    before the name, a short path between them."""
    ruiz = next(h for h in found.holdings if h.in_actor and h.in_actor.startswith("Country"))
    assert ruiz.cues["rule=title_before_name"] == 1.0
    assert ruiz.cues.get("second_is_adjective") == 1.0 and ruiz.cues.get("second_first") == 1.0
    assert any(k.startswith("path=") for k in ruiz.cues)
    assert "not_in_one_sentence" not in ruiz.cues


def test_the_grammatical_role_of_each_name_is_a_cue() -> None:
    """'Laura Pinto, the Governor of Tarapaca, spoke': the holder is the subject and
    the place the object of 'of'. A name in object-of-preposition position is, in
    the judged candidates, more often a place than an office holder; the cue lets
    the scorer weigh that."""
    holdings = extract("Laura Pinto, the Governor of Tarapaca, spoke on Monday.").holdings
    assert holdings
    pinto = holdings[0]
    assert pinto.cues.get("first_dep=nsubj") == 1.0
    assert pinto.cues.get("second_dep=pobj") == 1.0


def test_a_member_named_only_by_a_pronoun_is_flagged() -> None:
    """'She joined Mercosur' with the name in an earlier sentence: the membership's
    member is not in the sentence that states it."""
    found = extract("Laura Pinto arrived in Lima on Monday. She joined Mercosur in 2015.")
    assert found.memberships
    for membership in found.memberships:
        assert membership.cues.get("not_in_one_sentence") == 1.0


def test_holdings_and_memberships_under_the_threshold_are_not_asserted(found: Extraction) -> None:
    found = dataclasses.replace(found, actor_confidence={})  # the actors' own threshold aside
    ties = sorted(f.confidence for f in [*found.holdings, *found.memberships])
    cut = ties[len(ties) // 2]
    kept = asserted(found, cut)
    assert kept.holdings == [h for h in found.holdings if h.confidence >= cut]
    assert kept.memberships == [m for m in found.memberships if m.confidence >= cut]
    assert asserted(found, 0.0).holdings == found.holdings


def test_the_shipped_tie_weights_know_only_cues_extraction_makes() -> None:
    prefixes = ("fact=", "rule=", "pair=", "path=", "first_", "second_")
    known = {"bias", "gap", "sentence_length", "comma_between", "verb_between",
             "no_second_actor", "not_in_one_sentence"}  # fmt: skip
    shipped = tie_scorer()
    assert shipped.about["format"] == WEIGHTS_FORMAT
    assert [n for n in shipped.weights if n not in known and not n.startswith(prefixes)] == []
