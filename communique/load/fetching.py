"""Fetch addresses and feeds, and load what is new.

The crawl (``loaders/fetch/crawl.py``) is read lazily by the load, a batch at a
time, so fetching and the NLP of earlier batches take turns without holding
every page in memory. The fetch record notes an address once the outcome of
everything read from it is known, so a run stopped half-way leaves the rest
to be fetched again, whole, next time.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from communique.load.pipeline import ProgressCallback, load_results
from communique.load.report import LoadReport, Outcome
from communique.loaders.fetch.client import PoliteClient, Politeness
from communique.loaders.fetch.crawl import Crawl, Found
from communique.loaders.fetch.record import Attempt, FetchRecord
from communique.loaders.read.article import Article
from communique.loaders.read.readers import ReadLimits, ReadResult
from communique.store.base import Store


@dataclass
class FetchReport:
    """What a fetch run loaded, and what it asked of which address."""

    load: LoadReport
    visits: list[Attempt] = field(default_factory=list)

    def visit_summary(self) -> dict[str, int]:
        counts = {"fetched": 0, "not modified": 0, "failed": 0}
        for visit in self.visits:
            key = "failed" if visit.failed else visit.status
            counts[key] = counts.get(key, 0) + 1
        return counts


@dataclass(frozen=True)
class Sources:
    """What to fetch: addresses of anything, and addresses that must be feeds."""

    urls: Sequence[str] = ()
    feeds: Sequence[str] = ()


def fetch_and_load(
    sources: Sources,
    store: Store,
    record: FetchRecord,
    politeness: Politeness,
    model: str,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> FetchReport:
    """Fetch ``sources`` and load what they hold (options: ``LoadOptions``)."""
    client = PoliteClient(politeness)
    tracker = _Settling(record)
    crawl = Crawl(client, record, options.get("limits") or ReadLimits())

    def on_outcome(outcome: Outcome) -> None:
        tracker.settled(outcome)
        if progress is not None:
            progress(outcome)

    try:
        steps = tracker.results(crawl, sources)
        report = load_results(steps, store, model, on_outcome, **options)
    finally:
        client.close()
    tracker.settle_all()
    return FetchReport(report, tracker.visits)


class _Settling:
    """Notes a visit in the record once every result read before it was done has
    an outcome. Outcomes mostly come in input order, but not always (a copy whose
    original failed is loaded later, on its own), so each result is found again
    by its origin, and a visit waits for the earliest result still unsettled."""

    def __init__(self, record: FetchRecord) -> None:
        self.record = record
        self.yielded = 0
        self.unsettled: set[int] = set()  # positions of results without an outcome
        self.positions: dict[str, deque[int]] = defaultdict(deque)  # origin -> positions
        self.waiting: deque[tuple[int, Attempt]] = deque()
        self.visits: list[Attempt] = []

    def results(self, crawl: Crawl, sources: Sources) -> Iterator[ReadResult]:
        for steps in (crawl.pages(sources.urls), crawl.feeds(sources.feeds)):
            for step in steps:
                if isinstance(step, Found):
                    self.unsettled.add(self.yielded)
                    self.positions[_origin(step.result)].append(self.yielded)
                    self.yielded += 1
                    yield step.result
                else:
                    self.visits.append(step.visit)
                    self.waiting.append((self.yielded, step.visit))
                    self._note_ready()

    def settled(self, outcome: Outcome) -> None:
        waiting = self.positions.get(outcome.origin)
        if waiting:
            self.unsettled.discard(waiting.popleft())
        self._note_ready()

    def settle_all(self) -> None:
        """The load returned: every result has its outcome."""
        self.unsettled.clear()
        self._note_ready()

    def _note_ready(self) -> None:
        earliest = min(self.unsettled, default=self.yielded)
        while self.waiting and self.waiting[0][0] <= earliest:
            self.record.note(self.waiting.popleft()[1])


def _origin(result: ReadResult) -> str:
    return result.origin if isinstance(result, Article) else result.source


__all__ = ["FetchReport", "Sources", "fetch_and_load"]
