"""A logistic scorer over named cues, read from a weights file.

The weights are learned by ``bench/train_scorer.py`` (scikit-learn's logistic
regression, a development dependency) and shipped as JSON; at run time the
probability is a weighted sum through the logistic function, plain Python over
a few dozen cues. Trained with a log loss, it is calibrated where the training
data covers: ``docs/quality.md`` shows predicted probability against the share
found right on held-out folds.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

WEIGHTS_FORMAT = "communique-scorer/1"


class ScorerError(ValueError):
    """A weights file that cannot be used, with what to do about it."""


@dataclass(frozen=True)
class Scorer:
    """Weights per cue name; cues it does not know count for nothing."""

    weights: dict[str, float]
    about: dict[str, object]

    def probability(self, cues: dict[str, float]) -> float:
        total = sum(self.weights.get(name, 0.0) * value for name, value in cues.items())
        return _logistic(total)


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)  # no overflow for large negative sums
    return z / (1.0 + z)


def read_scorer(path: Path) -> Scorer:
    """The scorer in ``path``; a ScorerError names the file and the fault."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScorerError(f"{path}: cannot read the scorer's weights ({exc})") from exc
    return scorer_from(data, str(path))


def scorer_from(data: object, origin: str) -> Scorer:
    if not isinstance(data, dict) or data.get("format") != WEIGHTS_FORMAT:
        raise ScorerError(
            f"{origin}: not a weights file of format {WEIGHTS_FORMAT!r}; rebuild it "
            "with bench/train_scorer.py"
        )
    weights = data.get("weights")
    if not isinstance(weights, dict) or not all(
        isinstance(k, str) and isinstance(v, (int, float)) and math.isfinite(v)
        for k, v in weights.items()
    ):
        raise ScorerError(f"{origin}: 'weights' must map cue names to finite numbers")
    about = {k: v for k, v in data.items() if k != "weights"}
    return Scorer({k: float(v) for k, v in weights.items()}, about)


@functools.cache
def event_scorer() -> Scorer:
    """The shipped event scorer."""
    return _shipped("events.json")


@functools.cache
def tie_scorer() -> Scorer:
    """The shipped scorer of holdings and memberships."""
    return _shipped("ties.json")


@functools.cache
def argument_scorer() -> Scorer:
    """The shipped scorer of event arguments (does this actor play this role?)."""
    return _shipped("arguments.json")


@functools.cache
def actor_scorer() -> Scorer:
    """The shipped scorer of actors (is the name an actor of the kind it was given?)."""
    return _shipped("actors.json")


def _shipped(name: str) -> Scorer:
    text = resources.files("communique.loaders.scoring.weights").joinpath(name)
    return scorer_from(json.loads(text.read_text(encoding="utf-8")), f"{name} (shipped)")
