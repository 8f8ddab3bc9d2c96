"""The SPARQL 1.1 Protocol, Update and Graph Store Protocol clauses that a
client meets first, over a real socket on both store kinds: the update dataset
(USING, USING NAMED, WITH and the two protocol parameters), BASE and relative
IRIs, UTF-8 only, creating a graph by POST to the store, and RDF/XML or JSON
for whoever asks. `docs/conformance.md` maps each clause to its test here.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from tests.helpers import STORE_KINDS, samples_copy, serve_process
from tests.server.client import Reply, request

TOKEN = "protocol-token-41"
WRITE = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
FORM = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-www-form-urlencoded"}
SOURCE = "urn:x:source"
OTHER = "urn:x:other"


@pytest.fixture(scope="module", params=STORE_KINDS)
def base(
    request: pytest.FixtureRequest,
    samples_store_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("protocol")
    for store in samples_copy(request.param, samples_store_path, folder):
        for url, _process in serve_process(
            store, folder / "server.log", update_token=TOKEN, query_workers="1"
        ):
            seed = (
                f"INSERT DATA {{ GRAPH <{SOURCE}> {{ <urn:x:a> <urn:x:p> 'from source' }} "
                f"GRAPH <{OTHER}> {{ <urn:x:b> <urn:x:p> 'from other' }} }}"
            )
            assert update(url, seed).status == 204
            yield url


def update(base: str, text: str | bytes, **params: str) -> Reply:
    return request(base, "POST", "/update", params=params or None, body=text, headers=WRITE)


def values(base: str, query: str) -> list[str]:
    """The first column of a SELECT's answer, as CSV rows."""
    reply = request(base, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert reply.status == 200, reply.text
    return sorted(reply.text.splitlines()[1:])


def graph_values(base: str, graph: str) -> list[str]:
    return values(base, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


# --------------------------------------------------------------------------- update dataset
def test_using_in_the_text_is_the_dataset_of_the_where(base: str) -> None:
    text = "INSERT { GRAPH <urn:x:out1> { ?s ?p ?o } } USING <urn:x:source> WHERE { ?s ?p ?o }"
    assert update(base, text).status == 204
    assert graph_values(base, "urn:x:out1") == ["from source"]


def test_using_graph_uri_parameter_is_the_dataset_of_the_where(base: str) -> None:
    text = "INSERT { GRAPH <urn:x:out2> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    assert update(base, text, **{"using-graph-uri": SOURCE}).status == 204
    assert graph_values(base, "urn:x:out2") == ["from source"]


def test_using_parameters_in_a_form_body(base: str) -> None:
    form = urllib.parse.urlencode(
        {
            "update": "INSERT { GRAPH <urn:x:out3> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
            "using-named-graph-uri": OTHER,
        }
    )
    assert request(base, "POST", "/update", body=form, headers=FORM).status == 204
    assert graph_values(base, "urn:x:out3") == ["from other"]


def test_every_operation_of_a_request_gets_the_protocol_dataset(base: str) -> None:
    text = (
        "INSERT { GRAPH <urn:x:out4> { ?s ?p ?o } } WHERE { ?s ?p ?o } ;\n"
        "DELETE { GRAPH <urn:x:out4> { ?s ?p ?o } } WHERE { ?s ?p ?o FILTER(false) }"
    )
    assert update(base, text, **{"using-graph-uri": OTHER}).status == 204
    assert graph_values(base, "urn:x:out4") == ["from other"]


@pytest.mark.parametrize(
    "text",
    [
        "INSERT { GRAPH <urn:x:no> { ?s ?p ?o } } USING <urn:x:source> WHERE { ?s ?p ?o }",
        "WITH <urn:x:source> INSERT { ?s ?p 'no' } WHERE { ?s ?p ?o }",
    ],
)
def test_a_dataset_in_both_text_and_parameters_is_a_400(base: str, text: str) -> None:
    reply = update(base, text, **{"using-graph-uri": OTHER})
    assert reply.status == 400 and "only one" in reply.text
    assert graph_values(base, "urn:x:no") == []


def test_with_names_the_graph_written_and_read(base: str) -> None:
    text = "WITH <urn:x:source> INSERT { ?s <urn:x:copy> ?o } WHERE { ?s <urn:x:p> ?o }"
    assert update(base, text).status == 204
    found = values(base, "SELECT ?o WHERE { GRAPH <urn:x:source> { ?s <urn:x:copy> ?o } }")
    assert found == ["from source"]


def test_a_using_parameter_that_is_not_an_iri_is_a_400(base: str) -> None:
    reply = update(base, "INSERT DATA { }", **{"using-graph-uri": "not an iri"})
    assert reply.status == 400 and "using-graph-uri" in reply.text


# --------------------------------------------------------------------------- BASE and relative IRIs
def test_base_and_relative_iris_in_an_update(base: str) -> None:
    text = "BASE <http://x.org/> INSERT DATA { GRAPH <g5> { <a> <p> <b> } }"
    assert update(base, text).status == 204
    assert graph_values(base, "http://x.org/g5") == ["http://x.org/b"]


def test_relative_iris_in_an_update_resolve_against_the_update_service(base: str) -> None:
    assert update(base, "INSERT DATA { GRAPH <urn:x:g6> { <a> <p> <b> } }").status == 204
    assert graph_values(base, "urn:x:g6") == [f"{base}/b"]


def test_relative_iris_in_a_query_resolve_against_the_query_service(base: str) -> None:
    assert values(base, "SELECT ?x WHERE { BIND(<thing> AS ?x) }") == [f"{base}/thing"]
    assert values(base, "BASE <http://y.org/> SELECT ?x WHERE { BIND(<t> AS ?x) }") == [
        "http://y.org/t"
    ]


# --------------------------------------------------------------------------- UTF-8 only
NOT_UTF8 = "SELECT * WHERE { ?s ?p 'caf\xe9' }".encode("latin-1")


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/sparql", "application/sparql-query", NOT_UTF8),
        ("/sparql", "application/x-www-form-urlencoded", b"query=" + NOT_UTF8),
        ("/sparql", "application/x-www-form-urlencoded", b"query=SELECT%20%E9%20*"),
        ("/update", "application/sparql-update", b"INSERT DATA { <urn:x:a> <urn:x:p> '\xff' }"),
        ("/update", "application/x-www-form-urlencoded", b"update=INSERT%20DATA%20%7B%7D%FF"),
    ],
)
def test_a_body_that_is_not_utf8_is_a_400(
    base: str, path: str, content_type: str, body: bytes
) -> None:
    reply = request(
        base,
        "POST",
        path,
        body=body,
        headers={"Authorization": WRITE["Authorization"], "Content-Type": content_type},
    )
    assert reply.status == 400 and "UTF-8" in reply.text


