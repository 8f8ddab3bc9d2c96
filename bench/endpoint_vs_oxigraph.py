"""communique's /sparql against the native `oxigraph serve-read-only`, on one store.

    python bench/endpoint_vs_oxigraph.py [--copies 20] [--rounds 15] [--seconds 20]

1. Builds a store of realistic shape: the shared evaluation documents and
   sample articles are extracted by communique, then their article graphs are
   copied under new article IRIs (the actors stay shared, so hubs grow) and
   bulk-loaded, then optimised.
2. Starts three servers on 127.0.0.1 over that store (union default graph):
   `communique serve` as configured by default, the same with its result cache
   off (COMMUNIQUE_RESULT_CACHE_MB=0), and `oxigraph serve-read-only`.
3. Median latency of each query (alternating between the servers), then the
   throughput of 16 concurrent clients running the mix for a fixed time each.
   Each query is asked many times, so with the cache on every answer small
   enough to keep comes from the cache after the first: the "no cache" columns
   compare the engine and the HTTP path alone.
Needs the `oxigraph` PyPI package (the server binary).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from communique.load.pipeline import load_paths
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris, sparql_prefixes

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CLIENTS = 16

QUERIES = {
    "who met whom": """SELECT DISTINCT ?a ?b WHERE {
        ?e a/rdfs:subClassOf* dip:Consult ; dip:participant ?x, ?y .
        ?x a dip:Person ; rdfs:label ?a . ?y a dip:Person ; rdfs:label ?b .
        FILTER(STR(?a) < STR(?b)) } LIMIT 100""",
    "offices held": """SELECT ?person ?role ?in WHERE {
        ?h a dip:PositionHolding ; dip:holder/rdfs:label ?person ; dip:role ?role .
        OPTIONAL { ?h dip:inActor/rdfs:label ?in } } LIMIT 200""",
    "planned visits": """SELECT ?who ?where ?sentence WHERE {
        ?e a dip:Visit ; dip:status dip:Planned ; dip:initiator/rdfs:label ?who ;
           dip:evidence/dip:text ?sentence . OPTIONAL { ?e dip:location/rdfs:label ?where } }""",
    "events by type": """SELECT ?type (COUNT(?e) AS ?n) WHERE {
        ?e dip:ploverType ?type } GROUP BY ?type ORDER BY DESC(?n)""",
    "top actors": """SELECT ?actor (COUNT(?m) AS ?mentions) WHERE {
        ?actor dip:mentionedAs ?m } GROUP BY ?actor ORDER BY DESC(?mentions) LIMIT 20""",
    "quotes on a topic": """SELECT ?speaker ?quote WHERE {
        ?s a dip:Statement ; dip:speaker/rdfs:label ?speaker ; dip:quote ?quote ;
           dip:topic ?topic } LIMIT 100""",
    "articles naming a country": """SELECT ?article ?headline WHERE {
        ?c dip:countryCode "IQ" ; dip:mentionedAs/dip:inArticle ?article .
        ?article schema:headline ?headline } LIMIT 100""",
    "label prefix": """SELECT DISTINCT ?x ?l WHERE { ?x rdfs:label ?l .
        FILTER(STRSTARTS(LCASE(STR(?l)), "sy")) } LIMIT 20""",
    "describe one actor": """SELECT ?p ?o WHERE { ?a dip:countryCode "RU" ; ?p ?o }""",
}


def build_store(folder: Path, copies: int, model: str) -> tuple[Path, int]:
    """Extract the real articles once, then bulk-load ``copies`` renamed copies."""
    seed = folder / "seed"
    store = EmbeddedStore(seed, Iris(Settings().base_iri))
    articles = folder / "articles.jsonl"
    with articles.open("w", encoding="utf-8") as out:
        for gold in ("re3d.dev.jsonl", "plover_events.dev.jsonl"):
            out.write(
                subprocess.run(
                    [
                        sys.executable,
                        str(SHARED / "eval" / "to_articles.py"),
                        str(SHARED / "eval" / gold),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
    load_paths([articles, SHARED / "corpus"], store, model)
    nquads = folder / "seed.nq"
    with nquads.open("wb") as out:
        store.dump(out)
    store.close()
    text = nquads.read_text(encoding="utf-8")
    ids = sorted(
        set(
            re.findall(
                r"/(?:article|event|mention|holding|statement|membership)/"
                r"([0-9a-f]{16})",
                text,
            )
        )
    )
    copied = folder / "bench.nq"
    with copied.open("w", encoding="utf-8") as out:
        out.write(text)
        article_lines = [
            line
            for line in text.splitlines()
            if any(f"/{i}" in line for i in ids) and "/graph/" not in line
        ]
        chunk = "\n".join(article_lines) + "\n"
        for n in range(1, copies):
            out.write(
                re.sub(
                    r"([0-9a-f]{12})([0-9a-f]{4})",
                    lambda m, n=n: m.group(1) + f"{(int(m.group(2), 16) + n) % 65536:04x}",
                    chunk,
                )
            )
    target = folder / "bench-store"
    bulk = ox.Store(str(target))
    bulk.bulk_load(path=str(copied), format=ox.RdfFormat.N_QUADS)
    bulk.optimize()  # a bulk-loaded store must be compacted before serving (MEASURED.md)
    quads = len(bulk)
    del bulk
    return target, quads


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(port: int, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port}")


def ask(connection: http.client.HTTPConnection, path: str, query: str) -> float:
    started = time.perf_counter()
    connection.request(
        "POST",
        path,
        body=query.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json",
        },
    )
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return time.perf_counter() - started


def warm_up(servers: dict[str, tuple[int, str]]) -> None:
    """Each query once on each server, then time for every worker to have started:
    communique starts its query workers with the first query, and a worker that
    is still starting takes CPU from the timed runs."""
    for port, path in servers.values():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body in QUERIES.values():
            ask(connection, path, sparql_prefixes() + body)
    time.sleep(5)


def latencies(servers: dict[str, tuple[int, str]], rounds: int) -> dict[str, dict[str, float]]:
    connections = {
        name: http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for name, (port, _path) in servers.items()
    }
    medians: dict[str, dict[str, float]] = {}
    for title, body in QUERIES.items():
        query = sparql_prefixes() + body
        times: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(rounds):
            for name, (_port, path) in servers.items():
                times[name].append(ask(connections[name], path, query))
        medians[title] = {name: statistics.median(t) for name, t in times.items()}
    return medians


def throughput(port: int, path: str, seconds: float) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * CLIENTS
    queries = [sparql_prefixes() + q for q in QUERIES.values()]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        n = index
        while time.monotonic() < stop:
            ask(connection, path, queries[n % len(queries)])
            counts[index] += 1
            n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def communique_server(
    port: int, env: dict[str, str], workers: int | None = None
) -> subprocess.Popen[bytes]:
    """`communique serve` on the port, quietly; its own default of query workers
    unless ``workers`` is given."""
    command = [sys.executable, "-m", "communique", "serve", "--port", str(port)]
    if workers is not None:
        command += ["--query-workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    with tempfile.TemporaryDirectory() as tmp:
        store, quads = build_store(Path(tmp), args.copies, Settings.from_env().model)
        ours, uncached, native = free_port(), free_port(), free_port()
        # the client threads come from one address and one User-Agent: let them all in
        # at once, as the native server does (the default share is 4 per client)
        env = {
            **os.environ,
            "COMMUNIQUE_STORE": str(store),
            "COMMUNIQUE_CLIENT_QUERIES": str(CLIENTS),
        }
        processes = [
            communique_server(ours, env, args.workers),
            communique_server(uncached, {**env, "COMMUNIQUE_RESULT_CACHE_MB": "0"}, args.workers),
            subprocess.Popen(
                [
                    oxigraph,
                    "serve-read-only",
                    "--location",
                    str(store),
                    "--bind",
                    f"127.0.0.1:{native}",
                    "--union-default-graph",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
        ]
        try:
            for port in (ours, uncached, native):
                wait_up(port, "/")
            servers = {
                "communique": (ours, "/sparql"),
                "uncached": (uncached, "/sparql"),
                "oxigraph": (native, "/query"),
            }
            warm_up(servers)
            medians = latencies(servers, args.rounds)
            rates = {
                name: throughput(port, path, args.seconds) for name, (port, path) in servers.items()
            }
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
    report(quads, args, medians, rates)


def report(
    quads: int,
    args: argparse.Namespace,
    medians: dict[str, dict[str, float]],
    rates: dict[str, float],
) -> None:
    print(
        f"store: {quads:,} quads ({args.copies} copies); {args.rounds} rounds per query; "
        f"{CLIENTS} clients for {args.seconds:g} s; {args.workers} query workers"
    )
    print(
        f"{'query':28} {'communique ms':>14} {'no cache ms':>12} {'oxigraph ms':>12} "
        f"{'ratio':>6} {'no cache':>9}"
    )
    for title, values in medians.items():
        native = values["oxigraph"]
        print(
            f"{title:28} {values['communique'] * 1000:14.1f} {values['uncached'] * 1000:12.1f} "
            f"{native * 1000:12.1f} {values['communique'] / native:6.2f} "
            f"{values['uncached'] / native:9.2f}"
        )
    print(
        "throughput req/s: "
        + ", ".join(f"{name} {rate:.1f}" for name, rate in rates.items())
        + f"; ratios {rates['communique'] / rates['oxigraph']:.2f} (cache), "
        f"{rates['uncached'] / rates['oxigraph']:.2f} (no cache)"
    )
    print(json.dumps({"quads": quads, "medians": medians, "rates": rates}))


if __name__ == "__main__":
    main()
