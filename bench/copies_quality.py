"""How well near-duplicate detection (``loaders/copies.py``) tells copies of one
story from different stories, on text it was not written for.

Different stories: every pair of documents in the shared annotated sets (the
re3d and PLOVER development documents, and the ReDocRED documents of
``../shared/eval/extra``), none of which is a copy of another. Copies: each of
those documents (of 60 words or more) under another headline and with one of
several footers added, as news sites republish wire copy; the footers are
written here. The figures: how many pairs of different stories become
candidates (share a band key) and how many are taken for copies; how many
copies are found (candidate, and resemblance at least ``SAME_STORY``).

    python bench/copies_quality.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections import defaultdict
from pathlib import Path

from communique.loaders.copies import SAME_STORY, resemblance, similarity_keys

FOOTERS = (
    "Copyright 2025 the agency. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "Reporting by our correspondents; editing by the world desk. Follow us for "
    "more news from around the world.",
    "This story was produced from a wire service and was not edited by our staff.",
    "Sign up for our daily newsletter to get the latest headlines in your inbox "
    "every morning. Read more about our editorial standards.",
)
HEADLINES = ("Breaking: ", "World news | ", "UPDATE 1-", "")


def documents(shared: Path) -> list[str]:
    texts = []
    for name in ("re3d.dev.jsonl", "plover_events.dev.jsonl"):
        for line in (shared / "eval" / name).read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    redocred = json.loads((shared / "eval" / "extra" / "redocred-dev.json").read_text("utf-8"))
    texts += [" ".join(" ".join(sentence) for sentence in doc["sents"]) for doc in redocred]
    return texts


def copy_of(text: str, number: int) -> str:
    headline = HEADLINES[number % len(HEADLINES)] + " ".join(text.split()[:8])
    return f"{headline}\n\n{text}\n\n{FOOTERS[number % len(FOOTERS)]}"


def candidates(keys: list[list[str]]) -> set[tuple[int, int]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(keys):
        for key in found:
            buckets[key].append(index)
    return {pair for ids in buckets.values() for pair in itertools.combinations(sorted(ids), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[1] / ".." / "shared")
    args = parser.parse_args()
    texts = documents(args.shared)
    started = time.perf_counter()
    keys = [similarity_keys(t) for t in texts]
    seconds = time.perf_counter() - started
    pairs = candidates(keys)
    taken = [(a, b) for a, b in pairs if resemblance(texts[a], texts[b]) >= SAME_STORY]
    print(f"{len(texts)} different documents, {len(texts) * (len(texts) - 1) // 2:,} pairs")
    print(f"  candidates: {len(pairs)}; taken for copies: {len(taken)}")
    for a, b in taken:
        print(f"    {texts[a][:70]!r} ~ {texts[b][:70]!r}")
    long_enough = [t for t in texts if len(t.split()) >= 60]
    found = scores = 0
    lowest = 1.0
    for number, text in enumerate(long_enough):
        copy = copy_of(text, number)
        shared_key = bool(set(similarity_keys(copy)) & set(similarity_keys(text)))
        score = resemblance(copy, text)
        lowest = min(lowest, score)
        scores += score
        found += shared_key and score >= SAME_STORY
    copies = len(long_enough)
    print(f"{copies} copies (documents of 60 words or more, another headline and a footer)")
    mean = scores / copies
    print(f"  found: {found} ({found / copies:.1%}); resemblance mean {mean:.3f}")
    print(f"  lowest resemblance: {lowest:.3f}")
    print(f"keys: {seconds / len(texts) * 1000:.2f} ms a document")


if __name__ == "__main__":
    main()
