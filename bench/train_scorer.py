"""Learn the event scorer's weights, and measure it by document-level k-fold.

    python bench/train_scorer.py [--eval ../shared/eval] [--folds 5] [--write]

Needs the ``train`` extra (scikit-learn). Each annotated PLOVER sentence of
``../shared/eval/plover_events.dev.jsonl`` is read as an article by the
product's own extraction; every event the rules propose is a candidate with
its cues (``loaders/scoring/cues.py``), labelled right when it is the event
the scorer of ``../shared/eval/score.py`` would match to the gold one (same
PLOVER type, a participant overlapping a gold source or target; one match per
gold event), wrong when the gold refutes it, unknown otherwise (``verdict``).
Candidates of classes outside PLOVER's families are not scored there and are
left out.

The documents are split into ``--folds`` folds (fixed seed); each fold's
candidates are scored by a logistic regression trained on the other folds.
From those held-out probabilities it prints event precision, recall and F1 at
each threshold (as score.py counts them, lenient), the rules alone (every
candidate kept), a reliability table (probability against the share found
right) and the Brier score. ``--write`` then fits on every document and
writes ``loaders/scoring/weights/events.json``. The data is read from
``../shared/`` and never copied into the repository; the weights are ours.
"""

from __future__ import annotations

import collections
import csv
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

from rdflib import RDFS, Graph
from scorer_kit import (  # a sibling module, not a package
    BINS,
    OTHER_SEEDS,
    REPO,
    SEED,
    Candidate,
    cross_validate,
    extracted,
    fit,
    labelled,
    read_gold,
    training_parser,
    write_scorer,
)

from communique.loaders.extract import extract_articles
from communique.loaders.model import OCCURRED, Event, Extraction
from communique.loaders.rdfmap import event_codes
from communique.loaders.read.article import Article
from communique.resources import ontology_turtle
from communique.settings import Settings
from communique.vocab import DIP

WEIGHTS = REPO / "loaders" / "scoring" / "weights" / "events.json"
JUDGEMENTS = REPO / "bench" / "data" / "re3d_event_judgements.tsv"
PLOVER_DOCS: set[str] = set()  # the documents F1 is counted on (their gold codes events)
THRESHOLDS = [round(t / 20, 2) for t in range(0, 20)]  # every 0.05; the report shows every 0.1


def main() -> None:
    parser = training_parser(__doc__.splitlines()[0], WEIGHTS)
    parser.add_argument(
        "--petrarch",
        action="store_true",
        help="also train on PETRARCH2's records (tried; it made the held-out figures worse, "
        "see docs/quality.md)",
    )
    args = parser.parse_args()
    text, candidates = evaluation(args.eval, args.folds, args.seed, petrarch=args.petrarch)
    print(text)
    if args.write:
        documents = len({c.doc for c in candidates})
        write_weights(fit(candidates), documents, len(candidates))


def label(docs: list[dict]) -> tuple[list[Candidate], int]:
    candidates: list[Candidate] = []
    gold_events = 0
    for doc, extraction in extracted(docs):
        scored = [e for e in extraction.events if plover_type(e.dip_class)]
        matched = matched_events(doc, scored, extraction)
        gold_events += len(doc.get("events", []))
        candidates += [
            Candidate(doc["doc_id"], e.cues, verdict(doc, e, id(e) in matched)) for e in scored
        ]
    return candidates, gold_events


def verdict(doc: dict, event: Event, matched: bool) -> bool | None:
    """Right when score.py matches it to the gold event. Wrong when the gold refutes
    it: read off a word the annotators marked as the trigger of their event, or of
    the gold event's type, and still not matched (a wrong type, or the wrong
    participants). Otherwise unknown: each PLOVER sentence has one event coded,
    so another event its sentence states may be true, and is not learned from. So
    is an event the rules did not find to have happened (planned, proposed,
    denied): the gold codes what was done or said, and 'agreed to meet' is coded as
    the agreement, which neither confirms nor refutes a planned meeting."""
    if matched:
        return True
    if event.status != OCCURRED:
        return None
    for gold in doc.get("events", []):
        if (plover_type(event.dip_class) or "").lower() == gold["type"].lower():
            return False
        span = event.trigger_span
        triggers = gold.get("triggers", [])
        if span and any(t["start"] < span.end and span.start < t["end"] for t in triggers):
            return False
    return None


