"""The summaries (``store/summaries.py``): after any writes, replacements and
removals they equal a recomputation from scratch, on both write paths (the
embedded store's data operations and the SPARQL Update any store runs), and
they count what their definitions say."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.load.pipeline import load_paths
from communique.rdf import SerializedWrite
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.store.summaries import (
    MONTH_TEXT,
    SUMMARY_VERSION,
    dyad_backfill_update,
    month_backfill_update,
)
from communique.vocab import PREFIXES, Iris, sparql_prefixes
from tests.helpers import ANALYST_NEWS, BASE_IRI, CORPUS, MODEL, examples

DIP, SCHEMA, XSD = PREFIXES["dip"], PREFIXES["schema"], PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
IRIS = Iris(BASE_IRI)
COUNTRIES = ["RU", "IL", "SY", "FR"]
PERSONS = ["ann-one", "bo-two", "cy-three"]
TYPES = [("Meeting", "CONSULT"), ("Assault", "ASSAULT"), ("Agree", "AGREE")]
STATUSES = ["Occurred", "Planned", "Denied"]


def _actor(name: str) -> str:
    return str(IRIS.country(name)) if name.isupper() else str(IRIS.person(name))


def _line(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> {o} .\n"


def _date(kind: str, month: int) -> str | None:
    return {
        "none": None,
        "day": f'"2024-{month:02d}-03"^^<{XSD}date>',
        "month": f'"2023-{month:02d}"^^<{XSD}gYearMonth>',
        "year": f'"2024"^^<{XSD}gYear>',
        "other year": f'"2019"^^<{XSD}gYear>',
    }[kind]


events = st.fixed_dictionaries(
    {
        "type": st.sampled_from(TYPES),
        "status": st.sampled_from(STATUSES),
        "participants": st.lists(st.sampled_from(COUNTRIES + PERSONS), max_size=4, unique=True),
        "initiators": st.integers(0, 2),
        "date": st.sampled_from(["none", "day", "month", "year", "other year"]),
        "month": st.integers(1, 12),
    }
)
articles = st.fixed_dictionaries(
    {
        "published": st.one_of(st.none(), st.integers(1, 12)),
        "events": st.lists(events, max_size=4),
        "holdings": st.lists(
            st.tuples(st.sampled_from(PERSONS), st.sampled_from(COUNTRIES)), max_size=2
        ),
        "nationalities": st.lists(
            st.tuples(st.sampled_from(PERSONS), st.sampled_from(COUNTRIES)), max_size=2
        ),
        "mentions": st.lists(st.sampled_from(COUNTRIES + PERSONS), max_size=6),
        "statements": st.integers(0, 2),
    }
)


def _stands_for(actor: str, content: dict) -> set[str]:
    """The countries an actor stands for in an article: itself, or the country
    of a person's office or nationality."""
    if actor.isupper():
        return {_actor(actor)}
    ties = [*content["holdings"], *content["nationalities"]]
    return {_actor(country) for person, country in ties if person == actor}


def article_write(slot: int, content: dict, replaces: tuple[str, ...] = ()) -> SerializedWrite:
    """An article graph of the shape extraction writes, built from ``content``."""
    article = str(IRIS.article(f"{slot:016x}"))
    lines = [_line(article, RDF_TYPE, f"<{DIP}Article>")]
    if content["published"] is not None:
        published = f'"2024-{content["published"]:02d}-20"^^<{XSD}date>'
        lines.append(_line(article, SCHEMA + "datePublished", published))
    for n, event in enumerate(content["events"]):
        node = f"{article}/event/{n}"
        cls, plover = event["type"]
        lines += [
            _line(node, RDF_TYPE, f"<{DIP}{cls}>"),
            _line(node, DIP + "ploverType", f'"{plover}"'),
            _line(node, DIP + "status", f"<{DIP}{event['status']}>"),
        ]
        involved: set[str] = set()
        for i, actor in enumerate(event["participants"]):
            lines.append(_line(node, DIP + "participant", f"<{_actor(actor)}>"))
            for country in _stands_for(actor, content):  # as extraction writes them
                lines.append(_line(node, DIP + "involvesCountry", f"<{country}>"))
                involved.add(country)
                if i < event["initiators"]:
                    lines.append(_line(node, DIP + "initiatorCountry", f"<{country}>"))
        for first, second in itertools.combinations(sorted(involved), 2):
            lines.append(_line(node, DIP + "dyad", f"<{IRIS.dyad(first, second)}>"))
        date = _date(event["date"], event["month"])
        if date:
            lines.append(_line(node, DIP + "date", date))
    for n, (person, country) in enumerate(content["holdings"]):
        node = f"{article}/holding/{n}"
        lines += [
            _line(node, DIP + "holder", f"<{_actor(person)}>"),
            _line(node, DIP + "inActor", f"<{_actor(country)}>"),
        ]
    for person, country in content["nationalities"]:
        lines.append(_line(_actor(person), DIP + "nationality", f"<{_actor(country)}>"))
    for n, actor in enumerate(content["mentions"]):
        lines.append(_line(_actor(actor), DIP + "mentionedAs", f"<{article}/mention/{n}>"))
    for n in range(content["statements"]):
        lines.append(_line(f"{article}/statement/{n}", RDF_TYPE, f"<{DIP}Statement>"))
    return SerializedWrite(article, "".join(lines), "", replaces=replaces)


