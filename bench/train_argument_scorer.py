"""Learn the event-argument scorer's weights, and measure it by document-level k-fold.

    python bench/train_argument_scorer.py [--eval ../shared/eval] [--folds 5] [--write]

Needs the ``train`` extra (scikit-learn). The candidates are the initiators,
recipients and participants of the events the rules find in the PLOVER
development sentences (``../shared/eval/plover_events.dev.jsonl``), with their
cues (``loaders/scoring/argument_cues.py``). Only events that score.py would
match to the gold event (its type; see ``train_scorer.matched_events``) are
used, since only their arguments can be checked: an initiator is right when
one of its mentions overlaps a gold source, a recipient a gold target, a
participant either; an argument of a role the gold event leaves empty is not
judged. Those are nearly all right (an event is matched because an argument
overlaps), so the arguments of the events the rules find in the 26 re3d
documents are added, each judged by us against its sentence
(``bench/data/re3d_argument_judgements.tsv``: right when the sentence says
that actor plays that role in that act; one judge, who saw the rules' output).

The documents are split into ``--folds`` folds; each fold's candidates are
scored by a model trained on the other folds; it prints the reliability table
and the Brier score, held out. ``--write`` fits on every candidate and writes
``loaders/scoring/weights/arguments.json``. Nothing from ``../shared/`` is
copied into the repository.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scorer_kit import (  # sibling modules, not a package
    SEED,
    Candidate,
    actor_key,
    cross_validate,
    extracted,
    fit,
    labelled,
    read_gold,
    reliability,
    top_band_across_splits,
    training_parser,
    write_scorer,
)
from train_scorer import matched_events, plover_type

from communique.loaders.model import Event, Extraction
from communique.loaders.scoring.argument_cues import ROLES

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "loaders" / "scoring" / "weights" / "arguments.json"
JUDGEMENTS = REPO / "bench" / "data" / "re3d_argument_judgements.tsv"
GOLD_ROLES = {"initiators": ("sources",), "recipients": ("targets",)}
GOLD_ROLES["participants"] = ("sources", "targets")


def main() -> None:
    parser = training_parser(__doc__.splitlines()[0], WEIGHTS)
    args = parser.parse_args()
    found = candidates(args.eval) + judged_candidates(args.eval, JUDGEMENTS)
    print(argument_evaluation(found, args.folds, args.seed))
    if args.write:
        known = labelled(found)
        write_weights(fit(found), len({c.doc for c in known}), len(known))


def argument_evaluation(found: list[Candidate], folds: int = 5, seed: int = SEED) -> str:
    known = labelled(found)
    right = sum(bool(c.right) for c in known)
    held_out = cross_validate(found, folds, seed, [])
    return "\n".join(
        [
            f"{len(found)} arguments (of PLOVER events matched to the gold, and of the "
            f"events of the re3d documents) in {len({c.doc for c in found})} documents; "
            f"{len(known)} judged: {right} right, {len(known) - right} wrong.",
            "",
            *reliability(found, held_out, folds),
            "",
            top_band_across_splits(found, folds),
        ]
    )


def candidates(eval_dir: Path) -> list[Candidate]:
    docs = read_gold(eval_dir / "plover_events.dev.jsonl")
    found: list[Candidate] = []
    for doc, extraction in extracted(docs):
        scored = [e for e in extraction.events if plover_type(e.dip_class)]
        right = matched_events(doc, scored, extraction)
        for event in scored:
            if id(event) in right:
                found += _arguments(doc, event, extraction)
    return found


def judged_candidates(eval_dir: Path, judgements: Path) -> list[Candidate]:
    """The arguments of the re3d documents' events with our verdicts; one not
    judged (the rules changed since) is unknown."""
    with judgements.open(encoding="utf-8") as rows:
        verdicts = {
            (
                r["doc_id"],
                int(r["trigger_start"]),
                r["class"],
                r["status"],
                r["role"],
                r["actor"],
            ): r["right"] == "1"
            for r in csv.DictReader(rows, delimiter="\t")
        }
    docs = read_gold(eval_dir / "re3d.dev.jsonl")
    found = []
    for doc, extraction in extracted(docs):
        for event in extraction.events:
            start = event.trigger_span.start if event.trigger_span else -1
            for (role, actor), cues in event.argument_cues.items():
                key = (doc["doc_id"], start, str(event.dip_class), event.status, role)
                key += (actor_key(actor),)
                found.append(Candidate(doc["doc_id"], cues, verdicts.get(key)))
    return found


def _arguments(doc: dict, event: Event, extraction: Extraction) -> list[Candidate]:
    gold = next(
        (
            g
            for g in doc.get("events", [])
            if g["type"].lower() == plover_type(event.dip_class).lower()
        ),
        doc["events"][0],
    )
    spans: dict[str, list[tuple[int, int]]] = {}
    for actor_id, span in extraction.mentions:
        spans.setdefault(actor_id, []).append((span.start, span.end))
    found = []
    for role in ROLES:
        entities = [doc["entities"][i] for key in GOLD_ROLES[role] for i in gold.get(key, [])]
        for actor_id in getattr(event, role):
            right = (
                any(
                    e["start"] < end and start < e["end"]
                    for e in entities
                    for start, end in spans.get(actor_id, [])
                )
                if entities
                else None
            )
            found.append(Candidate(doc["doc_id"], event.argument_cues[(role, actor_id)], right))
    return found


def write_weights(weights: dict[str, float], documents: int, candidates: int) -> None:
    about = {
        "what": "probability that an actor plays the role the rules gave it in an event",
        "trained_on": "arguments of the events the rules find in the PLOVER development "
        "sentences (../shared/eval/), labelled by their gold sources and targets as "
        "bench/train_argument_scorer.py says",
        "documents": documents,
        "candidates": candidates,
    }
    write_scorer(WEIGHTS, weights, about)


if __name__ == "__main__":
    main()
