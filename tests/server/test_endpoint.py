"""The SPARQL endpoint over a real socket: `communique serve` in its own process.

The server works on a copy of the samples store, with an update token, a
2-second query time limit, a small HTML row limit and a 1 MB result cache.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from tests.helpers import (
    BASE_IRI,
    STORE_KINDS,
    rss_kib,
    sample_headlines,
    samples_copy,
    serve_process,
)
from tests.server.client import Reply, request

TOKEN = "test-token-7f3a"
SELECT = "SELECT ?h WHERE { ?a a dip:Article ; schema:headline ?h } ORDER BY ?h"
CONSTRUCT = "CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
KIND_AT: dict[str, str] = {}  # server address -> store kind


@pytest.fixture(scope="module", params=STORE_KINDS)
def server(
    request: pytest.FixtureRequest,
    samples_store_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, int]]:
    """The same suite runs on the embedded store and on a real Oxigraph server."""
    folder = tmp_path_factory.mktemp("endpoint")
    for store in samples_copy(request.param, samples_store_path, folder):
        for url, process in serve_process(
            store,
            folder / "server.log",
            update_token=TOKEN,
            query_timeout="2",
            html_row_limit="5",
            query_workers="2",
            result_cache_mb="1",  # entries up to 64 KB
            max_result_rows="2000000",  # the caps are tested in test_limits.py
            max_result_mb="0",
        ):
            KIND_AT[url] = request.param
            yield url, process.pid


@pytest.fixture(scope="module")
def base(server: tuple[str, int]) -> str:
    return server[0]


# --------------------------------------------------------------------------- protocol
@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_get_with_each_result_format(base: str, accept: str, media_type: str) -> None:
    reply = request(base, "GET", "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert reply.status == 200
    assert reply.headers.get_content_type() == media_type
    assert sample_headlines()[0] in reply.text
    assert "Accept" in reply.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_graph_results_in_each_format(base: str, accept: str, rdflib_format: str) -> None:
    reply = request(base, "GET", "/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert reply.headers.get_content_type() == accept
    assert len(Graph().parse(data=reply.body, format=rdflib_format)) == 2


def test_both_posts_and_get_give_the_same_answer(base: str) -> None:
    csv = {"Accept": "text/csv"}
    got = request(base, "GET", "/sparql", params={"query": SELECT}, headers=csv)
    form = request(
        base,
        "POST",
        "/sparql",
        body=urllib.parse.urlencode({"query": SELECT}),
        headers={**csv, "Content-Type": "application/x-www-form-urlencoded"},
    )
    direct = request(
        base,
        "POST",
        "/sparql",
        body=SELECT,
        headers={**csv, "Content-Type": "application/sparql-query"},
    )
    assert got.status == form.status == direct.status == 200
    assert got.body == form.body == direct.body


def test_format_parameter_and_q_values(base: str) -> None:
    reply = request(
        base,
        "GET",
        "/sparql",
        params={"query": SELECT, "format": "tsv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.headers.get_content_type() == "text/tab-separated-values"
    reply = request(
        base,
        "GET",
        "/sparql",
        params={"query": SELECT},
        headers={"Accept": "text/csv;q=0.2, application/sparql-results+xml;q=0.8"},
    )
    assert reply.headers.get_content_type() == "application/sparql-results+xml"


def test_default_and_named_graph_parameters_restrict_the_dataset(base: str) -> None:
    entities = BASE_IRI + "graph/entities"
    only_entities = request(
        base,
        "GET",
        "/sparql",
        headers={"Accept": "text/csv"},
        params={"query": SELECT, "default-graph-uri": entities},
    )
    assert only_entities.text.splitlines() == ["h"]
    named = request(
        base,
        "GET",
        "/sparql",
        headers={"Accept": "text/csv"},
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": entities,
        },
    )
    assert named.text.splitlines() == ["g", entities]


@pytest.mark.parametrize(
    ("method", "params", "body", "headers", "status", "words"),
    [
        ("GET", {"query": "SELECT ?x WHERE { ?x"}, None, {}, 400, "Malformed query"),
        ("GET", {"format": "csv"}, None, {}, 400, "No query"),
        ("GET", None, None, {}, 200, ""),  # no parameters at all: the service description
        (
            "POST",
            None,
            "query=a&query=b",
            {"Content-Type": "application/x-www-form-urlencoded"},
            400,
            "More than one",
        ),
        ("PUT", {"query": SELECT}, None, {}, 405, ""),
        ("GET", {"query": SELECT}, None, {"Accept": "image/png"}, 406, "offered"),
        ("POST", None, SELECT, {"Content-Type": "text/plain"}, 415, "sparql-query"),
        ("GET", {"query": "INSERT DATA { <a:b> <a:c> 1 }"}, None, {}, 400, "/update"),
        ("GET", {"update": "CLEAR ALL"}, None, {}, 400, "/update"),
    ],
)
def test_each_error_has_its_status_and_message(
    base: str, method, params, body, headers, status, words
) -> None:  # type: ignore[no-untyped-def]
    reply = request(base, method, "/sparql", params=params, body=body, headers=headers)
    assert reply.status == status, reply.text
    assert words in reply.text


def test_an_error_page_escapes_what_it_echoes(base: str) -> None:
    query = "SELECT <x> {<script>alert(1)</script>}"
    handover = request(
        base, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/html"}
    )
    assert handover.status == 303  # a browser is sent to the query page
    reply = request(base, "GET", handover.headers["Location"], headers={"Accept": "text/html"})
    assert reply.status == 400
    assert "<script>alert(1)</script>" not in reply.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.text


def test_csv_cells_are_made_safe_for_spreadsheets(base: str) -> None:
    query = 'SELECT ?x ?n WHERE { VALUES (?x ?n) { ("=HYPERLINK(1)" -3) ("@SUM(A1)" 4) } }'
    reply = request(base, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert reply.text.splitlines() == ["x,n", "'=HYPERLINK(1),-3", "'@SUM(A1),4"]


# ----------------------------------------------------------------- description, CORS, ETag
@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_service_description(base: str, accept: str, rdflib_format: str) -> None:
    reply = request(base, "GET", "/sparql", headers={"Accept": accept})
    graph = Graph().parse(data=reply.body, format=rdflib_format)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(base + "/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    languages = set(graph.objects(endpoint, URIRef(sd + "supportedLanguage")))
    assert URIRef(sd + "SPARQL11Query") in languages
    assert URIRef(sd + "SPARQL11Update") in languages  # this server has a token
    assert URIRef(base + "/.well-known/void") in set(
        graph.objects(endpoint, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"))
    )
    void = request(base, "GET", "/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status == 200 and "void:sparqlEndpoint" in void.text


def test_cors_on_requests_and_preflight(base: str) -> None:
    reply = request(
        base, "GET", "/sparql", params={"query": SELECT}, headers={"Origin": "https://example.org"}
    )
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    preflight = request(
        base,
        "OPTIONS",
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_etag_and_last_modified_are_honoured_and_change_with_the_store(base: str) -> None:
    first = request(base, "GET", "/sparql", params={"query": SELECT})
    etag = first.headers["ETag"]
    assert etag and first.headers["Last-Modified"]
    again = request(
        base, "GET", "/sparql", params={"query": SELECT}, headers={"If-None-Match": etag}
    )
    assert again.status == 304 and again.body == b""
    since = request(
        base,
        "GET",
        "/sparql",
        params={"query": SELECT},
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status == 304
    time.sleep(1.1)  # Last-Modified has one-second resolution
    changed = request(
        base,
        "POST",
        "/update",
        body="INSERT DATA { <urn:x:etag> <urn:x:p> 1 }",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert changed.status == 204
    after = request(
        base, "GET", "/sparql", params={"query": SELECT}, headers={"If-None-Match": etag}
    )
    assert after.status == 200 and after.headers["ETag"] != etag


def cache_status(base: str, status: str) -> str | None:
    """The Cache-Status expected: the embedded store caches answers, an external
    store (whose data is live) does not."""
    return f"communique; {status}" if KIND_AT[base] == "embedded" else None


def test_a_repeated_answer_comes_from_the_cache_until_the_store_changes(base: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:cached> { ?s ?p ?o } }"

    def ask() -> Reply:
        return request(
            base, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/csv"}
        )

    first, again = ask(), ask()
    assert first.headers.get("Cache-Status") == cache_status(base, "fwd=miss; stored")
    assert again.headers.get("Cache-Status") == cache_status(base, "hit")
    assert first.body == again.body and again.text.splitlines() == ["n", "0"]
    assert again.headers["ETag"] == first.headers["ETag"]
    insert = "INSERT DATA { GRAPH <urn:x:cached> { <urn:x:s> <urn:x:p> 'v' } }"
    auth = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    assert request(base, "POST", "/update", body=insert, headers=auth).status == 204
    after = ask()
    assert after.text.splitlines() == ["n", "1"]
    assert after.headers.get("Cache-Status") == cache_status(base, "fwd=miss; stored")


def test_an_answer_larger_than_a_cache_entry_is_run_every_time(base: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20000"
    for _ in range(2):
        reply = request(
            base, "GET", "/sparql", params={"query": query}, headers={"Accept": "text/csv"}
        )
        assert reply.status == 200 and len(reply.body) > 64 * 1024
        assert reply.headers.get("Cache-Status") == cache_status(base, "fwd=miss")
        assert reply.headers.get("Content-Length") == str(len(reply.body))


# --------------------------------------------------------------------------- update and graph store
def test_updates_need_the_token(base: str) -> None:
    update = "INSERT DATA { GRAPH <urn:x:g1> { <urn:x:s> <urn:x:p> 'v' } }"
    typed = {"Content-Type": "application/sparql-update"}
    assert request(base, "POST", "/update", body=update, headers=typed).status == 401
    wrong = request(
        base, "POST", "/update", body=update, headers={**typed, "Authorization": "Bearer nope"}
    )
    assert wrong.status == 401 and "Bearer" in wrong.headers["WWW-Authenticate"]
    assert request(base, "GET", "/update").status == 405
    ok = request(
        base, "POST", "/update", body=update, headers={**typed, "Authorization": f"Bearer {TOKEN}"}
    )
    assert ok.status == 204
    seen = request(
        base,
        "GET",
        "/sparql",
        headers={"Accept": "text/csv"},
        params={"query": "SELECT ?v WHERE { GRAPH <urn:x:g1> { ?s ?p ?v } }"},
    )
    assert seen.text.splitlines() == ["v", "v"]
    bad = request(
        base,
        "POST",
        "/update",
        body="INSERT NONSENSE",
        headers={**typed, "Authorization": f"Bearer {TOKEN}"},
    )
    assert bad.status == 400


def test_graph_store_protocol(base: str) -> None:
    graph = "urn:x:pushed"
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    turtle = "<urn:x:a> <urn:x:knows> <urn:x:b> ."
    assert (
        request(
            base,
            "PUT",
            "/rdf-graphs",
            params={"graph": graph},
            body=turtle,
            headers={"Content-Type": "text/turtle"},
        ).status
        == 401
    )
    assert (
        request(
            base, "PUT", "/rdf-graphs", params={"graph": graph}, body=turtle, headers=auth
        ).status
        == 201
    )
    assert (
        request(
            base,
            "POST",
            "/rdf-graphs",
            params={"graph": graph},
            body="<urn:x:b> <urn:x:knows> <urn:x:c> .",
            headers=auth,
        ).status
        == 204
    )
    got = request(
        base,
        "GET",
        "/rdf-graphs",
        params={"graph": graph},
        headers={"Accept": "application/n-triples"},
    )
    assert len(Graph().parse(data=got.body, format="nt")) == 2
    assert (
        request(
            base, "PUT", "/rdf-graphs", params={"graph": graph}, body=turtle, headers=auth
        ).status
        == 204
    )  # replaced
    got = request(
        base, "GET", "/rdf-graphs", params={"graph": graph}, headers={"Accept": "text/turtle"}
    )
    assert len(Graph().parse(data=got.body, format="turtle")) == 1
    broken = request(
        base, "PUT", "/rdf-graphs", params={"graph": graph}, body="<a> <b", headers=auth
    )
    assert broken.status == 400
    assert (
        request(base, "DELETE", "/rdf-graphs", params={"graph": graph}, headers=auth).status == 204
    )
    assert request(base, "GET", "/rdf-graphs", params={"graph": graph}).status == 404


# --------------------------------------------------------------------------- safety
def test_a_slow_query_is_stopped_while_a_cheap_one_is_answered(base: str) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        reply = request(base, "GET", "/sparql", params={"query": SLOW})
        outcome.update(status=reply.status, text=reply.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    cheap = request(base, "GET", "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    slow_still_running = "status" not in outcome  # answered meanwhile, not after it
    thread.join(timeout=30)
    assert cheap.status == 200 and slow_still_running
    assert outcome["status"] == 503
    assert "longer than 2 s" in str(outcome["text"])
    assert float(outcome["seconds"]) < 10  # type: ignore[arg-type]
    after = request(base, "GET", "/sparql", params={"query": SELECT})
    assert after.status == 200, after.text


def test_a_query_nested_ten_thousand_deep_is_refused_and_the_server_lives(base: str) -> None:
    deep = "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000
    reply = request(
        base, "POST", "/sparql", body=deep, headers={"Content-Type": "application/sparql-query"}
    )
    assert reply.status == 400 and "nests brackets" in reply.text
    after = request(base, "GET", "/sparql", params={"query": SELECT})
    assert after.status == 200, after.text


def test_service_never_calls_a_url_a_user_names(base: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    reply = request(base, "GET", "/sparql", params={"query": query})
    assert reply.status == 403 and "SERVICE" in reply.text
    prefixed = (
        f"PREFIX l: <http://127.0.0.1:{port}/> "
        "SELECT * WHERE { SERVICE SILENT l:q { ?s ?p ?o } }"
    )
    assert request(base, "GET", "/sparql", params={"query": prefixed}).status == 403
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody called
    listener.close()


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, int]]:
    """A socket that records whether anybody called it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    yield sock, sock.getsockname()[1]
    sock.close()


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\n"])
def test_a_comment_ending_in_any_line_break_hides_no_service(
    base: str, listener: tuple[socket.socket, int], line_end: str
) -> None:
    sock, port = listener
    query = (
        f"SELECT * WHERE {{ # looks like the rest of the line{line_end}"
        f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    )
    replies = [
        request(base, "GET", "/sparql", params={"query": query}),
        request(
            base,
            "POST",
            "/sparql",
            body=query,
            headers={"Content-Type": "application/sparql-query"},
        ),
    ]
    assert all(r.status == 403 and "SERVICE" in r.text for r in replies)
    page = request(base, "GET", "/query", params={"query": query}, headers={"Accept": "text/html"})
    assert page.status == 403
    with pytest.raises(TimeoutError):
        sock.accept()  # nobody called


