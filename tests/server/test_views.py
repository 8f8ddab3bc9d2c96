"""The analyst's views over a real server: a country (its officials' and
nationals' events gathered), a pair of actors, the relations matrix; their
JSON and CSV twins, filters and pages. What the views count is checked
against the facts themselves, queried directly, not against figures written
here."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
import requests

from communique.server import statements
from communique.server.views import LISTING_COLUMNS, MATRIX_COLUMNS
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI

# The gathering rule, written out again here: a participant that is the
# country, or a person the same article names as holding office in it or as
# its national.
GATHERED = """SELECT DISTINCT ?event WHERE {
  { GRAPH ?g { ?event dip:participant ?c } }
  UNION { GRAPH ?g { ?event dip:participant ?p . ?h dip:holder ?p ; dip:inActor ?c } }
  UNION { GRAPH ?g { ?event dip:participant ?p . ?p dip:nationality ?c } }
  FILTER(?c = IRI(CONCAT(?base, "country/", ?code))) }"""


def gathered(store_path: Path, code: str) -> set[str]:
    store = EmbeddedStore(store_path, Iris(BASE_IRI), read_only=True)
    try:
        rows = store.select(
            GATHERED.replace("?base", f'"{BASE_IRI}"').replace("?code", f'"{code}"')
        )
    finally:
        store.close()
    return {str(r["event"]) for r in rows}


def get_json(url: str) -> dict:  # type: ignore[type-arg]
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("code", ["RU", "IL", "SY"])
def test_a_country_view_lists_exactly_the_events_of_its_officials_and_nationals(
    analyst_server: str, analyst_store_path: Path, code: str
) -> None:
    data = get_json(f"{analyst_server}/country/{code}.json")
    listed = {e["event"] for e in data["events"]}
    assert listed == gathered(analyst_store_path, code)
    assert listed, "the news items name every one of these countries in an event"
    # the counts by type come from the summaries; they agree with the listing
    assert sum(t["events"] for t in data["types"]) == len(listed)


def test_russia_gathers_the_meetings_of_its_foreign_minister(analyst_server: str) -> None:
    data = get_json(f"{analyst_server}/country/RU.json?type=CONSULT")
    sentences = " ".join(e["sentence"] for e in data["events"])
    assert "Lavrov" in sentences  # a person, counted for the country he serves
    assert all(e["type"] == "CONSULT" for e in data["events"])


def test_every_listed_event_has_its_date_or_says_it_is_placed_by_the_article(
    analyst_server: str,
) -> None:
    for event in get_json(f"{analyst_server}/country/IL.json")["events"]:
        assert event["published"], "every news item has a publication date"
        assert event["placed_by_article"] == (event["date"] == "")
        assert event["sentence_href"].split("#")[1].startswith("s")


def test_the_pair_view_splits_events_by_month_and_names_the_most_hostile_month(
    analyst_server: str,
) -> None:
    data = get_json(f"{analyst_server}/pair.json?a=country/IL&b=country/SY")
    summary = data["summary"]
    hostile = {t["type"] for t in summary["types"] if t["quad"].endswith("conflict")}
    by_month = Counter(e["month"] for e in data["events"] if e["type"] in hostile)
    worst = max(by_month.items(), key=lambda item: (item[1], item[0]))
    assert summary["most_hostile"]["month"] == worst[0]
    assert summary["most_hostile"]["hostile"] == worst[1]
    months = [m["month"] for m in summary["months"]]
    assert months == sorted(months) and len(set(months)) == len(months)
    assert sum(m["total"] for m in summary["months"]) + summary["undated"] == len(data["events"])
    other = get_json(f"{analyst_server}/pair.json?a=country/SY&b=country/IL")["summary"]
    first, second = summary["initiated"]["first"], summary["initiated"]["second"]
    assert other.pop("initiated") == {"first": second, "second": first}
    assert other == {k: v for k, v in summary.items() if k != "initiated"}


def test_filters_narrow_the_listing_and_stay_in_the_links(analyst_server: str) -> None:
    url = f"{analyst_server}/pair?a=country/IL&b=country/SY&type=ASSAULT&from=2024-02&to=2024-02"
    page = requests.get(url, timeout=30).text
    data = get_json(url.replace("/pair?", "/pair.json?"))
    assert data["events"] and all(e["type"] == "ASSAULT" for e in data["events"])
    assert all(e["month"] == "2024-02" for e in data["events"])
    assert 'href="/pair.csv?a=country/IL&amp;b=country/SY&amp;type=ASSAULT&amp;from=2024-02' in page


@pytest.mark.parametrize(("this", "other"), [("RU", "SY"), ("IL", "SY"), ("SY", "RU")])
@pytest.mark.parametrize("name", ["counterpart", "actor"])
def test_a_counterpart_or_actor_narrows_a_country_to_the_events_both_take_part_in(
    analyst_server: str, analyst_store_path: Path, this: str, other: str, name: str
) -> None:
    data = get_json(f"{analyst_server}/country/{this}.json?{name}=country/{other}")
    listed = {e["event"] for e in data["events"]}
    both = gathered(analyst_store_path, this) & gathered(analyst_store_path, other)
    assert listed == both
    assert len(listed) < len(gathered(analyst_store_path, this)) or not both


def test_a_place_narrows_a_listing_to_the_events_located_there(
    analyst_server: str, analyst_store_path: Path
) -> None:
    store = EmbeddedStore(analyst_store_path, Iris(BASE_IRI), read_only=True)
    try:
        rows = store.select("SELECT ?e ?place WHERE { ?e dip:location ?place }")
    finally:
        store.close()
    places = Counter(str(r["place"]) for r in rows)
    assert places, "the news items place some events"
    narrowed = 0
    for place in places:
        path = place.removeprefix(BASE_IRI)
        for code in ("RU", "IL", "SY"):
            data = get_json(f"{analyst_server}/country/{code}.json?place={path}")
            expected = {str(r["e"]) for r in rows if str(r["place"]) == place}
            listed = {e["event"] for e in data["events"]}
            assert listed == expected & gathered(analyst_store_path, code)
            narrowed += bool(listed)
    assert narrowed, "some country has events at some place"


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("type=PARTY", "PLOVER type"),
        ("status=maybe", "Occurred"),
        ("from=2024-13", "YYYY-MM"),
        ("min_confidence=2", "from 0 to 1"),
        ("page=0", "page number"),
        ("place=a%20b", "give a path"),
        ("actor=%3Cx%3E", "give a path"),
    ],
)
def test_a_bad_filter_is_refused_with_what_it_takes(
    analyst_server: str, query: str, says: str
) -> None:
    response = requests.get(f"{analyst_server}/country/IL?{query}", timeout=30)
    assert response.status_code == 400
    assert says in response.text


def test_pages_past_the_last_are_empty_and_link_back(analyst_server: str) -> None:
    data = get_json(f"{analyst_server}/country/IL.json?page=2")
    assert data["events"] == [] and data["next"] is None
    page = requests.get(f"{analyst_server}/country/IL?page=2", timeout=30).text
    assert 'rel="prev"' in page


def test_the_csv_twins_read_back_with_their_columns(analyst_server: str) -> None:
    for path, columns in [
        ("/country/IL.csv", LISTING_COLUMNS),
        ("/pair.csv?a=country/IL&b=country/SY", LISTING_COLUMNS),
        ("/relations.csv", MATRIX_COLUMNS),
    ]:
        response = requests.get(analyst_server + path, timeout=30)
        assert response.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert rows and list(rows[0]) == columns, path


def test_the_relations_matrix_agrees_with_the_pair_views(analyst_server: str) -> None:
    data = get_json(f"{analyst_server}/relations.json")
    assert len(data["countries"]) >= 3
    for row in data["rows"]:
        pair = get_json(
            f"{analyst_server}/pair.json?a={row['from'].removeprefix(BASE_IRI)}"
            f"&b={row['to'].removeprefix(BASE_IRI)}"
        )["summary"]
        assert row["events"] == sum(t["events"] for t in pair["types"])
        assert row["initiated"] == pair["initiated"]["first"]


def test_unknown_country_and_missing_actor_are_clear_errors(analyst_server: str) -> None:
    assert requests.get(f"{analyst_server}/country/ZZ", timeout=30).status_code == 404
    missing = requests.get(f"{analyst_server}/pair?a=country/IL", timeout=30)
    assert missing.status_code == 400 and "b= is missing" in missing.text
    assert requests.get(f"{analyst_server}/country/IL.xml", timeout=30).status_code == 404


def test_a_resource_page_has_its_statements_as_csv_and_json_tables(analyst_server: str) -> None:
    page = requests.get(
        analyst_server + "/id/country/RU", headers={"Accept": "text/html"}, timeout=30
    ).text
    assert 'href="/id/country/RU.csv"' in page and 'href="/id/country/RU.json"' in page
    text = requests.get(analyst_server + "/id/country/RU.csv", timeout=30).text
    reader = csv.DictReader(io.StringIO(text))
    table = list(reader)
    assert reader.fieldnames == ["this", "direction", "property", "value", "valueLabel"]
    assert {row["direction"] for row in table} == {"in", "out"}
    answer = requests.get(analyst_server + "/id/country/RU.json", timeout=30).json()
    assert len(answer["results"]["bindings"]) == len(table)


def _statements_by(store_path: Path, prop: str) -> dict[str, set[str]]:
    """{actor IRI: its statements} by ``prop`` (dip:speaker or schema:about)."""
    store = EmbeddedStore(store_path, Iris(BASE_IRI), read_only=True)
    try:
        rows = store.select(f"SELECT ?s ?x WHERE {{ ?s a dip:Statement ; {prop} ?x }}")
    finally:
        store.close()
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(str(row["x"]), set()).add(str(row["s"]))
    return found


@pytest.mark.parametrize(("name", "prop"), [("speaker", "dip:speaker"), ("about", "schema:about")])
def test_the_statements_listing_gives_exactly_what_each_actor_said_or_had_said_about_it(
    analyst_server: str, analyst_store_path: Path, name: str, prop: str
) -> None:
    expected = _statements_by(analyst_store_path, prop)
    assert expected, f"the news items have statements with {prop}"
    for actor, said in expected.items():
        path = actor.removeprefix(BASE_IRI)
        data = get_json(f"{analyst_server}/statements.json?{name}={path}")
        assert {s["statement"] for s in data["statements"]} == said
        assert all(s["sentence_href"].startswith("/id/article/") for s in data["statements"])
    months = get_json(f"{analyst_server}/statements.json?{name}={path}&from=2999-01")
    assert months["statements"] == []  # no article is dated that late


def test_the_statements_page_without_a_speaker_offers_the_most_quoted(
    analyst_server: str, analyst_store_path: Path
) -> None:
    page = requests.get(f"{analyst_server}/statements", timeout=30).text
    speakers = _statements_by(analyst_store_path, "dip:speaker")
    most = max(speakers, key=lambda s: len(speakers[s]))
    assert 'id="top-speakers"' in page and f"speaker={most.removeprefix(BASE_IRI)}" in page
    refused = requests.get(f"{analyst_server}/statements.json", timeout=30)
    assert refused.status_code == 400 and "name a speaker" in refused.text


def test_the_statements_csv_reads_back_and_an_actor_page_links_there(
    analyst_server: str, analyst_store_path: Path
) -> None:
    speaker, said = next(iter(_statements_by(analyst_store_path, "dip:speaker").items()))
    response = requests.get(
        f"{analyst_server}/statements.csv", params={"speaker": speaker}, timeout=30
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and set(rows[0]) == set(statements.COLUMNS)
    assert {row["statement"] for row in rows} == said
    page = requests.get(
        analyst_server + "/id/" + speaker.removeprefix(BASE_IRI),
        headers={"Accept": "text/html"},
        timeout=30,
    ).text
    assert 'id="said-by"' in page and "/statements?speaker=" in page
    bad = requests.get(f"{analyst_server}/statements?speaker=a%20b", timeout=30)
    assert bad.status_code == 400 and "give a path" in bad.text
