"""The Flask app in-process: negotiation, formats, errors, pages (real query workers)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from communique.query.examples import QUESTIONS
from communique.server.app import create_app
from communique.settings import Settings
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, sample_headlines

SELECT = "SELECT ?h WHERE { ?a a dip:Article ; schema:headline ?h } ORDER BY ?h"
CONSTRUCT = "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }"


@pytest.fixture(scope="module")
def client(samples_store_path: Path) -> FlaskClient:
    settings = Settings.from_env(
        {}, store=samples_store_path, base_iri=BASE_IRI, html_row_limit=1, query_workers=1
    )
    store = EmbeddedStore(samples_store_path, settings_iris(settings), read_only=True)
    return create_app(settings, store).test_client()


def settings_iris(settings: Settings):  # type: ignore[no-untyped-def]
    from communique.vocab import Iris

    return Iris(settings.base_iri)


def test_home_page_says_what_is_loaded(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'id="count-articles">2<' in page
    assert all(headline in page for headline in sample_headlines())
    assert 'action="/query"' in page


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ],
)
def test_select_results_follow_the_accept_header(
    client: FlaskClient, accept: str, media_type: str
) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert sample_headlines()[0] in response.get_data(as_text=True)


def test_json_results_are_standard_sparql_json(client: FlaskClient) -> None:
    data = json.loads(client.get("/sparql", query_string={"query": SELECT}).data)
    assert data["head"]["vars"] == ["h"]
    assert len(data["results"]["bindings"]) == 2


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_results_in_each_graph_format_parse_to_the_same_graph(
    client: FlaskClient, accept: str, rdflib_format: str
) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.mimetype == accept
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == 2


def test_a_browser_is_sent_to_the_query_page(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": SELECT}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/query?query=")


def test_query_page_escapes_input_and_says_when_rows_are_cut(client: FlaskClient) -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { "<script>alert(1)</script>" "b" } }'
    page = client.get("/query", query_string={"query": query}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="cut-notice"' in page  # the row limit is 1 here


def test_query_page_shows_a_syntax_error_with_status_400(client: FlaskClient) -> None:
    response = client.get("/query", query_string={"query": "SELECT <script> WHERE"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="query-error"' in page and "<script> WHERE" not in page


def test_query_page_lists_examples_that_run(client: FlaskClient) -> None:
    page = client.get("/query").get_data(as_text=True)
    assert page.count("data-query=") >= 5
    assert "PREFIX dip:" in page


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_each_example_question_has_answers_on_the_sample_articles(
    question: str, samples_store: Store
) -> None:
    assert samples_store.select(QUESTIONS[question]), question


def test_writing_is_off_without_a_token(client: FlaskClient) -> None:
    response = client.post(
        "/update", data="INSERT DATA { <a:b> <a:c> 1 }", content_type="application/sparql-update"
    )
    assert response.status_code == 403
    assert "COMMUNIQUE_UPDATE_TOKEN" in response.get_data(as_text=True)


def test_the_result_cache_can_be_turned_off(samples_store_path: Path) -> None:
    settings = Settings.from_env(
        {"COMMUNIQUE_RESULT_CACHE_MB": "0"},
        store=samples_store_path,
        base_iri=BASE_IRI,
        query_workers=1,
    )
    store = EmbeddedStore(samples_store_path, settings_iris(settings), read_only=True)
    uncached = create_app(settings, store).test_client()
    for _ in range(2):
        reply = uncached.get(
            "/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"}
        )
        assert reply.status_code == 200 and "Cache-Status" not in reply.headers
        assert set(sample_headlines()) <= set(reply.get_data(as_text=True).splitlines())


def test_an_answer_of_many_chunks_is_kept_once_it_is_complete(client: FlaskClient) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3000"
    asked = []
    for _ in range(2):  # each read to its end before the next (one query worker)
        reply = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
        asked.append((reply.headers.get("Cache-Status"), reply.get_data()))
    assert len(asked[0][1]) > 64 * 1024  # more than one chunk from the worker
    assert [status for status, _ in asked] == ["communique; fwd=miss; stored", "communique; hit"]
    assert asked[1][1] == asked[0][1]


@pytest.mark.parametrize(
    ("kind", "named_by"),
    [
        ("PositionHolding", "dip:holder"),
        ("Membership", "dip:member"),
        ("Statement", "dip:speaker"),
    ],
)
def test_facts_without_a_name_of_their_own_are_titled_readably(
    client: FlaskClient, kind: str, named_by: str
) -> None:
    """A holding, a membership or a statement page is titled by who it is about, not by
    its IRI."""
    found = client.get(
        "/sparql",
        query_string={
            "query": f"SELECT ?x ?name WHERE {{ ?x a dip:{kind} ; {named_by}/rdfs:label ?name }}"
            " LIMIT 1"
        },
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()["results"]["bindings"]
    assert found, f"the samples state a {kind}"
    iri, name = found[0]["x"]["value"], found[0]["name"]["value"]
    page = client.get(iri.replace(BASE_IRI, "/id/"), headers={"Accept": "text/html"})
    title = page.get_data(as_text=True).split('<h1 id="title">', 1)[1].split("</h1>", 1)[0]
    assert name in title and iri not in title


def test_a_country_page_lists_each_name_it_is_mentioned_by_once(client: FlaskClient) -> None:
    page = client.get("/id/country/RU", headers={"Accept": "text/html"}).get_data(as_text=True)
    row = page.split('title="https://w3id.org/communique/ontology#mentionedAs"', 1)[1]
    row = row.split("</tr>", 1)[0]
    names = re.findall(r'<li><a href="[^"]*">([^<]*)</a>', row)
    assert names, "Russia is mentioned in the samples"
    assert len(names) == len(set(names))
    assert "times" in row  # the repeated ones say how often


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_each_example_question_has_answers_on_the_bundled_examples(
    question: str, examples_store_path: Path
) -> None:
    store = EmbeddedStore(examples_store_path, Iris(BASE_IRI), read_only=True)
    try:
        rows = store.select(QUESTIONS[question])
    finally:
        store.close()
    assert rows, question
    assert any(str(v).startswith(BASE_IRI) for row in rows for v in row.values()), (
        "each example names what it finds by IRI, so its cells link"
    )


def test_results_show_the_labels_of_iris_linked_to_their_pages(
    examples_client: FlaskClient,
) -> None:
    client = examples_client
    query = QUESTIONS["Who holds which office?"]
    page = client.get("/query", query_string={"query": query}).get_data(as_text=True)
    links = re.findall(r'<a class="iri" href="([^"]+)" title="([^"]+)">([^<]+)</a>', page)
    assert links
    for href, iri, text in links:
        assert href == "/id/" + iri.removeprefix(BASE_IRI)
        assert text != iri  # a label, not the IRI
    assert 'id="downloads"' in page  # always there, not only past the row limit
