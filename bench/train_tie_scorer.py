"""Learn the scorer of holdings and memberships, and measure it by document-level k-fold.

    python bench/train_tie_scorer.py [--eval ../shared/eval] [--folds 5] [--write]
    python bench/train_tie_scorer.py --unjudged /tmp/unjudged.tsv

Needs the ``train`` extra (scikit-learn). The candidates are every holding
and membership the rules read from the 26 re3d documents of
``../shared/eval/re3d.dev.jsonl``, the 102 PLOVER sentences beside it and the
1,000 Wikipedia introductions of Re-DocRED (``../shared/eval/extra/``), with
their cues (``loaders/scoring/tie_cues.py``). Each is labelled by our own
judgement against its sentence (``bench/data/tie_judgements.tsv``): right
when the sentence says that the person holds (or held) an office in that
country or organisation, or that the member belongs to that organisation, and
both actors are the ones named. Not the gold relations of those files: re3d
annotates a country written inside a title as part of the person, and the
same sentence differently in two documents; Re-DocRED leaves most employers
and offices of people who are not its documents' subjects unlinked.
``--unjudged FILE`` writes the candidates not yet judged, with their
sentences, to a file outside the repository for judging.

The documents are split into ``--folds`` folds; each fold's candidates are
scored by a model trained on the other folds. It prints the reliability table
(probability against the share judged right), the Brier score, and re3d
relation F1 through the product's own path (``bench/quality.py``) with each
fold's documents loaded under weights trained without them, at several
thresholds. ``--write`` fits on every candidate and writes
``loaders/scoring/weights/ties.json``. Nothing from ``../shared/`` is
copied into the repository: the judgements name documents, offsets and a hash of
each actor's id (``scorer_kit.actor_key``), never the names.
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from scorer_kit import (  # sibling modules, not a package
    REPO,
    SEED,
    Candidate,
    actor_key,
    cross_validate,
    fit,
    folds_of,
    labelled,
    read_gold,
    reliability,
    top_band_across_splits,
    training_parser,
    write_scorer,
)

from communique.loaders.extract import extract_articles
from communique.loaders.model import Extraction
from communique.loaders.read.article import Article
from communique.loaders.scoring.model import Scorer
from communique.settings import Settings

WEIGHTS = REPO / "loaders" / "scoring" / "weights" / "ties.json"
JUDGEMENTS = REPO / "bench" / "data" / "tie_judgements.tsv"
RELATION_THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8)
FIELDS = ("doc_id", "fact", "evidence_start", "first", "second", "right")


@dataclass
class Tie:
    """One candidate holding or membership, as the judgements file keys it."""

    key: tuple[str, str, int, str, str]
    sentence: str
    cues: dict[str, float]
    note: str = ""  # for a judge: the two actors and the title, as the rules read them


def main() -> None:
    parser = training_parser(__doc__.splitlines()[0], WEIGHTS)
    parser.add_argument("--unjudged", type=Path, help="write the candidates not yet judged")
    args = parser.parse_args()
    ties = candidates(args.eval)
    verdicts = read_judgements(JUDGEMENTS) if JUDGEMENTS.exists() else {}
    if args.unjudged:
        write_unjudged(args.unjudged, [t for t in ties if t.key not in verdicts])
        return
    judged = judged_candidates(ties, verdicts)
    print(evaluation(judged, args.eval, args.folds, args.seed))
    if args.write:
        write_weights(fit(judged), len({c.doc for c in labelled(judged)}), len(labelled(judged)))


def tie_evaluation(eval_dir: Path, folds: int = 5, seed: int = SEED) -> str:
    """The k-fold report of the tie scorer (for docs/quality.md)."""
    judged = judged_candidates(candidates(eval_dir), read_judgements(JUDGEMENTS))
    return evaluation(judged, eval_dir, folds, seed)


def judged_candidates(ties: list[Tie], verdicts: dict[tuple, bool]) -> list[Candidate]:
    """Candidates with our verdicts; one not judged (the rules changed since) is unknown."""
    return [Candidate(t.key[0], t.cues, verdicts.get(t.key)) for t in ties]


def candidates(eval_dir: Path) -> list[Tie]:
    """Every holding and membership the rules read from the three sources."""
    ties: list[Tie] = []
    for doc_id, _text, extraction in extracted(documents(eval_dir)):
        for h in extraction.holdings:
            pair = (h.holder, h.in_actor or "")
            key = (doc_id, "holding", h.evidence.start, *map(_key, pair))
            ties.append(Tie(key, h.evidence.text, h.cues, f"{' | '.join(pair)} | {h.title}"))
        for m in extraction.memberships:
            pair = (m.member, m.organization)
            key = (doc_id, "membership", m.evidence.start, *map(_key, pair))
            ties.append(Tie(key, m.evidence.text, m.cues, " | ".join(pair)))
    return ties


def _key(actor_id: str) -> str:
    return actor_key(actor_id) if actor_id else ""


def documents(eval_dir: Path) -> list[tuple[str, str]]:
    docs = [(d["doc_id"], d["text"]) for d in read_gold(eval_dir / "re3d.dev.jsonl")]
    docs += [(d["doc_id"], d["text"]) for d in read_gold(eval_dir / "plover_events.dev.jsonl")]
    for part in ("dev", "test"):
        path = eval_dir / "extra" / f"redocred-{part}.json"
        for n, doc in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            docs.append((f"redocred-{part}:{n}", " ".join(" ".join(s) for s in doc["sents"])))
    return docs


def extracted(docs: list[tuple[str, str]]) -> list[tuple[str, str, Extraction]]:
    articles = [Article(body=text, headline=text[:80], origin=doc_id) for doc_id, text in docs]
    found = extract_articles(articles, Settings.from_env().model)
    return [(d, t, e) for (d, t), e in zip(docs, found, strict=True)]


def read_judgements(path: Path) -> dict[tuple, bool]:
    with path.open(encoding="utf-8") as rows:
        return {
            (r["doc_id"], r["fact"], int(r["evidence_start"]), r["first"], r["second"]): r["right"]
            == "1"
            for r in csv.DictReader(rows, delimiter="\t")
        }


def write_unjudged(path: Path, ties: list[Tie]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow([*FIELDS, "actors and title", "sentence"])
        for tie in ties:
            writer.writerow([*tie.key, "", tie.note, " ".join(tie.sentence.split())])
    print(f"{len(ties)} candidates not yet judged: {path}", file=sys.stderr)


def evaluation(judged: list[Candidate], eval_dir: Path, folds: int, seed: int) -> str:
    known = labelled(judged)
    right = sum(c.right for c in known)
    held_out = cross_validate(judged, folds, seed, [])
    lines = [
        f"{len(judged)} candidate holdings and memberships in "
        f"{len({c.doc for c in judged})} documents; {len(known)} judged: {right} right, "
        f"{len(known) - right} wrong.",
        "",
        *reliability(judged, held_out, folds),
        "",
        top_band_across_splits(judged, folds),
        "",
        *relation_f1(judged, eval_dir, folds, seed),
    ]
    return "\n".join(lines)


def relation_f1(judged: list[Candidate], eval_dir: Path, folds: int, seed: int) -> list[str]:
    """re3d relation F1 through the product's path, each fold under held-out weights."""
    import quality  # a sibling script: the product's path from gold documents to scores

    fold = folds_of(judged, folds, seed)
    gold = read_gold(eval_dir / "re3d.dev.jsonl")
    lines = [
        "re3d relation F1 through the product's path, each fold's documents loaded under "
        "tie weights trained without them (the threshold applies to events, actors and "
        "arguments too, with the shipped weights; the rules themselves were tuned on these "
        "documents; threshold 0 is the rules alone):",
        "",
        "| `--min-confidence` | relation F1 (re3d) |",
        "|---|---|",
    ]
    for threshold in RELATION_THRESHOLDS:
        with tempfile.TemporaryDirectory() as tmp:
            preds = []
            for f in range(folds):
                docs = [d for d in gold if fold.get(d["doc_id"], 0) == f]
                if not docs:
                    continue
                train = [c for c in judged if fold.get(c.doc) != f]
                weights = Scorer(fit(train), {})
                work = Path(tmp) / f"fold{f}"
                work.mkdir()
                subset = work / "re3d.dev.jsonl"
                subset.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
                with mock.patch(
                    "communique.loaders.scoring.decide.tie_scorer", lambda w=weights: w
                ):
                    pred = quality.predict(eval_dir, subset, work, Settings().model, threshold)
                preds.append(pred.read_text(encoding="utf-8"))
            joined = Path(tmp) / "re3d.pred.jsonl"
            joined.write_text("".join(preds), encoding="utf-8")
            scored = quality.score(eval_dir, eval_dir / "re3d.dev.jsonl", joined, "--named-only")
        figure = quality.headline_figures(scored, "")["relation F1 (re3d)"]
        lines.append(f"| {threshold:.1f} | {figure} |")
    return lines


def write_weights(weights: dict[str, float], documents: int, candidates: int) -> None:
    about = {
        "what": "probability that a holding or a membership is right (both actors, as stated)",
        "trained_on": "holdings and memberships the rules read from re3d, PLOVER and Re-DocRED "
        "documents (../shared/eval/), each judged by us: bench/data/tie_judgements.tsv",
        "documents": documents,
        "candidates": candidates,
    }
    write_scorer(WEIGHTS, weights, about)


if __name__ == "__main__":
    main()
