"""Paging a listing by the months the summaries count (``server/paging.py``):
the months chosen hold exactly the page's rows, and a page read by months is
the page read from the whole listing, filters and all."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from communique.server import analysis, filters, paging
from communique.server.app import create_app
from communique.server.filters import from_request
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.store.summaries import month_backfill_update
from communique.vocab import Iris, sparql_prefixes
from tests.helpers import BASE_IRI
from tests.store.test_summaries import COUNTRIES, PERSONS, STATUSES, TYPES, article_write

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


@given(
    counts=st.dictionaries(st.sampled_from(MONTHS), st.integers(0, 30), min_size=1),
    undated=st.integers(0, 5),
    offset=st.integers(0, 120),
    size=st.integers(1, 25),
)
def test_the_months_chosen_hold_exactly_the_rows_of_the_page(
    counts: dict[str, int], undated: int, offset: int, size: int
) -> None:
    window = paging.plan(counts, undated, {m: 0 for m in MONTHS}, offset, size)
    dated = sum(counts.values())
    if window is None:  # only when the page reaches the undated rows, or past the end
        assert offset + size > dated
        return
    rows = [m for m in sorted(counts, reverse=True) for _ in range(counts[m])]
    read = [m for m in rows if m in window.months]
    assert rows.index(read[0]) == window.skipped  # the months read are contiguous
    assert read == rows[window.skipped : window.skipped + len(read)]
    assert rows[offset : offset + size] == read[offset - window.skipped :][:size]


def test_a_sparse_listing_is_read_whole() -> None:
    """Reading a month means going through all of the store's events of that
    month: for a listing of a few events a month, reading it whole costs less."""
    counts = {m: 2 for m in MONTHS}
    assert paging.plan(counts, 0, {m: 1000 for m in MONTHS}, 0, 10) is None
    assert paging.plan(counts, 0, {m: 2 for m in MONTHS}, 0, 10) is not None


def _random_article(chooser: random.Random) -> dict:
    def event() -> dict:
        return {
            "type": chooser.choice(TYPES),
            "status": chooser.choice(STATUSES),
            "participants": chooser.sample(COUNTRIES + PERSONS, chooser.randint(1, 3)),
            "initiators": chooser.randint(0, 2),
            "date": chooser.choice(["none", "day", "month", "year", "other year"]),
            "month": chooser.randint(1, 12),
        }

    return {
        "published": chooser.choice([None, *range(1, 13)]),
        "events": [event() for _ in range(chooser.randint(1, 5))],
        "holdings": [(chooser.choice(PERSONS), chooser.choice(COUNTRIES))],
        "nationalities": [],
        "mentions": [],
        "statements": 0,
    }


@pytest.fixture(scope="module")
def busy_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app over 120 generated articles (about 360 events over 12 months)."""
    path = tmp_path_factory.mktemp("paging") / "store"
    writer = EmbeddedStore(path, Iris(BASE_IRI))
    chooser = random.Random(7)
    for slot in range(120):
        writer.write_article(article_write(slot, _random_article(chooser)))
    writer.update(sparql_prefixes() + month_backfill_update())  # each event's month
    writer.close()
    store = EmbeddedStore(path, Iris(BASE_IRI), read_only=True)
    yield create_app(Settings.from_env({}, store=path, base_iri=BASE_IRI), store)
    store.close()


def _pages(app: Flask, query: str, listing: str, cost: float) -> list[tuple[list[str], bool]]:
    """Every page of a country's or a pair's listing, read with a month cost."""
    pages: list[tuple[list[str], bool]] = []
    more, page = True, 1
    while more:
        with app.test_request_context(f"/?{query}&page={page}"):
            paging.MONTH_EVENT_COST = cost
            wanted = from_request(set(analysis.quad_classes()), BASE_IRI)
            ru, sy = (app.extensions["communique_store"].iris.country(c) for c in ("RU", "SY"))
            if listing == "country":
                rows, _ = analysis.country_summary(_node(ru))
                events, more = analysis.country_events(_node(ru), wanted, rows)
            else:
                rows, _ = analysis.pair_summary(_node(ru), _node(sy))
                pair = ((_node(ru), True), (_node(sy), True))
                events, more = analysis.pair_events(*pair, wanted, rows)
        pages.append(([e["event"] for e in events], more))
        page += 1
    return pages


def _node(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


@pytest.mark.parametrize("listing", ["country", "pair"])
@pytest.mark.parametrize(
    "query", ["", "type=CONSULT", "from=2024-03&to=2024-08", "type=ASSAULT&to=2024-06",
              "status=Planned"],
)  # fmt: skip
def test_a_page_read_by_months_is_the_page_read_whole(
    busy_app: Flask, monkeypatch: pytest.MonkeyPatch, listing: str, query: str
) -> None:
    monkeypatch.setattr(analysis, "PAGE_SIZE", 7)
    monkeypatch.setattr(filters, "PAGE_SIZE", 7)
    monkeypatch.setattr(paging, "MONTH_EVENT_COST", paging.MONTH_EVENT_COST)
    by_months = _pages(busy_app, query, listing, cost=0.0)  # always by months when exact
    whole = _pages(busy_app, query, listing, cost=1e9)  # never
    assert by_months == whole
    assert len(whole) > 2 or query  # the listing spans several pages
