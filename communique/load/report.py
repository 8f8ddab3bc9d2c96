"""What a load did to each input, and the JSON report ``communique load`` writes."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from pathlib import Path


class Status(enum.StrEnum):
    LOADED = "loaded"
    REPLACED = "replaced"
    COPIED = "copied"  # the same story as a stored article: recorded as one of its sources
    UNCHANGED = "unchanged"
    FAILED = "failed"


LOADED, REPLACED, COPIED, UNCHANGED, FAILED = Status


@dataclass(frozen=True)
class Outcome:
    """What happened to one input article (or to an unreadable input)."""

    origin: str
    status: Status
    article_iri: str | None = None
    problems: tuple[str, ...] = ()
    triples: int = 0
    notes: tuple[str, ...] = ()  # what the reader changed in the input (it still loaded)


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    def summary(self) -> dict[str, int]:
        return {str(s): self.count(s) for s in Status}

    def articles_met(self) -> set[str]:
        """The stored articles this load's inputs are (loaded, replaced, unchanged)
        or are copies of."""
        return {o.article_iri for o in self.outcomes if o.article_iri and o.status != FAILED}


def write_report(path: Path, report: LoadReport) -> None:
    """The report as JSON (a summary, then each input's outcome), written whole or
    not at all."""
    rows = [
        {
            "origin": o.origin,
            "status": str(o.status),
            "article": o.article_iri,
            "problems": list(o.problems),
            "notes": list(o.notes),
        }
        for o in report.outcomes
    ]
    data = {"summary": report.summary(), "articles": rows}
    tmp = path.with_name(path.name + ".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(path)
