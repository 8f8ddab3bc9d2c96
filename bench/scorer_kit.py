"""What the four scorer-training scripts share: candidates and their folds by
document, the logistic fit, the reliability report, the weights file, and the
command line. Not a benchmark; the scripts beside it say what each scorer learns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from communique.loaders.extract import extract_articles
from communique.loaders.model import Extraction
from communique.loaders.read.article import Article
from communique.loaders.scoring.model import WEIGHTS_FORMAT
from communique.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = REPO.parent / "shared" / "eval"
BINS = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0001)]
# inverse regularisation strengths to choose from, by inner folds of the training part
CS = (0.03, 0.1, 0.3, 1.0, 3.0)
INNER_FOLDS = 4
SEED = 20261206
OTHER_SEEDS = (1, 2, 3)


@dataclass
class Candidate:
    doc: str
    cues: dict[str, float]
    right: bool | None  # None: the gold neither confirms nor refutes it


def labelled(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.right is not None]


def read_gold(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def folds_of(candidates: list[Candidate], k: int, seed: int) -> dict[str, int]:
    docs = sorted({c.doc for c in candidates})
    random.Random(seed).shuffle(docs)
    return {doc: i % k for i, doc in enumerate(docs)}


def cross_validate(
    candidates: list[Candidate], k: int, seed: int, extra: list[Candidate]
) -> list[float]:
    """Held-out probabilities of ``candidates``; ``extra`` is always trained on."""
    fold = folds_of(candidates, k, seed)
    held_out = [0.0] * len(candidates)
    for f in range(k):
        train = [c for c in candidates if fold[c.doc] != f] + extra
        model = fit(train)
        for i, c in enumerate(candidates):
            if fold[c.doc] == f:
                held_out[i] = probability(model, c.cues)
    return held_out


def fit(candidates: list[Candidate]) -> dict[str, float]:
    """Weights by logistic regression, its regularisation chosen by log loss on
    folds of the training documents alone (never on the documents scored)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import GroupKFold

    known = labelled(candidates)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([c.cues for c in known])
    y = [c.right for c in known]
    groups = [c.doc for c in known]
    inner = list(GroupKFold(n_splits=INNER_FOLDS).split(x, y, groups))
    # the "bias" cue is in every candidate: it is the intercept, so sklearn's own is off
    with warnings.catch_warnings():  # scikit-learn 1.9 announces changes of defaults
        warnings.simplefilter("ignore", FutureWarning)
        regression = LogisticRegressionCV(
            Cs=CS, cv=inner, scoring="neg_log_loss", fit_intercept=False, max_iter=5000
        ).fit(x, y)
    return dict(zip(vectorizer.get_feature_names_out(), regression.coef_[0].tolist(), strict=True))


def probability(weights: dict[str, float], cues: dict[str, float]) -> float:
    from communique.loaders.scoring.model import Scorer

    return Scorer(weights, {}).probability(cues)


def extracted(docs: list[dict]) -> Iterator[tuple[dict, Extraction]]:
    """Each gold document with what the product's extraction reads in its text."""
    return zip(docs, extract_articles(as_articles(docs), model_name()), strict=True)


def as_articles(docs: list[dict]) -> list[Article]:
    return [
        Article(body=d["text"], headline=" ".join(d["text"][:80].split()), origin=d["doc_id"])
        for d in docs
    ]


def model_name() -> str:
    return Settings.from_env().model


def actor_key(actor_id: str) -> str:
    """How a judgements file names an actor: a short hash of its id, so that the
    files hold offsets and verdicts, never names from the documents judged."""
    return hashlib.sha256(actor_id.encode("utf-8")).hexdigest()[:12]


def training_parser(description: str, weights: Path) -> argparse.ArgumentParser:
    """The options every training script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED, help="how documents fall into folds")
    parser.add_argument("--write", action="store_true", help=f"write {weights.name}")
    return parser


def reliability(judged: list[Candidate], held_out: list[float], folds: int) -> list[str]:
    """Markdown: held-out probability against the share right, and the Brier score
    beside that of the base rate."""
    pairs = [(c, p) for c, p in zip(judged, held_out, strict=True) if c.right is not None]
    lines = [
        f"Reliability, {folds}-fold held out: does a confidence mean the probability of "
        "being right?",
        "",
        "| confidence | candidates | mean confidence | share right |",
        "|---|---|---|---|",
    ]
    for low, high in BINS:
        band = [(c, p) for c, p in pairs if low <= p < high]
        if band:
            mean = sum(p for _, p in band) / len(band)
            share = sum(c.right for c, _ in band) / len(band)
            lines.append(
                f"| {low:.1f}–{min(high, 1.0):.1f} | {len(band)} | {mean:.2f} | {share:.2f} |"
            )
    brier = sum((p - c.right) ** 2 for c, p in pairs) / len(pairs)
    base = sum(c.right for c, _ in pairs) / len(pairs)
    constant = sum((base - c.right) ** 2 for c, _ in pairs) / len(pairs)
    lines += [
        "",
        f"Brier score, held out: {brier:.3f} (the share right given to every candidate "
        f"scores {constant:.3f}).",
    ]
    return lines


def top_band_across_splits(judged: list[Candidate], folds: int) -> str:
    """How much the top band moves with the way documents fall into folds."""
    parts = []
    for seed in OTHER_SEEDS:
        pairs = zip(judged, cross_validate(judged, folds, seed, []), strict=True)
        top = [c for c, p in pairs if p >= 0.8 and c.right is not None]
        share = sum(c.right for c in top) / len(top) if top else float("nan")
        parts.append(f"{share:.2f} of {len(top)}")
    return (
        f"With the documents split into folds {len(OTHER_SEEDS)} other ways, the share "
        f"right at confidence 0.8 or more: {', '.join(parts)}."
    )


def write_scorer(path: Path, weights: dict[str, float], about: dict[str, object]) -> None:
    """The weights file: the format, what the scorer estimates and from what
    (``about``: what, trained_on, documents, candidates), the learner, the date."""
    import sklearn

    data = {
        "format": WEIGHTS_FORMAT,
        **about,
        "learner": f"scikit-learn {sklearn.__version__} LogisticRegressionCV(Cs={CS}, "
        f"{INNER_FOLDS} inner folds by document, log loss)",
        "date": dt.date.today().isoformat(),
        "weights": {name: round(w, 6) for name, w in sorted(weights.items())},
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(weights)} cues)", file=sys.stderr)
