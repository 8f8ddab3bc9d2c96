"""Loading throughput against a bare ``nlp.pipe`` over the same corpus, in one run.

    python bench/load_speed.py [--articles 200] [--profile 40] [--filler 0.6]
                               [--corpus FILE.jsonl]

A corpus of generated articles (``bench/corpus.py``, about 500 words each), or
the articles of ``--corpus`` (JSON Lines as ``communique load`` reads them, for
example real news made by ``../shared/eval/to_articles.py``), goes through,
each step in a fresh subprocess so that its peak memory is its own:

- the baseline: ``spacy.load(model)`` and ``nlp.pipe`` over the bodies, with
  ``n_process`` 1 and 2;
- ``communique load --workers 1`` and ``--workers 2`` into a new store.

Reported: articles/s and triples/s, load throughput as a share of the bare
throughput with the same number of processes, 2 workers against 1, the CPU
time an article costs each step (all its processes and threads: steadier than
the clock when the machine drifts, and what two cores have to share; counted,
like the seconds, from the first import), and
peak resident memory of the loading process and of its largest worker. Then, in
this process, a profile of ``--profile`` articles splits the one-process
time into NLP, rules (extraction and RDF mapping), SHACL and store writes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl

# Both steps are timed from their first import to the end: the libraries each
# imports, the model's loading and the reading of the corpus count on both sides.
BARE = """
import json, resource, sys, time
started = time.perf_counter()
import spacy
model, path, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
bodies = [json.loads(line)["body"] for line in open(path, encoding="utf-8")]
nlp = spacy.load(model)
for _doc in nlp.pipe(bodies, batch_size=16, n_process=processes):
    pass
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "cpu": sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""

