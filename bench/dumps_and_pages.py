"""Dump speed and memory, and the cost of an actor page, on one store.

    python bench/dumps_and_pages.py [--copies 100]

Uses the store built by ``endpoint_vs_oxigraph.build_store`` (real extracted
articles, copied to about a million quads), then in one run:
- pyoxigraph's own ``Store.dump`` as N-Quads into a byte counter (baseline)
  against ``GET /dumps/communique.nq`` from ``communique serve``, with the
  server's memory (its processes' RSS) sampled during the download;
- the page of the most connected actor against the plain SPARQL query behind
  it (every triple about the actor, in and out), both over HTTP.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from endpoint_vs_oxigraph import build_store, communique_server, free_port, wait_up

from communique.settings import Settings
from communique.vocab import Iris
from tests.helpers import rss_kib


class Counter:
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def baseline_dump(store_path: Path) -> tuple[float, int]:
    store = ox.Store.read_only(str(store_path))
    counter = Counter()
    started = time.perf_counter()
    store.dump(counter, ox.RdfFormat.N_QUADS)
    return time.perf_counter() - started, counter.bytes


def served_dump(port: int, pid: int) -> tuple[float, int, float]:
    peak = before = rss_kib(pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", "/dumps/communique.nq")
    response = connection.getresponse()
    size = 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return elapsed, size, (peak - before) / 1024


def timed_get(port: int, path: str, accept: str, rounds: int) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_path, quads = build_store(Path(tmp), args.copies, Settings.from_env().model)
        base_seconds, base_bytes = baseline_dump(store_path)
        hub = ox.Store.read_only(str(store_path)).query(
            "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?p ?x FILTER(isIRI(?x) && STRSTARTS(STR(?x), "
            f'"{Iris(Settings().base_iri).base}")) }} GROUP BY ?x ORDER BY DESC(?n) LIMIT 1',
            use_default_graph_as_union=True,
        )
        hub_iri, hub_links = next((r["x"].value, int(r["n"].value)) for r in hub)
        port = free_port()
        # the result cache off: a page asked again would otherwise come from memory,
        # and this measures what building it costs
        env = {
            **os.environ,
            "COMMUNIQUE_STORE": str(store_path),
            "COMMUNIQUE_RESULT_CACHE_MB": "0",
        }
        server = communique_server(port, env)
        try:
            wait_up(port, "/")
            seconds, size, growth = served_dump(port, server.pid)
            path = "/id/" + hub_iri.removeprefix(Iris(Settings().base_iri).base)
            query = (
                f"SELECT ?p ?o ?s WHERE {{ {{ <{hub_iri}> ?p ?o }} UNION {{ ?s ?p <{hub_iri}> }} }}"
            )
            sparql_path = "/sparql?" + urllib.parse.urlencode({"query": query})
            timed_get(port, path, "text/html", 1)  # build the search index and caches once
            page = timed_get(port, path, "text/html", args.rounds)
            plain = timed_get(port, sparql_path, "application/sparql-results+json", args.rounds)
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"store: {quads:,} quads")
    print(f"Store.dump N-Quads: {base_seconds:.2f} s, {base_bytes / base_seconds / 1e6:.1f} MB/s")
    print(
        f"GET /dumps/communique.nq: {seconds:.2f} s, {size / seconds / 1e6:.1f} MB/s, "
        f"server memory growth {growth:.0f} MB"
    )
    print(f"dump speed ratio (target >= 0.70): {base_seconds / seconds:.2f}")
    print(f"most connected actor: {hub_iri} ({hub_links:,} incoming links)")
    print(
        f"its page: {page * 1000:.0f} ms; the plain query behind it: {plain * 1000:.0f} ms; "
        f"ratio (target < 10): {page / plain:.1f}"
    )


if __name__ == "__main__":
    main()