def test_deep_nesting_behind_a_comment_is_refused(base: str) -> None:
    deep = "SELECT * WHERE { #\r" + "{" * 5_000 + "}" * 5_000 + "}"
    reply = request(
        base, "POST", "/sparql", body=deep, headers={"Content-Type": "application/sparql-query"}
    )
    assert reply.status == 400 and "nests brackets" in reply.text
    after = request(base, "GET", "/sparql", params={"query": SELECT})
    assert after.status == 200, after.text


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "LOAD SILENT <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <http://x.org/g>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "# a comment\rLOAD <http://127.0.0.1:{port}/data.ttl>",
    ],
)
def test_an_update_never_fetches_a_url_even_with_the_token(
    base: str, listener: tuple[socket.socket, int], update: str
) -> None:
    sock, port = listener
    reply = request(
        base,
        "POST",
        "/update",
        body=update.replace("{port}", str(port)),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert reply.status == 403, reply.text
    with pytest.raises(TimeoutError):
        sock.accept()


def post_for_tsv(
    base: str, query: str, *, timeout: float
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """POST a query for TSV and return the response unread, to read it in pieces."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    connection.request(
        "POST",
        "/sparql",
        body=query.encode("utf-8"),
        headers={"Accept": "text/tab-separated-values", "Content-Type": "application/sparql-query"},
    )
    return connection, connection.getresponse()


def test_a_million_rows_pass_with_flat_memory(server: tuple[str, int]) -> None:
    """The answer is spooled to disk and sent from there: the server's memory
    does not grow with it."""
    base, pid = server
    values = " ".join(str(n) for n in range(1000))
    query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} }}"
    before = rss_kib(pid)
    peak = before
    connection, response = post_for_tsv(base, query, timeout=120)
    lines = 0
    while chunk := response.read(1 << 20):
        lines += chunk.count(b"\n")
        peak = max(peak, rss_kib(pid)) if lines % 50 == 0 else peak
    connection.close()
    assert response.status == 200
    assert lines == 1_000_001  # the header and a million rows
    assert (peak - before) / 1024 < 200, f"memory grew {(peak - before) / 1024:.0f} MB"


def test_an_answer_not_complete_within_the_time_limit_is_a_503_never_a_part(base: str) -> None:
    endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # rows at once, and no end in 2 s
    connection, response = post_for_tsv(base, endless, timeout=60)
    body = response.read()
    connection.close()
    assert response.status == 503 and b"longer than" in body
    assert request(base, "GET", "/sparql", params={"query": "ASK {}"}).status == 200


def test_json_results_parse(base: str) -> None:
    reply = request(base, "GET", "/sparql", params={"query": SELECT})
    assert len(json.loads(reply.body)["results"]["bindings"]) == 2