def summary_lines(store: Store) -> set[str]:
    graph = ox.NamedNode(str(IRIS.summary_graph))
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
    return {f"{r['s']} {r['p']} {r['o']}" for r in rows}


def equals_a_rebuild(store: Store) -> None:
    kept = summary_lines(store)
    store.rebuild_summaries()
    assert kept == summary_lines(store)


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    opened = EmbeddedStore(tmp_path / "store", IRIS)
    yield opened
    opened.close()


operations = st.lists(
    st.tuples(st.sampled_from(["write", "remove", "move"]), st.integers(0, 3), articles),
    min_size=1,
    max_size=8,
)


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_summaries_equal_a_rebuild_after_writes_replacements_and_removals(
    tmp_path_factory: pytest.TempPathFactory, steps: list
) -> None:
    store = EmbeddedStore(tmp_path_factory.mktemp("summaries") / "store", IRIS)
    try:
        for action, slot, content in steps:
            if action == "write":  # new, or replacing the same article
                store.write_article(article_write(slot, content))
            elif action == "move":  # a new text under another IRI replacing this one
                old = str(IRIS.article(f"{slot:016x}"))
                store.write_article(article_write(slot + 100, content, replaces=(old,)))
            else:
                store.remove_article(str(IRIS.article(f"{slot:016x}")))
        equals_a_rebuild(store)
    finally:
        store.close()


def test_the_sparql_update_path_keeps_the_same_summaries(tmp_path: Path) -> None:
    """The path a SPARQL service takes (pattern updates naming the cells) gives the
    cells the embedded store's data operations give."""
    contents = [
        {
            "published": 5,
            "events": [
                {
                    "type": TYPES[0],
                    "status": "Occurred",
                    "participants": ["RU", "ann-one"],
                    "initiators": 1,
                    "date": "day",
                    "month": 4,
                },
            ],
            "holdings": [("ann-one", "IL")],
            "nationalities": [],
            "mentions": ["RU", "ann-one", "RU"],
            "statements": 1,
        },
        {
            "published": None,
            "events": [
                {
                    "type": TYPES[1],
                    "status": "Planned",
                    "participants": ["SY", "FR"],
                    "initiators": 0,
                    "date": "none",
                    "month": 1,
                },
            ],
            "holdings": [],
            "nationalities": [("bo-two", "SY")],
            "mentions": ["SY"],
            "statements": 0,
        },
    ]
    data_path, update_path = (EmbeddedStore(tmp_path / name, IRIS) for name in ("a", "b"))
    for n, content in enumerate(contents):
        data_path.write_article(article_write(n, content))
        Store.write_article(update_path, article_write(n, content))  # the generic path
    assert summary_lines(data_path) == summary_lines(update_path)
    Store.remove_article(update_path, str(IRIS.article(f"{0:016x}")))
    data_path.remove_article(str(IRIS.article(f"{0:016x}")))
    assert summary_lines(data_path) == summary_lines(update_path)
    equals_a_rebuild(update_path)
    data_path.close()
    update_path.close()


