"""The views of a query's answer beside its table (``server/result_views.py``):
chosen from the columns, drawn from the rows, never failing on odd cells."""

from __future__ import annotations

from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.server.result_views import MOST_NODES, available
from tests.helpers import BASE_IRI, examples

A, B, C = (f"http://x.org/{name}" for name in "abc")


def test_numbers_against_names_are_bars_largest_first() -> None:
    views = available(["type", "n"], [["CONSULT", "3"], ["ASSAULT", "12"], ["AGREE", "1"]])
    assert list(views) == ["bars"]
    assert [b["name"] for b in views["bars"]["items"]] == ["ASSAULT", "CONSULT", "AGREE"]
    assert views["bars"]["items"][0]["width"] == 100


def test_dates_are_a_timeline_with_every_month_of_the_span() -> None:
    rows = [[A, "2024-01-15"], [B, "2024-04"], [C, "2024-04-02"]]
    timeline = available(["event", "date"], rows)["timeline"]
    assert [m["month"] for m in timeline["items"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [m["value"] for m in timeline["items"]] == [1, 0, 0, 2]


def test_two_columns_of_iris_are_a_network_of_the_most_connected() -> None:
    rows = [[A, B], [B, A], [A, C]] + [[f"http://x.org/n{i}", A] for i in range(40)]
    network = available(["x", "y"], rows)["network"]
    assert len(network["items"]) == MOST_NODES
    assert network["items"][0]["iri"] == A  # the hub first
    thickest = max(network["edges"], key=lambda e: e["width"])
    assert thickest["count"] == 2  # a-b, counted in both directions


def test_an_answer_with_nothing_to_draw_offers_the_table_alone() -> None:
    assert available(["word"], [["yes"], ["no"]]) == {}
    assert available(["n"], []) == {}


cells = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"\A-?\d{1,4}(\.\d{1,2})?\Z"),
    st.from_regex(r"\A\d{4}-\d{2}(-\d{2})?\Z"),
    st.sampled_from([A, B, C, ""]),
)


@settings(max_examples=examples(200))
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(st.lists(cells, min_size=n, max_size=n), max_size=30)
    )
)
def test_any_answer_gives_views_or_none_without_failing(rows: list[list[str]]) -> None:
    columns = [f"c{i}" for i in range(len(rows[0]))] if rows else ["c0"]
    for view in available(columns, rows).values():
        assert view["items"]


def test_the_query_page_draws_the_view_asked_for(examples_client: FlaskClient) -> None:
    client = examples_client
    query = "SELECT ?a ?b WHERE { ?e dip:participant ?a, ?b FILTER(STR(?a) < STR(?b)) }"
    page = client.get("/query", query_string={"query": query, "view": "network"}).get_data(
        as_text=True
    )
    assert 'id="view-network"' in page and 'id="results"' in page
    plain = client.get("/query", query_string={"query": query, "view": "bars"}).get_data(
        as_text=True
    )
    assert 'id="view-bars"' not in plain and 'id="results"' in plain  # not offered: the table


def test_rows_naming_countries_are_a_map_of_circles_where_the_countries_are() -> None:
    prefix = BASE_IRI + "country/"
    rows = [[prefix + "RU", "1"], [prefix + "RU", "2"], [prefix + "BR", "3"]]
    drawn = available(["country", "n"], rows, prefix)["map"]
    russia, brazil = drawn["items"]
    assert (russia["count"], brazil["count"]) == (2, 1) and russia["r"] > brazil["r"]
    assert russia["x"] > brazil["x"] and russia["y"] < brazil["y"]  # east and north of it
    assert drawn["outlines"].startswith("M")


def test_an_answer_opens_with_the_view_its_columns_suit_and_the_table_stays(
    examples_client: FlaskClient,
) -> None:
    query = "SELECT ?a ?b WHERE { ?e dip:participant ?a, ?b FILTER(STR(?a) < STR(?b)) }"
    page = examples_client.get("/query", query_string={"query": query}).get_data(as_text=True)
    assert 'id="view-network"' in page and 'id="results"' in page  # pairs of IRIs: a network
    dated = "SELECT ?e ?d WHERE { ?e dip:date ?d }"
    page = examples_client.get("/query", query_string={"query": dated}).get_data(as_text=True)
    assert 'id="view-timeline"' in page
    table = examples_client.get("/query", query_string={"query": query, "view": "table"})
    assert 'id="view-network"' not in table.get_data(as_text=True)
