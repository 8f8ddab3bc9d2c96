"""Where a one-process load spends its time, stage by stage, inside a real load.

    python bench/load_stages.py [--articles 96] [--corpus FILE.jsonl]

Runs ``load_paths`` with one worker into a new store, every named stage
wrapped with a timer where it is called (the NLP is the time spent inside
``nlp.pipe``), and prints each stage's seconds and its share of the NLP's.
The store writes run on their own thread beside the next batch's
preparation, so their time (waits for Python's lock included) overlaps the
rest; "loading thread besides the NLP" is what the NLP has to be compared
with for the 0.75x target (at most a third of it).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl

# (module where the stage is called, attribute, stage name); a dotted attribute
# names a method. Wrapped where it is looked up, so the callers see the timer.
STAGES = (
    ("communique.loaders.extract", "extract_article", "rules"),
    ("communique.load.prepare", "article_write", "RDF mapping"),
    ("communique.load.prepare", "validate_batch", "SHACL"),
    ("communique.load.prepare", "serialize_write", "N-Triples"),
    ("communique.load.prepare", "part_of_facts", "summary cells"),
    ("communique.load.prepare", "entries_of_facts", "search entries"),
    ("communique.load.copies", "CopyFinder.match", "copy lookups"),
    ("communique.load.pipeline", "_BatchLoader._triage", "triage"),
    ("communique.store.embedded", "EmbeddedStore.write_article", "store writes (own thread)"),
)
BESIDE = {"store writes (own thread)"}  # not on the loading thread

seconds: dict[str, float] = defaultdict(float)


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] += time.perf_counter() - started

    return run


def wrap_stages() -> None:
    for module_name, attribute, name in STAGES:
        owner: Any = importlib.import_module(module_name)
        *path, last = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, last, timed(name, getattr(owner, last)))


def wrap_nlp() -> None:
    """The time spent producing each parsed document of ``nlp.pipe``."""
    from spacy.language import Language

    pipe = Language.pipe

    def timed_pipe(self: Language, *args: Any, **kwargs: Any) -> Iterator[Any]:
        documents = pipe(self, *args, **kwargs)
        while True:
            started = time.perf_counter()
            try:
                document = next(documents)
            except StopIteration:
                return
            finally:
                seconds["NLP"] += time.perf_counter() - started
            yield document

    Language.pipe = timed_pipe  # type: ignore[method-assign]


def timed_load(corpus: Path, model: str) -> tuple[float, str]:
    from communique.load.pipeline import load_paths
    from communique.load.prepare import ready
    from communique.store.embedded import EmbeddedStore
    from communique.vocab import Iris

    ready(model)  # the model and shapes, loaded before the clock starts
    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store", Iris("https://example.org/"))
        started = time.perf_counter()
        report = load_paths([corpus], store, model, workers=1)
        elapsed = time.perf_counter() - started
        store.close()
    return elapsed, str(report.summary())


def report(elapsed: float, summary: str) -> None:
    nlp = seconds["NLP"]
    print(f"load {elapsed:.2f} s ({summary}); NLP {nlp:.2f} s")
    for name, value in sorted(seconds.items(), key=lambda item: -item[1]):
        if name != "NLP":
            print(f"  {name:28} {value:6.2f} s  {100 * value / nlp:4.0f}% of the NLP")
    besides = elapsed - nlp
    print(f"loading thread besides the NLP: {besides:.2f} s, {100 * besides / nlp:.0f}% of it")


def main() -> None:
    from communique.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=96)
    parser.add_argument("--corpus", type=Path, default=None, help="articles to load instead")
    args = parser.parse_args()
    wrap_nlp()
    wrap_stages()
    with tempfile.TemporaryDirectory() as folder:
        corpus = args.corpus or write_jsonl(Path(folder) / "corpus.jsonl", args.articles)
        report(*timed_load(corpus, Settings.from_env().model))


if __name__ == "__main__":
    main()