def test_a_query_string_that_is_not_utf8_is_a_400(base: str) -> None:
    reply = request(base, "GET", "/sparql?query=ASK%20%7B%7D%23%E9")
    assert reply.status == 400 and "UTF-8" in reply.text


def test_utf8_text_is_kept_as_sent(base: str) -> None:
    assert (
        update(
            base, "INSERT DATA { GRAPH <urn:x:g7> { <urn:x:a> <urn:x:p> 'Zürich — 東京' } }"
        ).status
        == 204
    )
    assert graph_values(base, "urn:x:g7") == ["Zürich — 東京"]


# --------------------------------------------------------------------------- graph store
def test_post_to_the_store_creates_a_graph_at_its_location(base: str) -> None:
    turtle = "<urn:x:c> <urn:x:p> 'created' ."
    headers = {"Authorization": WRITE["Authorization"], "Content-Type": "text/turtle"}
    created = request(base, "POST", "/rdf-graphs", body=turtle, headers=headers)
    assert created.status == 201
    location = created.headers["Location"]
    assert location.startswith(f"{base}/rdf-graphs/")
    assert graph_values(base, location) == ["created"]
    path = urllib.parse.urlsplit(location).path
    got = request(base, "GET", path, headers={"Accept": "application/n-triples"})
    assert got.status == 200 and len(Graph().parse(data=got.body, format="nt")) == 1
    again = request(base, "POST", "/rdf-graphs", body=turtle, headers=headers)
    assert again.headers["Location"] != location  # each POST a new graph
    assert request(base, "DELETE", path, headers=headers).status == 204
    assert request(base, "GET", path).status == 404


def test_post_to_the_store_needs_the_token_and_rdf(base: str) -> None:
    turtle = "<urn:x:c> <urn:x:p> 'x' ."
    assert (
        request(
            base, "POST", "/rdf-graphs", body=turtle, headers={"Content-Type": "text/turtle"}
        ).status
        == 401
    )
    headers = {"Authorization": WRITE["Authorization"], "Content-Type": "text/turtle"}
    assert (
        request(base, "POST", "/rdf-graphs", body="<urn:x:c> <urn", headers=headers).status == 400
    )


# --------------------------------------------------------------------------- result formats
GRAPH_QUERIES = [
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <urn:x:source> { ?s ?p ?o } }",
    "DESCRIBE <urn:x:a>",
]


@pytest.mark.parametrize("query", GRAPH_QUERIES)
def test_every_graph_result_in_rdf_xml(base: str, query: str) -> None:
    reply = request(
        base, "GET", "/sparql", params={"query": query}, headers={"Accept": "application/rdf+xml"}
    )
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=reply.body, format="xml")) >= 1


def test_a_graph_from_the_graph_store_in_rdf_xml(base: str) -> None:
    reply = request(
        base,
        "GET",
        "/rdf-graphs",
        params={"graph": SOURCE},
        headers={"Accept": "application/rdf+xml"},
    )
    assert reply.status == 200
    assert len(Graph().parse(data=reply.body, format="xml")) >= 1


@pytest.mark.parametrize(
    ("query", "media_type"),
    [
        ("SELECT * WHERE { GRAPH <urn:x:source> { ?s ?p ?o } }", "application/sparql-results+json"),
        (GRAPH_QUERIES[0], "application/ld+json"),
    ],
)
def test_plain_json_is_answered_with_the_json_of_the_result(
    base: str, query: str, media_type: str
) -> None:
    reply = request(
        base, "GET", "/sparql", params={"query": query}, headers={"Accept": "application/json"}
    )
    assert reply.status == 200 and reply.headers["Content-Type"].startswith(media_type)


