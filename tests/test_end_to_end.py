"""`communique serve` in its own process, over a real socket, on the loaded samples."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.helpers import sample_headlines

COUNTRY_MENTIONS = """
SELECT ?label ?start ?end ?text ?body WHERE {
  ?c a dip:Country ; rdfs:label ?label ; dip:mentionedAs ?m .
  ?m dip:start ?start ; dip:end ?end ; dip:text ?text ; dip:inArticle ?a .
  ?a schema:articleBody ?body .
  FILTER(?label IN ("Russia"@en, "Israel"@en))
}"""


def sparql(base: str, query: str) -> dict:  # type: ignore[type-arg]
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def values(result: dict, name: str) -> list[str]:  # type: ignore[type-arg]
    return [b[name]["value"] for b in result["results"]["bindings"]]


def test_both_headlines_are_found(live_server: str) -> None:
    result = sparql(live_server, "SELECT ?h WHERE { ?a a dip:Article ; schema:headline ?h }")
    assert sorted(values(result, "h")) == sample_headlines()
    assert len(sample_headlines()) == 2


def test_russia_and_israel_are_countries_with_mentions_matching_the_body(live_server: str) -> None:
    rows = sparql(live_server, COUNTRY_MENTIONS)["results"]["bindings"]
    assert {r["label"]["value"] for r in rows} == {"Russia", "Israel"}
    for row in rows:
        start, end = int(row["start"]["value"]), int(row["end"]["value"])
        assert row["body"]["value"][start:end] == row["text"]["value"]


def test_a_malformed_query_gets_a_400_with_the_parser_message(live_server: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        sparql(live_server, "SELECT ?x WHERE { ?x ")
    assert caught.value.code == 400
    assert "Malformed query" in caught.value.read().decode()


def test_the_home_page_is_served(live_server: str) -> None:
    with urllib.request.urlopen(live_server + "/", timeout=10) as response:
        page = response.read().decode()
    assert response.headers["Content-Type"].startswith("text/html")
    assert all(headline in page for headline in sample_headlines())
