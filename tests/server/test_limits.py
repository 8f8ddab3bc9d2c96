"""The limits a public endpoint needs, over a real socket: result caps that end
an answer cleanly and say so, a memory ceiling per query worker, a share per
client (429 with Retry-After), heavy queries kept to the slow lane while light
requests and pages are answered, and a cap on request bodies (413).

The server runs with small limits so that each is reached quickly: 100 rows
and 1 MB per answer, 500 MB per worker, two queries per client, a fast lane
of half a second and one slow-lane worker with a 6 s time limit.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.helpers import samples_copy, serve_process
from tests.server.client import Reply, request

ROWS = 100
BYTES = 1024 * 1024
# counts the rows of a three-way product of the store: no end within the limits
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# a string that doubles in each BIND: gigabytes long by the last one
DOUBLING = (
    'SELECT (STRLEN(?s13) AS ?n) WHERE { BIND("'
    + "x" * 64
    + '" AS ?s0) '
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}, ?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(13))
    + " }"
)


@pytest.fixture(scope="module")
def base(samples_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("limits")
    for store in samples_copy("embedded", samples_store_path, folder):
        for url, _process in serve_process(
            store,
            folder / "server.log",
            max_result_rows=str(ROWS),
            max_result_mb="1",
            query_memory_mb="500",
            client_queries="2",
            fast_lane_seconds="0.5",
            query_workers="2",
            slow_workers="1",
            query_timeout="6",
            max_request_mb="1",
        ):
            yield url


def ask(base: str, query: str, accept: str, agent: str = "tests") -> Reply:
    return request(
        base,
        "POST",
        "/sparql",
        body=query,
        headers={
            "Accept": accept,
            "User-Agent": agent,
            "Content-Type": "application/sparql-query",
        },
    )


def numbers(count: int) -> str:
    return "SELECT ?n WHERE { VALUES ?n { " + " ".join(map(str, range(count))) + " } }"


# --------------------------------------------------------------------------- result caps
@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("text/csv", None),
    ],
)
def test_the_row_cap_ends_the_answer_cleanly_and_says_so(
    base: str, accept: str, fmt: ox.QueryResultsFormat | None
) -> None:
    reply = ask(base, numbers(ROWS * 3), accept)
    assert reply.status == 200
    assert reply.headers["Communique-Result-Cut"] == "rows"
    assert reply.headers["Communique-Result-Limit"] == f"rows={ROWS}, bytes={BYTES}"
    if fmt is None:  # pyoxigraph reads no CSV results
        rows = list(csv.reader(io.StringIO(reply.text, newline="")))[1:]
    else:
        rows = list(ox.parse_query_results(io.BytesIO(reply.body), fmt))
    assert len(rows) == ROWS


def test_an_answer_under_the_caps_is_not_marked(base: str) -> None:
    reply = ask(base, numbers(ROWS), "application/sparql-results+json")
    assert reply.status == 200 and "Communique-Result-Cut" not in reply.headers
    assert len(json.loads(reply.body)["results"]["bindings"]) == ROWS


def test_the_byte_cap_ends_the_answer_between_rows(base: str) -> None:
    wide = (
        "SELECT ?n ?text WHERE { VALUES ?n { " + " ".join(map(str, range(60))) + " } "
        'BIND(CONCAT(STR(?n), "' + "w" * 40_000 + '") AS ?text) }'
    )
    reply = ask(base, wide, "application/sparql-results+json")
    assert reply.status == 200 and reply.headers["Communique-Result-Cut"] == "bytes"
    assert len(reply.body) <= BYTES
    rows = json.loads(reply.body)["results"]["bindings"]
    assert 0 < len(rows) < 60


def test_a_graph_answer_is_capped_too(base: str) -> None:
    construct = (
        "CONSTRUCT { ?s <urn:x:n> ?n } WHERE { VALUES ?n { "
        + " ".join(map(str, range(ROWS * 2)))
        + " } BIND(IRI(CONCAT('urn:x:', STR(?n))) AS ?s) }"
    )
    reply = ask(base, construct, "application/n-triples")
    assert reply.headers["Communique-Result-Cut"] == "rows"
    assert len(list(ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES))) == ROWS


# --------------------------------------------------------------------------- memory
def test_a_query_past_the_memory_ceiling_is_stopped_and_the_worker_replaced(base: str) -> None:
    reply = ask(base, DOUBLING, "application/sparql-results+json", agent="memory")
    assert reply.status == 503, reply.text
    assert "500 MB" in reply.text and "COMMUNIQUE_QUERY_MEMORY_MB" in reply.text
    for _ in range(3):  # every worker answers again
        assert ask(base, "ASK {}", "application/sparql-results+json").status == 200


# --------------------------------------------------------------------------- shares and lanes
def in_threads(calls: list[tuple[str, str]], base: str) -> list[tuple[str, int, dict[str, str]]]:
    """Send each (query, agent) at once; replies in the order they came back."""
    done: list[tuple[str, int, dict[str, str]]] = []
    lock = threading.Lock()

    def send(query: str, agent: str) -> None:
        reply = ask(base, query, "application/sparql-results+json", agent=agent)
        with lock:
            done.append((agent, reply.status, dict(reply.headers)))

    threads = [threading.Thread(target=send, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done


def test_a_client_past_its_share_gets_429_with_retry_after(base: str) -> None:
    replies = in_threads([(HEAVY, "greedy")] * 3, base)
    refused = [headers for _agent, status, headers in replies if status == 429]
    assert len(refused) >= 1
    assert all(int(headers["Retry-After"]) >= 1 for headers in refused)


def test_light_requests_are_answered_while_heavy_queries_run(base: str) -> None:
    heavy = [(HEAVY, f"heavy-{n}") for n in range(3)]
    light = [(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 3 # {n}", f"light-{n}") for n in range(4)]
    order: list[str] = []

    def page() -> None:
        reply = request(base, "GET", "/", headers={"Accept": "text/html", "User-Agent": "page"})
        order.append(f"page {reply.status}")

    pages = [threading.Thread(target=page) for _ in range(2)]
    heavy_done: list[tuple[str, int, dict[str, str]]] = []
    runner = threading.Thread(target=lambda: heavy_done.extend(in_threads(heavy, base)))
    runner.start()
    light_done = in_threads(light, base)
    for thread in pages:
        thread.start()
    for thread in pages:
        thread.join()
    still_running = runner.is_alive()
    runner.join()
    assert still_running, "the heavy queries ended before the light ones: nothing was shown"
    assert [status for _agent, status, _headers in light_done] == [200] * 4
    assert {headers["Communique-Lane"] for _a, _s, headers in light_done} == {"fast"}
    assert order == ["page 200", "page 200"]
    # the heavy ones ran past the fast lane into the slow one, or were asked to wait
    assert {status for _agent, status, _headers in heavy_done} <= {503, 429}


def test_a_heavy_client_goes_straight_to_the_slow_lane(base: str) -> None:
    ask(base, HEAVY, "application/sparql-results+json", agent="marked")  # to the limit
    # a comment makes each query new to the result cache, so that a worker runs it
    reply = ask(base, "ASK {} # marked", "application/sparql-results+json", agent="marked")
    assert reply.status == 200 and reply.headers["Communique-Lane"] == "slow"
    other = ask(base, "ASK {} # unmarked", "application/sparql-results+json", agent="unmarked")
    assert other.headers["Communique-Lane"] == "fast"


# --------------------------------------------------------------------------- request bodies
def test_a_body_over_the_limit_is_a_413(base: str) -> None:
    body = "ASK {} #" + "x" * (BYTES + 10)
    reply = request(
        base,
        "POST",
        "/sparql",
        body=body,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert reply.status == 413


# --------------------------------------------------------------------------- pages
@pytest.fixture(scope="module")
def impatient(samples_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose time limit no query can meet."""
    folder = tmp_path_factory.mktemp("impatient")
    for store in samples_copy("embedded", samples_store_path, folder):
        for url, _process in serve_process(store, folder / "server.log", query_timeout="0.001"):
            yield url


def test_a_page_is_held_to_the_time_limit_too(impatient: str) -> None:
    """Pages read the store through query workers under the time limit: eight at
    once each get a 503 at the limit, and none holds a thread of the server."""
    replies: list[Reply] = []

    def page() -> None:
        replies.append(request(impatient, "GET", "/id/country/RU", headers={"Accept": "text/html"}))

    threads = [threading.Thread(target=page) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [reply.status for reply in replies] == [503] * 8
    assert all("longer than" in r.text or "stayed busy" in r.text for r in replies)
    assert request(impatient, "GET", "/static/query.css").status == 200  # still serving