LOAD = """
import json, resource, sys, time
started = time.perf_counter()
from pathlib import Path
from communique.load.pipeline import load_paths
from communique.store.embedded import EmbeddedStore
from communique.store.base import Store
from communique.vocab import Iris
model, path, store_path, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = EmbeddedStore(Path(store_path), Iris("https://example.org/"))
report = load_paths([Path(path)], store, model, workers=workers)
store.close()
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "summary": report.summary(),
    "triples": sum(o.triples or 0 for o in report.outcomes),
    "cpu": sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def run(script: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(corpus: Path, count: int, model: str) -> dict[str, float]:
    """Seconds per stage for ``count`` articles, one process."""
    from communique.loaders.extract import extract_article
    from communique.loaders.lexicon.gazetteer import load_gazetteer
    from communique.loaders.nlp.parsed import ParsedUnit
    from communique.loaders.nlp.pipeline import load_pipeline
    from communique.loaders.nlp.text import split_units
    from communique.loaders.rdfmap import article_write
    from communique.loaders.read.readers import read_paths
    from communique.rdf import serialize_write
    from communique.store.embedded import EmbeddedStore
    from communique.validation.batch import validate_batch
    from communique.vocab import Iris

    articles = [a for a in read_paths([corpus]) if hasattr(a, "body")][:count]
    nlp, gazetteer, iris = load_pipeline(model), load_gazetteer(), Iris("https://example.org/")
    seconds = dict.fromkeys(("nlp", "rules", "shacl", "store"), 0.0)
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store", iris)
        for start in range(0, len(articles), 16):
            batch = articles[start : start + 16]
            clock = time.perf_counter()
            units = [split_units(a.body, a.headline) for a in batch]
            docs = [
                list(nlp.pipe(a.body[u.start : u.end] for u in us))
                for a, us in zip(batch, units, strict=True)
            ]
            seconds["nlp"] += time.perf_counter() - clock
            clock = time.perf_counter()
            writes = []
            for article, us, ds in zip(batch, units, docs, strict=True):
                parsed = [ParsedUnit(u, d) for u, d in zip(us, ds, strict=True)]
                writes.append(
                    article_write(article, extract_article(article, parsed, gazetteer), iris)
                )
            seconds["rules"] += time.perf_counter() - clock
            clock = time.perf_counter()
            validate_batch([(w.facts, w.entities) for w in writes])
            seconds["shacl"] += time.perf_counter() - clock
            clock = time.perf_counter()
            for write in writes:
                store.write_article(serialize_write(write))
            seconds["store"] += time.perf_counter() - clock
        store.close()
    return seconds


def measure_round(model: str, corpus: Path, folder: Path) -> dict[str, dict]:
    """One run of each step, bare and load next to each other (the machine's speed
    drifts by several per cent within minutes: ratios are taken within a round)."""
    results = {}
    for processes in (1, 2):
        results[f"bare{processes}"] = run(BARE, model, str(corpus), str(processes))
        results[f"load{processes}"] = run(
            LOAD, model, str(corpus), f"{folder}/store{processes}", str(processes)
        )
    return results


def report(rounds: list[dict[str, dict]], n: int, words: int, origin: object) -> None:
    """Each step's median figures, and the median of each round's ratios."""
    print(f"corpus: {n} articles ({origin}), {words / n:,.0f} words an article")
    print(f"{len(rounds)} rounds; seconds are medians, ratios the median of each round's")
    for name in rounds[0]:
        seconds = median(r[name]["seconds"] for r in rounds)
        figures = rounds[0][name]
        extra = f", {figures['triples'] / seconds:,.0f} triples/s" if "triples" in figures else ""
        print(
            f"{name:6} {seconds:7.1f} s  {n / seconds:6.2f} articles/s{extra}  "
            f"peak {max(r[name]['self_mb'] for r in rounds):,.0f} MB "
            f"(largest worker {max(r[name]['worker_mb'] for r in rounds):,.0f} MB)"
        )
    for processes in (1, 2):
        ratios = [
            r[f"bare{processes}"]["seconds"] / r[f"load{processes}"]["seconds"] for r in rounds
        ]
        print(
            f"load / bare throughput, {processes} process(es): {median(ratios):.2f} "
            f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}; target >= 0.75)"
        )
    for processes in (1, 2):
        bare, load = (
            median(r[f"{step}{processes}"]["cpu"] for r in rounds) * 1000 / n
            for step in ("bare", "load")
        )
        print(
            f"CPU per article, {processes} process(es): bare {bare:.0f} ms, load {load:.0f} ms "
            f"(load's own work besides the NLP: {load - bare:.0f} ms, {load / bare - 1:.0%} of it)"
        )
    speedups = [r["load1"]["seconds"] / r["load2"]["seconds"] for r in rounds]
    print(
        f"2 workers / 1 worker: {median(speedups):.2f}x "
        f"(rounds: {', '.join(f'{x:.2f}' for x in speedups)}; target >= 1.6)"
    )


def main() -> None:
    from communique.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--profile", type=int, default=40)
    parser.add_argument(
        "--rounds", type=int, default=3, help="bare and load runs, interleaved; medians reported"
    )
    parser.add_argument(
        "--corpus", type=Path, default=None, help="articles to load instead of generated ones"
    )
    parser.add_argument(
        "--filler", type=float, default=0.6, help="share of generated sentences without actors"
    )
    args = parser.parse_args()
    model = Settings.from_env().model
    with tempfile.TemporaryDirectory() as folder:
        if args.corpus is not None:
            corpus = args.corpus
            args.articles = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
        else:
            corpus = write_jsonl(Path(folder) / "corpus.jsonl", args.articles, filler=args.filler)
        words = sum(len(json.loads(line)["body"].split()) for line in corpus.open(encoding="utf-8"))
        rounds = [
            measure_round(model, corpus, Path(folder) / f"round{r}") for r in range(args.rounds)
        ]
        stages = profile(corpus, args.profile, model)
    report(rounds, args.articles, words, args.corpus or "generated")
    total = sum(stages.values())
    shares = ", ".join(f"{k} {v / total:.0%}" for k, v in stages.items())
    print(f"time shares over {args.profile} articles, one process: {shares}")


if __name__ == "__main__":
    main()