def cells(store: Store, dataset: str) -> list[dict]:
    return store.select(
        """SELECT ?dataset ?country ?counterpart ?type ?status ?month ?events ?first ?second
           WHERE { ?cell qb:dataSet ?dataset ; dip:eventCount ?events .
             OPTIONAL { ?cell dip:refCountry ?country }
             OPTIONAL { ?cell dip:refCounterpart ?counterpart }
             OPTIONAL { ?cell dip:refEventType ?type } OPTIONAL { ?cell dip:refStatus ?status }
             OPTIONAL { ?cell dip:refMonth ?month }
             OPTIONAL { ?cell dip:firstInitiated ?first }
             OPTIONAL { ?cell dip:secondInitiated ?second } }""",
        {"dataset": ox.NamedNode(DIP + dataset)},
    )


def test_a_country_counts_the_events_of_its_officials_and_nationals(fresh_store: Store) -> None:
    event = {"type": TYPES[0], "status": "Occurred", "initiators": 1, "date": "none", "month": 1}
    content = {
        "published": 6,
        "events": [
            {**event, "participants": ["ann-one", "bo-two"]},  # an IL official meets an SY national
            {**event, "participants": ["cy-three"], "type": TYPES[1]},  # no country known
        ],
        "holdings": [("ann-one", "IL")],
        "nationalities": [("bo-two", "SY")],
        "mentions": [],
        "statements": 0,
    }
    fresh_store.write_article(article_write(1, content))
    by_country = {
        (r["country"].rsplit("/", 1)[-1], r["month"]): r["events"]
        for r in cells(fresh_store, "EventsByCountry")
    }
    assert by_country == {
        ("IL", "2024-06"): 1,
        ("SY", "2024-06"): 1,
    }  # placed by the article's month
    (pair,) = cells(fresh_store, "EventsByCountryPair")
    assert (pair["country"], pair["counterpart"]) == (_actor("IL"), _actor("SY"))
    assert (pair["events"], pair["first"], pair["second"]) == (1, 1, 0)  # the IL official initiated
    assert sorted(r["events"] for r in cells(fresh_store, "EventsByType")) == [1, 1]


def test_an_event_dated_in_another_year_gets_no_month_from_the_article(fresh_store: Store) -> None:
    event = {
        "type": TYPES[2],
        "status": "Occurred",
        "participants": ["FR"],
        "initiators": 0,
        "month": 1,
    }
    content = {
        "published": 3,
        "events": [{**event, "date": "other year"}, {**event, "date": "year"}],
        "holdings": [],
        "nationalities": [],
        "mentions": [],
        "statements": 0,
    }
    fresh_store.write_article(article_write(1, content))
    months = sorted(str(r["month"]) for r in cells(fresh_store, "EventsByType"))
    assert months == ["2024-03", "None"]


def test_a_store_without_summaries_gets_them_when_opened_for_writing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store", IRIS)
    store.write_article(
        article_write(
            1,
            {
                "published": 2,
                "events": [],
                "holdings": [],
                "nationalities": [],
                "mentions": ["RU"],
                "statements": 0,
            },
        )
    )
    kept = summary_lines(store)
    store.update(f"DROP GRAPH <{IRIS.summary_graph}>")  # as a store from before summaries
    assert store.summaries_version() is None
    store.close()
    reopened = EmbeddedStore(tmp_path / "store", IRIS)
    assert reopened.summaries_version() == SUMMARY_VERSION
    assert summary_lines(reopened) == kept
    reopened.close()


COUNTRY_TIES = """SELECT ?g ?e ?p ?c WHERE { GRAPH ?g { ?e ?p ?c }
  VALUES ?p { dip:involvesCountry dip:initiatorCountry } }"""


def test_the_countries_extraction_writes_follow_the_rule_older_stores_get(tmp_path: Path) -> None:
    """Extraction writes the countries an event stands for; a store loaded before
    that gets them from the same rule in SPARQL, and then the same summaries."""
    store = EmbeddedStore(tmp_path / "store", IRIS)
    assert not load_paths([ANALYST_NEWS, CORPUS], store, MODEL).failures
    written = {tuple(r.values()) for r in store.select(COUNTRY_TIES)}
    assert any(p.endswith("initiatorCountry") for _, _, p, _ in written)
    kept = summary_lines(store)
    store.update(  # as a store from before: no countries on events, summaries of version 1
        sparql_prefixes() + "DELETE WHERE { GRAPH ?g { ?e dip:involvesCountry ?c } } ;"
        "DELETE WHERE { GRAPH ?g { ?e dip:initiatorCountry ?c } } ;"
        f"DROP GRAPH <{IRIS.summary_graph}> ;"
        f"INSERT DATA {{ GRAPH <{IRIS.summary_graph}> {{ <{IRIS.summary_graph}> "
        "dip:summaryVersion 1 } }"
    )
    store.close()
    reopened = EmbeddedStore(tmp_path / "store", IRIS)
    assert {tuple(r.values()) for r in reopened.select(COUNTRY_TIES)} == written
    assert summary_lines(reopened) == kept
    reopened.close()


