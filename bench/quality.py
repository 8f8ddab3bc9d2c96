"""Extraction quality on the shared development set, through the product's own path.

    python bench/quality.py [--eval ../shared/eval] [--out docs/quality.md]

As ``../shared/eval/README.md`` describes: each gold document becomes an
article (``to_articles.py``), is loaded into a fresh embedded store by
communique's loader, the store is dumped as N-Quads, ``kg_to_pred.py`` reads
the graph back into the scorer's shape and ``score.py`` scores it. The data
is read from ``../shared/eval/`` and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from communique.dump import dump_store
from communique.load.pipeline import load_paths
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = REPO.parent / "shared" / "eval"
GOLD_FILES = ("re3d.dev.jsonl", "plover_events.dev.jsonl")


SHORTFALLS = """## Where it falls short

- **Relations** meet the 0.30 target by a thin margin (0.07 before the
  rules for relations, 0.29 at the start of this session, 0.316 now: 68 true,
  104 false, 191 missed); a handful of relations either way on unseen
  documents moves it across the line. About two thirds of the missed have an
  argument that no graph of named actors holds: a pronoun, "militants", "the
  victims", "a building". About 45 of the 259 are of types kg_to_pred cannot
  produce from any graph (IsSynonymOf, HasAttrOf, Likes, Dislikes, Apart),
  and many CoLocated pairs are between two places (a city in a country),
  which the graph states as `dip:locatedIn` and kg_to_pred reads only from
  event locations. Of the 104 counted false, 28 are memberships: kg_to_pred
  reads them at the first mention of each actor in the article, so the
  members of a coalition listed at the end of a press release are matched
  against an earlier, unannotated mention. Six are a country inside a title
  that re3d annotates as part of the person (as in "Chilean Foreign Minister
  Ana Ruiz"), six are allies in an offensive with no named target
  (kg_to_pred reads the sides of an untargeted attack as fighting each
  other), and most of the rest are true statements of place the annotators
  did not link. kg_to_pred also reads a relation at its actor's first
  mention in the sentence, so "the Islamic State … ISIL" in one sentence is
  matched at the long name when the annotators linked the short one.
- **Events**: about a sixth of the PLOVER development records use older codes
  (DISAPPROVE, FIGHT, DEMAND without a matching hint) that current PLOVER
  types cannot match; attacks reported only by their target (strikes that hit
  a group's units) have no initiator.
- **Entities**: the small English model misses some names (it does not tag
  "Ana Ruiz" as a person) and takes some towns for persons; titles, known
  surnames and place context ("near X", "X, Syria", "the village of X")
  recover part of them.
"""


def run_script(script: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def predict(eval_dir: Path, gold: Path, work: Path, model: str) -> Path:
    """Load the gold documents as articles and read the graph back as predictions."""
    articles = work / f"{gold.stem}.articles.jsonl"
    articles.write_text(run_script(eval_dir / "to_articles.py", str(gold)), encoding="utf-8")
    store = EmbeddedStore(work / f"{gold.stem}.store", Iris(Settings().base_iri))
    report = load_paths([articles], store, model)
    if report.failures:
        raise SystemExit(
            f"{len(report.failures)} gold documents failed to load: {report.failures[0]}"
        )
    dump = work / f"{gold.stem}.nq"
    dump_store(store, dump)
    store.close()
    pred = work / f"{gold.stem}.pred.jsonl"
    pred.write_text(
        run_script(eval_dir / "kg_to_pred.py", "--kg", str(dump), "--gold", str(gold)),
        encoding="utf-8",
    )
    return pred


def sample_answers(corpus: Path, work: Path, model: str) -> str:
    """The README's kind of questions, answered over the shared sample articles."""
    from communique.query.examples import QUESTIONS
    from communique.query.results import print_results

    store = EmbeddedStore(work / "samples.store", Iris(Settings().base_iri))
    load_paths([corpus], store, model)
    parts = []
    for question, sparql in QUESTIONS.items():
        out = io.StringIO()
        print_results(store, sparql, "csv", out)
        answer = without_article_text(out.getvalue())
        parts.append(f"### {question}\n\n```sparql{sparql}\n```\n\n```\n{answer}\n```")
    store.close()
    return "\n\n".join(parts)


# Result columns that quote the articles (event labels, sentences, quotes, time
# expressions as written): the report says how long they are, not what they say,
# so that no text of the shared corpus is copied into the repository.
ARTICLE_TEXT_COLUMNS = {"event", "sentence", "words", "when", "title"}  # text as written


def without_article_text(table: str) -> str:
    """A CSV result with the cells of ARTICLE_TEXT_COLUMNS replaced by their length."""
    rows = list(csv.reader(io.StringIO(table)))
    if not rows:
        return ""
    masked = {i for i, name in enumerate(rows[0]) if name in ARTICLE_TEXT_COLUMNS}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow(
            f"[{len(cell)} characters]" if i in masked and cell else cell
            for i, cell in enumerate(row)
        )
    return out.getvalue().strip()


def score(eval_dir: Path, gold: Path, pred: Path, *extra: str) -> str:
    return run_script(eval_dir / "score.py", "--gold", str(gold), "--pred", str(pred), *extra)


def headline_figures(named: str, plover: str) -> dict[str, str]:
    figures = {}
    entity = re.search(r"entity_f1=([0-9.]+)", named)
    # three decimals, as score.py prints them per line: 0.298 must not read as 0.30
    relation = re.search(r"^RELATION\s+typed(?:\s+[0-9.]+){5}\s+([0-9.]+)", named, re.M)
    figures["entity lenient F1 (named mentions, re3d)"] = entity.group(1) if entity else "?"
    figures["relation F1 (re3d)"] = relation.group(1) if relation else "?"
    event = re.search(r"^EVENT\s+lenient(?:\s+[0-9.]+){5}\s+([0-9.]+)", plover, re.M)
    figures["PLOVER event F1, lenient (type + one participant)"] = event.group(1) if event else "?"
    return figures


def report(figures: dict[str, str], outputs: dict[str, str], seconds: float, samples: str) -> str:
    lines = [
        "# Extraction quality",
        "",
        f"Measured {dt.date.today().isoformat()} with `python bench/quality.py` "
        f"({seconds:.0f} s) on the development set in `../shared/eval/`, through the "
        "product's own path (load as articles, dump, `kg_to_pred.py`, `score.py`).",
        "",
        "| measure | score | target |",
        "|---|---|---|",
    ]
    targets = ["0.75", "0.30", "0.50"]
    lines += [
        f"| {name} | {value} | {target} |"
        for (name, value), target in zip(figures.items(), targets, strict=True)
    ]
    lines += ["", SHORTFALLS]
    for title, text in outputs.items():
        lines += ["", f"## {title}", "", "```", text.strip(), "```"]
    lines += [
        "",
        "## Questions on the two shared sample articles",
        "",
        "Answered by SPARQL over the graph built from `../shared/corpus/` (the queries "
        "are in `communique/query/examples.py`).",
        "",
        samples,
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "quality.md")
    parser.add_argument("--model", default=Settings.from_env().model)
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="keep the articles, stores, dumps and predictions in this folder",
    )
    args = parser.parse_args()
    started = time.monotonic()
    outputs: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.work is not None:
            shutil.rmtree(args.work, ignore_errors=True)
            args.work.mkdir(parents=True)
            work = args.work
        re3d, plover = (args.eval / name for name in GOLD_FILES)
        re3d_pred = predict(args.eval, re3d, work, args.model)
        plover_pred = predict(args.eval, plover, work, args.model)
        outputs["re3d, named mentions only (`--named-only`)"] = score(
            args.eval, re3d, re3d_pred, "--named-only"
        )
        outputs["re3d, all mentions"] = score(args.eval, re3d, re3d_pred)
        outputs["PLOVER events"] = score(args.eval, plover, plover_pred)
        samples = sample_answers(args.eval.parent / "corpus", work, args.model)
    figures = headline_figures(
        outputs["re3d, named mentions only (`--named-only`)"], outputs["PLOVER events"]
    )
    args.out.write_text(
        report(figures, outputs, time.monotonic() - started, samples), encoding="utf-8"
    )
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