def matched_events(doc: dict, events: list[Event], extraction: Extraction) -> set[int]:
    """The events score.py's lenient matching counts right: for each gold event the
    candidate of its type covering most of its participants (the first on ties)."""
    spans = collections.defaultdict(list)
    for actor, span in extraction.mentions:
        spans[actor].append((span.start, span.end))
    used: set[int] = set()
    right: set[int] = set()
    for gold in doc.get("events", []):
        types = {gold["type"].lower()} | {
            h.strip().lower() for h in gold.get("project_hint", "").split("/") if h.strip()
        }
        parts = [doc["entities"][i] for i in gold.get("sources", []) + gold.get("targets", [])]
        best = None
        for k, event in enumerate(events):
            if k in used or (plover_type(event.dip_class) or "").lower() not in types:
                continue
            mine = [s for actor in event.all_actors() for s in spans[actor]]
            covered = sum(any(p["start"] < e and s < p["end"] for s, e in mine) for p in parts)
            score = (covered == len(parts), covered)
            if best is None or score > best[0]:
                best = (score, k)
        if best is None:
            continue
        (_, covered), k = best
        used.add(k)
        if covered > 0 or not parts:
            right.add(id(events[k]))
    return right


@cache
def _ontology() -> Graph:
    return Graph().parse(data=ontology_turtle(), format="turtle")


@cache
def plover_type(dip_class: str) -> str | None:
    """The PLOVER type of a class, from it or its nearest superclass that has one."""
    graph, seen = _ontology(), set()
    todo = [DIP[dip_class]]
    while todo:
        cls = todo.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        value = graph.value(cls, DIP.classPloverType)
        if value is not None:
            return str(value)
        todo += list(graph.objects(cls, RDFS.subClassOf))
    return None


