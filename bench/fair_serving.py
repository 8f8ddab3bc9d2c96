"""Whether light requests keep answering while heavy queries run.

    python bench/fair_serving.py [--copies 20] [--seconds 60] [--heavy 10] [--light 40]

Builds the store of ``endpoint_vs_oxigraph.build_store`` (real extracted
articles, copied), starts ``communique serve`` on it with its default
settings, and runs two phases of ``--seconds`` each:

1. baseline: ``--light`` clients alone, each looping over a light request
   (the home page, an actor's page, a small SPARQL query made unique by a
   comment so that the result cache cannot answer it) with a random pause of
   0 to 1 s between requests, as people and dashboards do;
2. the same light clients while ``--heavy`` clients, each from its own
   User-Agent, send queries that run to the time limit (a three-way cartesian
   product counted) back to back.

It prints, per phase, the light requests' median and 95th percentile latency
and their statuses, the heavy requests' statuses, and the peak resident memory
of the whole server (gunicorn, its workers and their query workers). The
goals of issue 18: light p95 under 1 s and server memory under 2 GB while the
heavy clients run.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from endpoint_vs_oxigraph import build_store, communique_server, free_port, wait_up

from communique.settings import Settings
from communique.vocab import Iris

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIGHT = (
    "PREFIX schema: <http://schema.org/>\n"
    "SELECT ?a ?h WHERE {{ ?a schema:headline ?h }} LIMIT 10 # {n}"
)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int | str) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[f"{kind} {status}"] += 1


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children[int(fields.get("PPid", "0").strip())].append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1024


def get(port: int, path: str, headers: dict[str, str], timeout: float) -> tuple[int | str, float]:
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        status: int | str = response.status
    except OSError as exc:
        status = type(exc).__name__
    return status, time.perf_counter() - started


def light_client(port: int, pages: list[str], stop: float, tally: Tally, seed: int) -> None:
    chance = random.Random(seed)
    agent = {"User-Agent": f"light-client/{seed}"}
    while time.monotonic() < stop:
        kind = chance.choice(("home", "page", "query"))
        if kind == "home":
            path, headers = "/", {**agent, "Accept": "text/html"}
        elif kind == "page":
            path, headers = chance.choice(pages), {**agent, "Accept": "text/html"}
        else:
            query = LIGHT.format(n=chance.randrange(10**9))
            path = "/sparql?" + urllib.parse.urlencode({"query": query})
            headers = {**agent, "Accept": "application/sparql-results+json"}
        status, seconds = get(port, path, headers, timeout=120)
        tally.add(kind, seconds, status)
        time.sleep(chance.random())


def heavy_client(port: int, stop: float, tally: Tally, index: int) -> None:
    path = "/sparql?" + urllib.parse.urlencode({"query": HEAVY})
    headers = {"User-Agent": f"heavy-client/{index}", "Accept": "text/csv"}
    while time.monotonic() < stop:
        status, seconds = get(port, path, headers, timeout=120)
        tally.add("heavy", seconds, status)
        if status == 429 or not isinstance(status, int):
            time.sleep(1)  # as a polite client does on Retry-After


def phase(port: int, pid: int, pages: list[str], args: argparse.Namespace, heavy: int) -> None:
    tally, peak = Tally(), [tree_rss_mib(pid)]
    stop = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=heavy_client, args=(port, stop, tally, i)) for i in range(heavy)
    ]
    threads += [
        threading.Thread(target=light_client, args=(port, pages, stop, tally, i))
        for i in range(args.light)
    ]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        peak.append(tree_rss_mib(pid))
        time.sleep(0.25)
    report(f"{heavy} heavy + {args.light} light clients, {args.seconds:g} s", tally, max(peak))


def report(title: str, tally: Tally, peak_mib: float) -> None:
    print(f"\n## {title}")
    light = [s for kind in ("home", "page", "query") for s in tally.latencies.get(kind, [])]
    for kind, seconds in [("all light", light)] + [
        (k, tally.latencies[k]) for k in ("home", "page", "query", "heavy") if tally.latencies[k]
    ]:
        ordered = sorted(seconds)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(
            f"{kind:10} n={len(ordered):5}  median {statistics.median(ordered) * 1000:8.0f} ms  "
            f"p95 {p95 * 1000:8.0f} ms  max {ordered[-1] * 1000:8.0f} ms"
        )
    print("statuses:", ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items())))
    print(f"server peak memory (all its processes): {peak_mib:.0f} MiB")


def actor_pages(store_path: Path, count: int) -> list[str]:
    base = Iris(Settings().base_iri).base
    rows = ox.Store.read_only(str(store_path)).query(
        "SELECT DISTINCT ?x ?base WHERE { ?x a ?type FILTER(STRSTARTS(STR(?x), ?base)) "
        "FILTER(CONTAINS(STR(?x), '/person/') || CONTAINS(STR(?x), '/country/')) } LIMIT 400",
        use_default_graph_as_union=True,
        substitutions={ox.Variable("base"): ox.Literal(base)},
    )
    iris = [row["x"].value for row in rows]
    random.Random(7).shuffle(iris)
    return ["/id/" + iri.removeprefix(base) for iri in iris[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--heavy", type=int, default=10)
    parser.add_argument("--light", type=int, default=40)
    parser.add_argument("--store", type=Path, help="reuse a store this script built before")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn the result cache off (COMMUNIQUE_RESULT_CACHE_MB=0): every page and "
        "query is made anew",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.store is not None:
            store_path, quads = args.store, len(ox.Store.read_only(str(args.store)))
        else:
            store_path, quads = build_store(Path(tmp), args.copies, Settings.from_env().model)
        pages = actor_pages(store_path, 400)
        port = free_port()
        env = {**os.environ, "COMMUNIQUE_STORE": str(store_path)}
        if args.no_cache:
            env["COMMUNIQUE_RESULT_CACHE_MB"] = "0"
        server = communique_server(port, env)
        try:
            wait_up(port, "/")
            for path in pages[:3]:
                get(port, path, {"Accept": "text/html"}, timeout=120)  # warm the caches
            cache = "off" if args.no_cache else "on"
            print(f"store: {quads:,} quads; {len(pages)} actor pages in the mix; cache {cache}")
            phase(port, server.pid, pages, args, heavy=0)
            phase(port, server.pid, pages, args, heavy=args.heavy)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
