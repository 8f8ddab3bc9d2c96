"""Extraction cost against a bare ``nlp.pipe`` over the same texts, in one run.

    python bench/extraction_speed.py [--articles 40] [--rounds 3]

The texts are built from the shared sample articles (``../shared/corpus``),
cut or repeated to about 500 words each. The baseline is the spaCy model
alone (``spacy.load(model)``, ``nlp.pipe``); the measured path is the whole
extraction (gazetteer ruler, rules, resolution) plus the RDF mapping. Rounds
alternate between the two so that machine noise hits both alike; the figure
is the ratio of the medians.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

import spacy

from communique.loaders.extract import extract_articles
from communique.loaders.rdfmap import article_write
from communique.loaders.read.article import Article
from communique.settings import Settings
from communique.vocab import Iris

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
WORDS = 500


def articles(count: int) -> list[Article]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    built = []
    for n in range(count):
        words = texts[n % len(texts)].split(" ")
        while len(words) < WORDS:
            words += words
        body = " ".join(words[:WORDS])
        # a different article each time: the same text twice would be cached nowhere,
        # but vary it anyway so no layer can shortcut
        body = f"{n}. {body}"
        built.append(
            Article(
                body=body,
                headline=body.split("\n")[0][:80],
                origin=str(n),
                published=date(2009, 6, 3),
            )
        )
    return built


def bare(nlp: spacy.language.Language, batch: list[Article]) -> float:
    started = time.perf_counter()
    for _doc in nlp.pipe((a.body for a in batch), batch_size=64):
        pass
    return time.perf_counter() - started


def full(batch: list[Article], model: str, iris: Iris) -> float:
    started = time.perf_counter()
    for article, extraction in zip(batch, extract_articles(batch, model), strict=True):
        article_write(article, extraction, iris)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = Settings.from_env()
    batch = articles(args.articles)
    nlp = spacy.load(settings.model)
    iris = Iris(settings.base_iri)
    full(batch[:2], settings.model, iris)  # load the pipeline and gazetteer once, untimed
    bare(nlp, batch[:2])
    bare_times, full_times = [], []
    for _ in range(args.rounds):
        bare_times.append(bare(nlp, batch))
        full_times.append(full(batch, settings.model, iris))
    b, f = statistics.median(bare_times), statistics.median(full_times)
    words = args.articles * WORDS
    print(f"articles: {args.articles} x {WORDS} words, rounds: {args.rounds}")
    print(f"bare nlp.pipe:        {b:.2f} s  ({words / b:,.0f} words/s)")
    print(f"extraction + RDF:     {f:.2f} s  ({words / f:,.0f} words/s)")
    print(f"ratio (target <= 1.30): {f / b:.2f}")


if __name__ == "__main__":
    main()