def test_a_default_graph_uri_that_is_not_an_iri_is_a_400(base: str) -> None:
    reply = request(base, "GET", "/sparql", params={"query": "ASK {}", "default-graph-uri": "a b"})
    assert reply.status == 400 and "default-graph-uri" in reply.text


# --------------------------------------------------------------------------- update operations
OPERATIONS = [
    # (update, graph to look at, values it then holds)
    (
        "INSERT DATA { GRAPH <urn:x:ops> { <urn:x:s> <urn:x:p> 'one', 'two' } }",
        "urn:x:ops",
        ["one", "two"],
    ),
    ("DELETE DATA { GRAPH <urn:x:ops> { <urn:x:s> <urn:x:p> 'one' } }", "urn:x:ops", ["two"]),
    ("COPY <urn:x:ops> TO <urn:x:copy>", "urn:x:copy", ["two"]),
    (
        "INSERT DATA { GRAPH <urn:x:extra> { <urn:x:s> <urn:x:p> 'three' } }",
        "urn:x:extra",
        ["three"],
    ),
    ("ADD <urn:x:extra> TO <urn:x:copy>", "urn:x:copy", ["three", "two"]),
    ("MOVE <urn:x:copy> TO <urn:x:moved>", "urn:x:moved", ["three", "two"]),
    ("DELETE WHERE { GRAPH <urn:x:moved> { ?s ?p 'two' } }", "urn:x:moved", ["three"]),
    ("CLEAR GRAPH <urn:x:moved>", "urn:x:moved", []),
    ("CREATE GRAPH <urn:x:made> ; DROP GRAPH <urn:x:ops>", "urn:x:ops", []),
]


def test_each_update_operation_through_the_endpoint(base: str) -> None:
    """SPARQL 1.1 Update, 3.1 and 3.2: each operation, in order, through /update."""
    for text, graph, expected in OPERATIONS:
        assert update(base, text).status == 204, text
        assert graph_values(base, graph) == expected, text


def test_an_update_that_fails_changes_nothing(base: str) -> None:
    text = (
        "INSERT DATA { GRAPH <urn:x:half> { <urn:x:a> <urn:x:p> 'kept?' } } ; "
        "DROP GRAPH <urn:x:none>"
    )
    assert update(base, text).status in (400, 503)  # DROP of a graph not there fails
    assert graph_values(base, "urn:x:half") == []  # one request, one transaction


# --------------------------------------------------------------------------- graph store, more
def test_head_answers_as_get_without_a_body(base: str) -> None:
    found = request(base, "HEAD", "/rdf-graphs", params={"graph": SOURCE})
    assert found.status == 200 and found.body == b""
    assert request(base, "HEAD", "/rdf-graphs", params={"graph": "urn:x:nowhere"}).status == 404


def test_graph_store_refusals(base: str) -> None:
    auth = {"Authorization": WRITE["Authorization"]}
    missing = request(
        base, "DELETE", "/rdf-graphs", params={"graph": "urn:x:nowhere"}, headers=auth
    )
    assert missing.status == 404
    unknown_type = request(
        base,
        "PUT",
        "/rdf-graphs",
        params={"graph": "urn:x:typed"},
        body="<urn:x:a> <urn:x:b> <urn:x:c> .",
        headers={**auth, "Content-Type": "application/x-unknown"},
    )
    assert unknown_type.status == 415
    assert (
        request(base, "PATCH", "/rdf-graphs", params={"graph": SOURCE}, headers=auth).status == 405
    )
    both = request(base, "GET", "/rdf-graphs", params={"graph": SOURCE, "default": ""})
    assert both.status in (200, 400)  # ?graph wins, or the ambiguity is refused; never a 500


def test_delete_where_with_the_protocol_dataset_says_how_to_write_it(base: str) -> None:
    reply = update(base, "DELETE WHERE { ?s ?p ?o }", **{"using-graph-uri": SOURCE})
    assert reply.status == 400 and "DELETE { … } WHERE { … }" in reply.text
    assert graph_values(base, SOURCE) != []  # nothing was deleted


@pytest.mark.parametrize(("query", "fmt"), [(GRAPH_QUERIES[0], "xml"), (GRAPH_QUERIES[1], "xml")])
def test_a_graph_asked_for_as_sparqlwrapper_does_comes_as_rdf_xml(
    base: str, query: str, fmt: str
) -> None:
    """SPARQLWrapper adds format=, output= and results= to its Accept header."""
    params = {"query": query, "format": fmt, "output": fmt, "results": fmt}
    reply = request(
        base, "GET", "/sparql", params=params, headers={"Accept": "application/rdf+xml"}
    )
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/rdf+xml")
    Graph().parse(data=reply.body, format="xml")
    solutions = request(base, "GET", "/sparql", params={"query": "ASK {}", "format": "xml"})
    assert solutions.headers["Content-Type"].startswith("application/sparql-results+xml")
