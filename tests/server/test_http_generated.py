"""Generated requests against the real server, on every route: arbitrary paths,
query strings (valid UTF-8 or not), headers and bodies, with and without the
update token. Whatever arrives, the answer is never a 500 and never shows a
traceback, and the server keeps answering.

The examples Hypothesis draws are fixed per test in CI (the ``ci`` profile is
derandomized); ``HYPOTHESIS_PROFILE=long`` draws thousands more (see
bench/README.md). Requests that once broke the server are kept below as
explicit examples, so that they run every time.
"""

from __future__ import annotations

import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.helpers import examples, samples_copy, serve_process
from tests.server.client import Reply, request

TOKEN = "generated-token-9"
ROUTES = [
    "/",
    "/sparql",
    "/query",
    "/update",
    "/rdf-graphs",
    "/rdf-graphs/",
    "/id/",
    "/id/person/",
    "/id/country/",
    "/describe",
    "/search",
    "/search.json",
    "/dumps/",
    "/dumps/communique.nq",
    "/.well-known/void",
    "/static/",
]
PARAMETERS = [
    "query",
    "update",
    "format",
    "default-graph-uri",
    "named-graph-uri",
    "using-graph-uri",
    "using-named-graph-uri",
    "graph",
    "default",
    "page",
    "uri",
    "q",
]
MEDIA_TYPES = [
    "*/*",
    "text/html",
    "application/json",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/x-unknown",
]
SPARQL_BITS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK {}",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    "DESCRIBE <urn:x:a>",
    "INSERT DATA { <urn:x:a> <urn:x:b> 'c' }",
    "DELETE WHERE { ?s ?p ?o }",
    "SERVICE <http://127.0.0.1:9/> { }",
    "# comment\r",
    "{ { { {",
    "BASE <x> PREFIX : <y>",
    '"""unclosed',
    "<http://a b>",
    "\\u0000",
    "FILTER(REGEX(?x, '(a+)+$'))",
]

header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40
)  # what http.client lets through in a header
sparql_text = st.lists(
    st.one_of(st.sampled_from(SPARQL_BITS), st.text(max_size=20)), max_size=5
).map(" ".join)
raw_bytes = st.binary(max_size=200)


def encoded(value: str | bytes) -> str:
    """Any text or bytes as it travels in a URL (bytes that are not UTF-8 included)."""
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    return urllib.parse.quote_from_bytes(data, safe="")


paths = st.builds(
    lambda route, tail: route + "/".join(encoded(part) for part in tail),
    st.sampled_from(ROUTES),
    st.one_of(st.just([]), st.lists(st.one_of(st.text(max_size=12), raw_bytes), max_size=3)),
)
queries = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8)),
        st.one_of(sparql_text, st.text(max_size=30), raw_bytes),
    ),
    max_size=4,
).map(lambda pairs: "&".join(f"{encoded(k)}={encoded(v)}" for k, v in pairs))
headers = st.fixed_dictionaries(
    {},
    optional={
        "Accept": st.one_of(
            st.lists(st.sampled_from(MEDIA_TYPES), max_size=3).map(", ".join), header_text
        ),
        "Content-Type": st.one_of(st.sampled_from(MEDIA_TYPES), header_text),
        "Authorization": st.one_of(st.just(f"Bearer {TOKEN}"), header_text),
        "User-Agent": header_text,
        "If-None-Match": header_text,
        "If-Modified-Since": header_text,
        "Accept-Encoding": header_text,
        "Range": header_text,
    },
)
bodies = st.one_of(
    st.none(),
    raw_bytes,
    sparql_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda q: b"query=" + encoded(q).encode(), sparql_text),
    st.builds(lambda q: b"update=" + encoded(q).encode(), sparql_text),
)
# weighted to the methods the routes take, so that most requests reach a route's code
methods = st.sampled_from(
    ["GET"] * 4 + ["POST"] * 3 + ["PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]
)


@pytest.fixture(scope="module")
def base(samples_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("generated-http")
    for store in samples_copy("embedded", samples_store_path, folder):
        for url, _process in serve_process(
            store,
            folder / "server.log",
            update_token=TOKEN,
            query_timeout="2",
            fast_lane_seconds="0.5",
            client_queries="64",  # the generated requests come one at a time
            max_request_mb="1",
        ):
            yield url


def answers_well(reply: Reply) -> None:
    assert reply.status != 500, reply.body[:300]
    assert reply.status < 500 or reply.status in (503,), reply.body[:300]
    assert b"Traceback" not in reply.body and b'File "/' not in reply.body


@settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(method=methods, path=paths, query=queries, sent=headers, body=bodies)
# requests that broke the server before: kept so that they run every time
@example("GET", "/id/" + encoded("\ud800"), "", {}, None)
@example(
    "GET",
    "/sparql",
    "query=" + encoded("SELECT * { ?s ?p ?o }") + "&default-graph-uri=a%20b",
    {},
    None,
)
@example("GET", "/id/person/x", "page=abc", {"Accept": "text/html"}, None)
@example("POST", "/sparql", "", {"Content-Type": "application/sparql-query"}, b"ASK {} \xff")
@example("GET", "/sparql", "query=ASK%20%7B%7D%23%E9", {}, None)
@example("POST", "/rdf-graphs", "", {"Authorization": f"Bearer {TOKEN}"}, b"<a> <b> <c> .")
@example("GET", "/sparql", "", {"Accept": "application/json"}, None)
@example("GET", "/rdf-graphs/%80", "", {}, None)  # found by this test: a URL that is no IRI
def test_no_request_breaks_the_server(
    base: str, method: str, path: str, query: str, sent: dict[str, str], body: bytes | None
) -> None:
    target = path + ("?" + query if query else "")
    reply = request(base, method, target, body=body, headers=sent, timeout=60)
    event(f"status {reply.status}")  # how the answers spread (--hypothesis-show-statistics)
    answers_well(reply)


@settings(max_examples=examples(60), deadline=None)
@given(raw=st.binary(min_size=1, max_size=300))
@example(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")
@example(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n")
@example(b"\x00\xff\r\n\r\n")
def test_bytes_that_are_no_http_request_are_refused(base: str, raw: bytes) -> None:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(raw + b"\r\n\r\n")
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    assert b"Traceback" not in answer
    assert not answer.startswith(b"HTTP/1.1 500"), answer[:200]


def test_the_server_still_answers_after_everything(base: str) -> None:
    reply = request(base, "GET", "/sparql", params={"query": "ASK {}"}, headers={})
    assert reply.status == 200
    assert request(base, "GET", "/", headers={"Accept": "text/html"}).status == 200
