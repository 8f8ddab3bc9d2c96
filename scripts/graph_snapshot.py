"""Snapshot the graphs communique extracts, to prove a refactoring changed none.

    python scripts/graph_snapshot.py OUT_DIR                # write the snapshot
    python scripts/graph_snapshot.py OUT_DIR --compare OLD  # ... and diff it against OLD

Loads each input set into a fresh embedded store through the installed
``communique`` command (so the script does not depend on any internal module
path), dumps the store as N-Quads and writes the quads sorted, one set per
file, leaving out what differs between two runs of the same code: the source
file path (``dip:sourceFile``). The inputs are read from ``../shared/`` and the
bundled examples; nothing from ``../shared/`` is written into the repository.

Sets: the re3d and PLOVER development documents, the Re-DocRED development
documents and the PETRARCH2 unit-test sentences (turned into articles here),
the shared sample articles, and ``examples/articles``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
COMMUNIQUE = Path(sys.executable).parent / "communique"
VOLATILE_PREDICATES = ("<https://w3id.org/communique/ontology#sourceFile>",)
# The ontology graph is the same in every set; it is written once, to ontology.nq,
# so that a change of the ontology shows apart from a change of what is extracted.
ONTOLOGY_GRAPH = "<http://localhost:8000/id/graph/ontology>"


def gold_articles(name: str) -> Callable[[Path], Path]:
    """A set made by the shared ``to_articles.py`` from a gold file."""

    def make(work: Path) -> Path:
        out = work / f"{Path(name).stem}.jsonl"
        text = subprocess.run(
            [sys.executable, str(SHARED / "eval" / "to_articles.py"), str(SHARED / "eval" / name)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        out.write_text(text, encoding="utf-8")
        return out

    return make


def redocred_records() -> Iterator[dict[str, str]]:
    """Re-DocRED documents: tokens joined by spaces (a snapshot needs text, not prose)."""
    documents = json.loads((SHARED / "eval" / "extra" / "redocred-dev.json").read_text("utf-8"))
    for number, doc in enumerate(documents):
        body = "\n".join(" ".join(tokens) for tokens in doc["sents"])
        yield {"id": f"redocred-{number}", "headline": doc["title"], "body": body}


def petrarch_records() -> Iterator[dict[str, str]]:
    """PETRARCH2 unit-test sentences, one article each."""
    tree = ET.parse(SHARED / "eval" / "extra" / "petrarch2-unit-tests.xml")
    for number, sentence in enumerate(tree.iter("Sentence")):
        text = " ".join((sentence.findtext("Text") or "").split())
        if text:
            yield {"id": f"petrarch-{number}", "headline": text[:60], "body": text}


def records_set(name: str, records: Callable[[], Iterator[dict[str, str]]]) -> Callable:
    def make(work: Path) -> Path:
        out = work / f"{name}.jsonl"
        with out.open("w", encoding="utf-8") as handle:
            for record in records():
                handle.write(json.dumps(record) + "\n")
        return out

    return make


SETS: dict[str, Callable[[Path], Path]] = {
    "re3d": gold_articles("re3d.dev.jsonl"),
    "plover": gold_articles("plover_events.dev.jsonl"),
    "redocred": records_set("redocred", redocred_records),
    "petrarch": records_set("petrarch", petrarch_records),
    "corpus": lambda work: SHARED / "corpus",
    "examples": lambda work: REPO / "examples" / "articles",
}


def communique(store: Path, *args: str, allowed: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run(
        [str(COMMUNIQUE), "--store", str(store), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode not in allowed:
        raise SystemExit(f"communique {' '.join(args)} exited {done.returncode}:\n{done.stderr}")


def outcomes(report: Path, work: Path) -> list[str]:
    """Each record's status and problems, as lines (paths made relative to ``work``)."""
    rows = json.loads(report.read_text("utf-8"))["articles"]
    return sorted(
        json.dumps(row, sort_keys=True)
        .replace(str(work), "WORK")
        .replace(str(SHARED), "SHARED")
        .replace(str(REPO), "REPO")
        for row in rows
    )


def snapshot(name: str, work: Path, out: Path) -> Path:
    source = SETS[name](work)
    store = work / f"{name}.store"
    report = work / f"{name}.report.json"
    # exit 1: some records were refused; which ones is part of the snapshot
    communique(store, "load", "--report", str(report), str(source), allowed=(0, 1))
    (out / f"{name}.outcomes").write_text("\n".join(outcomes(report, work)) + "\n", "utf-8")
    dump = work / f"{name}.nq"
    communique(store, "dump", str(dump))
    lines = [
        line
        for line in dump.read_text("utf-8").splitlines()
        if line.split(" ", 2)[1] not in VOLATILE_PREDICATES
    ]
    ontology = sorted(line for line in lines if line.endswith(f"{ONTOLOGY_GRAPH} ."))
    (out / "ontology.nq").write_text("\n".join(ontology) + "\n", encoding="utf-8")
    target = out / f"{name}.nq"
    extracted = sorted(line for line in lines if not line.endswith(f"{ONTOLOGY_GRAPH} ."))
    target.write_text("\n".join(extracted) + "\n", encoding="utf-8")
    return target


def compare(new: Path, old: Path, sets: list[str]) -> int:
    """Print the differences per set; the number of sets that differ."""
    differing = 0
    for name in ["ontology.nq", *(f"{s}.{kind}" for s in sets for kind in ("nq", "outcomes"))]:
        before = (old / name).read_text("utf-8").splitlines()
        after = (new / name).read_text("utf-8").splitlines()
        if before == after:
            print(f"{name}: identical ({len(after)} lines)")
            continue
        differing += 1
        diff = list(difflib.unified_diff(before, after, "before", "after", lineterm="", n=0))
        print(f"{name}: DIFFERENT ({len(before)} -> {len(after)} lines)")
        print("\n".join(diff[:40]))
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot folder")
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            written = snapshot(name, Path(tmp), args.out)
            print(f"{name}: {written}")
            shutil.rmtree(Path(tmp) / f"{name}.store", ignore_errors=True)
    if args.compare:
        sys.exit(1 if compare(args.out, args.compare, args.sets) else 0)


if __name__ == "__main__":
    main()
