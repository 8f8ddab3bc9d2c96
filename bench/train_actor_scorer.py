"""Learn the actor scorer's weights, and measure it by document-level k-fold.

    python bench/train_actor_scorer.py [--eval ../shared/eval] [--folds 5] [--write]

Needs the ``train`` extra (scikit-learn). The candidates are the actors the
rules make of the 26 re3d documents of ``../shared/eval/re3d.dev.jsonl`` and of
Re-DocRED's 1,000 Wikipedia introductions (``../shared/eval/extra/``), with
their cues (``loaders/scoring/actor_cues.py``). Both annotate every named
entity with a type, so the labels come from the gold: an actor is right when
one of its mentions overlaps a gold entity of a compatible type (a person a
person; an organisation an organisation; a country a country or a demonym; a
place a place or a country), wrong otherwise. (The PLOVER sentences annotate
only the actors of their one event, so they are left out.)

The documents are split into ``--folds`` folds; each fold's candidates are
scored by a model trained on the other folds. It prints the reliability table
and the Brier score, held out. ``--write`` fits on every candidate and writes
``loaders/scoring/weights/actors.json``. Nothing from ``../shared/`` is copied
into the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

from scorer_kit import (  # a sibling module, not a package
    SEED,
    Candidate,
    cross_validate,
    fit,
    read_gold,
    reliability,
    top_band_across_splits,
    training_parser,
    write_scorer,
)

from communique.loaders.extract import extract_articles
from communique.loaders.model import COUNTRY, ORGANIZATION, PERSON, PLACE
from communique.loaders.read.article import Article
from communique.settings import Settings

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "loaders" / "scoring" / "weights" / "actors.json"
# The gold types (re3d's and Re-DocRED's) an actor of each kind may rightly cover.
COMPATIBLE = {
    PERSON: {"Person", "PER"},
    ORGANIZATION: {"Organization", "ORG"},
    COUNTRY: {"Country", "Nationality", "LOC"},
    PLACE: {"Place", "Country", "LOC"},
}
Gold = list[tuple[int, int, str]]  # (start, end, type) of each gold mention


def main() -> None:
    parser = training_parser(__doc__.splitlines()[0], WEIGHTS)
    args = parser.parse_args()
    found = candidates(args.eval)
    print(actor_evaluation(found, args.folds, args.seed))
    if args.write:
        write_weights(fit(found), len({c.doc for c in found}), len(found))


def actor_evaluation(found: list[Candidate], folds: int = 5, seed: int = SEED) -> str:
    right = sum(bool(c.right) for c in found)
    held_out = cross_validate(found, folds, seed, [])
    return "\n".join(
        [
            f"{len(found)} actors in {len({c.doc for c in found})} documents: {right} right, "
            f"{len(found) - right} wrong by the gold entities.",
            "",
            *reliability(found, held_out, folds),
            "",
            top_band_across_splits(found, folds),
        ]
    )


def candidates(eval_dir: Path) -> list[Candidate]:
    docs = [(d["doc_id"], d["text"], _re3d_gold(d)) for d in read_gold(eval_dir / "re3d.dev.jsonl")]
    for part in ("dev", "test"):
        path = eval_dir / "extra" / f"redocred-{part}.json"
        for n, doc in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            docs.append((f"redocred-{part}:{n}", *_redocred_text_and_gold(doc)))
    articles = [Article(body=text, headline=text[:80], origin=doc_id) for doc_id, text, _ in docs]
    found = []
    for (doc_id, _, gold), extraction in zip(
        docs, extract_articles(articles, Settings.from_env().model), strict=True
    ):
        spans: dict[str, list[tuple[int, int]]] = {}
        for actor_id, span in extraction.mentions:
            spans.setdefault(actor_id, []).append((span.start, span.end))
        for actor_id, actor in extraction.actors.items():
            right = _covered(spans.get(actor_id, []), gold, COMPATIBLE.get(actor.kind, set()))
            found.append(Candidate(doc_id, extraction.actor_cues[actor_id], right))
    return found


def _covered(spans: list[tuple[int, int]], gold: Gold, types: set[str]) -> bool:
    return any(s < ge and gs < e and t in types for s, e in spans for gs, ge, t in gold)


def _re3d_gold(doc: dict) -> Gold:
    return [(e["start"], e["end"], e["type"]) for e in doc["entities"]]


def _redocred_text_and_gold(doc: dict) -> tuple[str, Gold]:
    """The text as its tokens joined by single spaces, and its entity mentions in it."""
    offsets: list[list[tuple[int, int]]] = []
    position = 0
    for sentence in doc["sents"]:
        here = []
        for token in sentence:
            here.append((position, position + len(token)))
            position += len(token) + 1
        offsets.append(here)
    text = " ".join(" ".join(s) for s in doc["sents"])
    gold = [
        (
            offsets[m["sent_id"]][m["pos"][0]][0],
            offsets[m["sent_id"]][m["pos"][1] - 1][1],
            m["type"],
        )
        for vertex in doc["vertexSet"]
        for m in vertex
    ]
    return text, gold


def write_weights(weights: dict[str, float], documents: int, candidates: int) -> None:
    about = {
        "what": "probability that an actor's name names an actor of its kind",
        "trained_on": "actors the rules make of re3d and Re-DocRED documents (../shared/eval/), "
        "labelled by their gold entities as bench/train_actor_scorer.py says",
        "documents": documents,
        "candidates": candidates,
    }
    write_scorer(WEIGHTS, weights, about)


if __name__ == "__main__":
    main()
