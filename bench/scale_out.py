"""The bulk path against the plain load, on one generated corpus, in one run.

    python bench/scale_out.py [--articles 200]

Each step runs the real command in a subprocess and is timed on the wall clock:

1. baseline: ``communique load --workers 2`` into a new embedded store;
2. ``communique extract --workers 2`` (a local Dask cluster of 2 processes)
   to shards, then ``load-shards`` into a new embedded store, and into a real
   ``oxigraph serve`` started here;
3. ``extract --cluster`` on a Dask LocalCluster of 1 and of 2 worker
   processes (started here, outside the timing, with the model loaded by a
   warm-up task), for the cluster's scaling.

Reported: seconds, articles/s and the ratios against the baseline, and the
2-worker/1-worker extraction speed-up. The same corpus is used throughout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import write_jsonl

from tests.helpers import oxigraph_server

PYTHON = sys.executable


def communique(store: str, *args: str) -> float:
    """Run a communique command against ``store``; its wall-clock seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
    env["COMMUNIQUE_STORE"] = store
    started = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "-m", "communique", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"communique {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return seconds


def cluster_extract(corpus: Path, out: Path, workers: int) -> float:
    """Extraction on a LocalCluster of ``workers`` processes, model already loaded."""
    from distributed import Client, LocalCluster

    from communique.loaders.nlp.pipeline import load_pipeline
    from communique.settings import Settings

    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        model = Settings().model
        client.run(load_pipeline, model)  # warm every worker: the model loads once each
        return communique(
            str(out / "unused"),
            "extract",
            "--quiet",
            "--cluster",
            cluster.scheduler_address,
            "--out",
            str(out / "shards"),
            str(corpus),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="communique-scale-"))
    try:
        corpus = write_jsonl(work / "corpus.jsonl", args.articles)
        n = args.articles
        figures: dict[str, float] = {}
        figures["load_2_workers"] = communique(
            str(work / "plain"), "load", "--quiet", "--workers", "2", str(corpus)
        )
        figures["extract_2_local"] = communique(
            str(work / "x"),
            "extract",
            "--quiet",
            "--workers",
            "2",
            "--out",
            str(work / "shards"),
            str(corpus),
        )
        figures["load_shards_embedded"] = communique(
            str(work / "bulk"), "load-shards", "--quiet", str(work / "shards")
        )
        (work / "oxigraph").mkdir()
        for url in oxigraph_server(work / "oxigraph"):  # stopped when the loop ends
            figures["load_shards_oxigraph_server"] = communique(
                url, "load-shards", "--quiet", str(work / "shards")
            )
        for workers in (1, 2):
            out = work / f"cluster{workers}"
            figures[f"extract_cluster_{workers}"] = cluster_extract(corpus, out, workers)
        report(n, figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(n: int, figures: dict[str, float]) -> None:
    base = figures["load_2_workers"]
    bulk = figures["extract_2_local"] + figures["load_shards_embedded"]
    remote = figures["extract_2_local"] + figures["load_shards_oxigraph_server"]
    rows = {
        "articles": n,
        **{k: round(v, 1) for k, v in figures.items()},
        "load_articles_per_s": round(n / base, 2),
        "extract_plus_load_shards_embedded_vs_load": round(base / bulk, 2),
        "extract_plus_load_shards_server_vs_load": round(base / remote, 2),
        "load_shards_embedded_articles_per_s": round(n / figures["load_shards_embedded"], 1),
        "load_shards_server_articles_per_s": round(n / figures["load_shards_oxigraph_server"], 1),
        "cluster_1_articles_per_s": round(n / figures["extract_cluster_1"], 2),
        "cluster_2_articles_per_s": round(n / figures["extract_cluster_2"], 2),
        "cluster_2_vs_1": round(figures["extract_cluster_1"] / figures["extract_cluster_2"], 2),
    }
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