def test_the_month_extraction_writes_follows_the_rule_of_the_summaries(tmp_path: Path) -> None:
    """dip:placedIn, written at extraction, is the month the cubes count an event
    in (``MONTH_TEXT``), and a store from before gets the same by the backfill."""
    store = EmbeddedStore(tmp_path / "store", IRIS)
    assert not load_paths([ANALYST_NEWS, CORPUS], store, MODEL).failures
    placed = """SELECT ?e ?m WHERE { ?e dip:placedIn ?m }"""
    written = {(r["e"], r["m"]) for r in store.select(placed)}
    by_rule = store.select(
        f"""SELECT ?e ?m WHERE {{ GRAPH ?g {{ ?e dip:ploverType ?t .
          OPTIONAL {{ ?e dip:date ?date }} OPTIONAL {{ ?g schema:datePublished ?published }} }}
          BIND({MONTH_TEXT} AS ?m) FILTER(BOUND(?m)) }}"""
    )
    assert written and written == {(r["e"], r["m"]) for r in by_rule}
    store.update(sparql_prefixes() + "DELETE WHERE { GRAPH ?g { ?e dip:placedIn ?m } }")
    store.update(sparql_prefixes() + month_backfill_update())
    assert {(r["e"], r["m"]) for r in store.select(placed)} == written
    store.close()


def test_the_dyads_extraction_writes_are_those_the_backfill_writes(tmp_path: Path) -> None:
    """dip:dyad, written at extraction, is every pair of an event's countries by
    ``Iris.dyad``, and a store from before gets the same by the backfill."""
    store = EmbeddedStore(tmp_path / "store", IRIS)
    assert not load_paths([ANALYST_NEWS, CORPUS], store, MODEL).failures
    dyads = "SELECT ?e ?d WHERE { ?e dip:dyad ?d }"
    written = {(r["e"], r["d"]) for r in store.select(dyads)}
    pairs = store.select(
        "SELECT ?e ?a ?b WHERE { ?e dip:involvesCountry ?a, ?b FILTER(STR(?a) < STR(?b)) }"
    )
    assert written and written == {(r["e"], str(IRIS.dyad(r["a"], r["b"]))) for r in pairs}
    store.update(sparql_prefixes() + "DELETE WHERE { GRAPH ?g { ?e dip:dyad ?d } }")
    store.update(sparql_prefixes() + dyad_backfill_update(IRIS))
    assert {(r["e"], r["d"]) for r in store.select(dyads)} == written
    store.close()


def test_a_store_of_version_3_gets_its_dyads_and_keeps_its_summaries(tmp_path: Path) -> None:
    """Version 4 only adds dip:dyad on events: a store of version 3 gets them by
    the backfill, with its cubes as they were (no rebuild: 447 s at 100k)."""
    store = EmbeddedStore(tmp_path / "store", IRIS)
    assert not load_paths([ANALYST_NEWS], store, MODEL).failures
    dyads = "SELECT ?e ?d WHERE { ?e dip:dyad ?d }"
    written = {(r["e"], r["d"]) for r in store.select(dyads)}
    kept = summary_lines(store)
    graph = f"<{IRIS.summary_graph}>"
    store.update(
        sparql_prefixes() + "DELETE WHERE { GRAPH ?g { ?e dip:dyad ?d } } ;"
        f"DELETE WHERE {{ GRAPH {graph} {{ {graph} dip:summaryVersion ?v }} }} ;"
        f"INSERT DATA {{ GRAPH {graph} {{ {graph} dip:summaryVersion 3 }} }}"
    )
    store.close()
    reopened = EmbeddedStore(tmp_path / "store", IRIS)
    assert written and {(r["e"], r["d"]) for r in reopened.select(dyads)} == written
    assert reopened.summaries_version() == SUMMARY_VERSION == 4
    assert summary_lines(reopened) == kept
    reopened.close()