def report(candidates: list[Candidate], held_out: list[float], gold: int, k: int) -> str:
    """Markdown: event scores by threshold, reliability and Brier score, held out."""
    pairs = list(zip(candidates, held_out, strict=True))
    lines = [
        f"Event F1 by threshold, from {k}-fold held-out probabilities (lenient, counted "
        "as score.py counts it; threshold 0 is the rules alone):",
        "",
        "| threshold | kept | right | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    scored = [(c, p) for c, p in pairs if c.doc in PLOVER_DOCS]
    for t in THRESHOLDS[::2]:
        kept = [c for c, p in scored if p >= t]
        right = sum(c.right is True for c in kept)
        p, r = right / max(len(kept), 1), right / max(gold, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"| {t:.1f} | {len(kept)} | {right} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    lines += [
        "",
        "Reliability, held out, on every judged candidate (PLOVER and re3d): does a "
        "confidence mean the probability of being right?",
        "",
        "| confidence | candidates | mean confidence | share right |",
        "|---|---|---|---|",
    ]
    known = [(c, p) for c, p in pairs if c.right is not None]
    for low, high in BINS:
        band = [(c, p) for c, p in known if low <= p < high]
        if band:
            mean = sum(p for _, p in band) / len(band)
            share = sum(c.right for c, _ in band) / len(band)
            label = f"{low:.1f}–{min(high, 1.0):.1f}"
            lines.append(f"| {label} | {len(band)} | {mean:.2f} | {share:.2f} |")
    brier = sum((p - c.right) ** 2 for c, p in known) / len(known)
    lines += ["", f"Brier score, held out: {brier:.3f}."]
    return "\n".join(lines)


def evaluation(
    eval_dir: Path, folds: int = 5, seed: int = SEED, *, petrarch: bool = False
) -> tuple[str, list[Candidate]]:
    """The k-fold report of the event scorer on the PLOVER development sentences, and
    every candidate it is trained on (with ``petrarch``, PETRARCH2's records too)."""
    docs = read_gold(eval_dir / "plover_events.dev.jsonl")
    PLOVER_DOCS.update(d["doc_id"] for d in docs)
    candidates, gold_events = label(docs)
    extra_file = eval_dir / "extra" / "petrarch2-unit-tests.xml"
    extra = petrarch_candidates(extra_file) if petrarch else []
    known = labelled(candidates)
    head = (
        f"{len(docs)} documents, {gold_events} gold events, {len(candidates)} candidate "
        f"events: {sum(c.right for c in known)} right, {len(known) - sum(c.right for c in known)} "
        f"wrong, {len(candidates) - len(known)} neither confirmed nor refuted by the gold "
        "(another event of the sentence; not learned from, counted as false positives in "
        "F1 as score.py counts them)."
    )
    known_extra = labelled(extra)
    right_extra = sum(c.right for c in known_extra)
    head += (
        ""
        if not extra
        else (
            f" Also trained on (never scored against): {len(extra)} candidates from PETRARCH2's "
            f"coded sentences, {right_extra} right and {len(known_extra) - right_extra} wrong by "
            "event type alone (their actors are codes, not spans)."
        )
    )
    judged = judged_candidates(eval_dir, JUDGEMENTS) if JUDGEMENTS.exists() else []
    known_judged = labelled(judged)
    right_judged = sum(c.right for c in known_judged)
    head += (
        f" And {len(known_judged)} candidate events of the 26 re3d documents, each judged "
        f"by us against its sentence ({JUDGEMENTS.relative_to(REPO)}): {right_judged} right, "
        f"{len(known_judged) - right_judged} wrong. Both sets are split into folds by "
        "document together."
    )
    everything = candidates + judged
    held_out = cross_validate(everything, folds, seed, extra)
    text = head + "\n\n" + report(everything, held_out, gold_events, folds)
    return text + "\n\n" + other_splits(everything, folds, extra), everything + extra


def judged_candidates(eval_dir: Path, judgements: Path) -> list[Candidate]:
    """Candidate events of the re3d documents with our judgement of each: right when
    the sentence states an event of that class and status, and at least one actor
    takes part in it as stated; unknown when not judged (the rules changed since)."""
    verdicts = {}
    with judgements.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            key = (row["doc_id"], int(row["trigger_start"]), row["class"], row["status"])
            verdicts[key] = row["right"] == "1"
    docs = read_gold(eval_dir / "re3d.dev.jsonl")
    candidates = []
    for doc, extraction in extracted(docs):
        for event in extraction.events:
            start = event.trigger_span.start if event.trigger_span else -1
            key = (doc["doc_id"], start, str(event.dip_class), event.status)
            candidates.append(Candidate(doc["doc_id"], event.cues, verdicts.get(key)))
    return candidates


def other_splits(candidates: list[Candidate], folds: int, extra: list[Candidate]) -> str:
    """How much the top band moves with the way documents fall into folds."""
    parts = []
    for seed in OTHER_SEEDS:
        pairs = zip(candidates, cross_validate(candidates, folds, seed, extra), strict=True)
        top = [c for c, p in pairs if p >= 0.8 and c.right is not None]
        share = sum(c.right for c in top) / len(top) if top else float("nan")
        parts.append(f"{share:.2f} of {len(top)}")
    return (
        f"The same with the documents split into folds {len(OTHER_SEEDS)} other ways: "
        f"share right at confidence 0.8 or more {', '.join(parts)}."
    )


def petrarch_candidates(path: Path) -> list[Candidate]:
    """Candidates from PETRARCH2's unit-test sentences, judged by type: right when a
    coded event has the candidate's PLOVER type, wrong when none has (or the record
    codes no event). A record with a code the ontology does not map teaches nothing."""
    records = []
    for sentence in ET.parse(path).getroot().iter("Sentence"):
        text = " ".join((sentence.findtext("Text") or "").split())
        codings = [c.attrib for c in sentence.iter("EventCoding")]
        types = [plover_of_cameo(c.get("eventcode", "")) for c in codings if "eventcode" in c]
        if text and None not in types and all("error" not in c for c in codings):
            records.append((sentence.get("id", "?"), text, set(types)))
    articles = [Article(body=text, headline=text[:80], origin=rid) for rid, text, _ in records]
    candidates = []
    for (rid, _, types), extraction in zip(
        records, extract_articles(articles, Settings.from_env().model), strict=True
    ):
        for event in extraction.events:
            kind = plover_type(event.dip_class)
            if kind is None:
                continue
            right = None if event.status != OCCURRED else kind in types
            candidates.append(Candidate(f"petrarch:{rid}", event.cues, right))
    return candidates


@cache
def _cameo_to_plover() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = collections.defaultdict(set)
    for plover, cameo in event_codes().values():
        if plover and cameo:
            codes[cameo].add(plover)
    return codes


def plover_of_cameo(code: str) -> str | None:
    """The PLOVER type of a CAMEO code by the ontology's own alignment (the code, else
    its root); None when it has none or more than one."""
    table = _cameo_to_plover()
    found = table.get(code) or table.get(code[:2]) or set()
    return next(iter(found)) if len(found) == 1 else None


def write_weights(weights: dict[str, float], documents: int, candidates: int) -> None:
    about = {
        "what": "probability that a candidate event is right (type and a participant)",
        "trained_on": "PLOVER gold-standard sentences (../shared/eval/plover_events.dev.jsonl), "
        "labelled as bench/train_scorer.py says",
        "documents": documents,
        "candidates": candidates,
    }
    write_scorer(WEIGHTS, weights, about)


if __name__ == "__main__":
    main()
