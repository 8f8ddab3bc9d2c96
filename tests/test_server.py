"""The Flask app in-process: content negotiation, formats, errors, home page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph

from communique.server import create_app
from communique.settings import Settings
from communique.store import Store
from tests.conftest import BASE_IRI

SELECT = "SELECT ?h WHERE { ?a a dip:Article ; schema:headline ?h } ORDER BY ?h"
CONSTRUCT = "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }"


@pytest.fixture
def client(samples_store: Store, samples_store_path: Path) -> FlaskClient:
    settings = Settings.from_env({}, store=samples_store_path, base_iri=BASE_IRI, html_row_limit=1)
    return create_app(settings, samples_store).test_client()


def test_home_page_says_what_is_loaded(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'id="count-articles">2<' in page
    assert "Gilad flies to Russia for Iran talks" in page
    assert 'name="query"' in page


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
    assert "Gilad flies to Russia" in response.get_data(as_text=True)


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


def test_both_posts_are_answered(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": SELECT}, headers={"Accept": "text/csv"})
    direct = client.post(
        "/sparql",
        data=SELECT,
        content_type="application/sparql-query",
        headers={"Accept": "text/csv"},
    )
    assert form.status_code == direct.status_code == 200
    assert form.data == direct.data


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": SELECT, "format": "tsv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.mimetype == "text/tab-separated-values"


def test_default_graph_uri_restricts_the_dataset(client: FlaskClient) -> None:
    rows = (
        client.get(
            "/sparql",
            query_string={"query": SELECT, "default-graph-uri": BASE_IRI + "graph/entities"},
            headers={"Accept": "text/csv"},
        )
        .get_data(as_text=True)
        .splitlines()
    )
    assert rows == ["h"]


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"query_string": {"query": "SELECT ?x WHERE { ?x"}}, 400, "Malformed query"),
        ({"query_string": {}}, 400, "No query"),
        ({"query_string": [("query", SELECT), ("query", SELECT)]}, 400, "More than one"),
        ({"query_string": {"query": SELECT}, "headers": {"Accept": "image/png"}}, 406, "offered"),
        ({"query_string": {"query": SELECT, "format": "pdf"}}, 406, "not offered"),
    ],
)
def test_errors_have_their_status_and_a_readable_message(
    client: FlaskClient, kwargs, status, words
) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", **kwargs)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_wrong_content_type_is_415_and_wrong_method_405(client: FlaskClient) -> None:
    assert client.post("/sparql", data="x", content_type="text/plain").status_code == 415
    assert client.put("/sparql", data="x").status_code == 405


def test_html_results_escape_input_and_say_when_rows_are_cut(client: FlaskClient) -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { "<script>alert(1)</script>" "b" } }'
    page = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "text/html"}
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "first 1 rows only" in page


def test_a_syntax_error_message_is_escaped_in_html(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "SELECT <script>"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 400
    assert "<script>" not in response.get_data(as_text=True).split("<main>")[1]
