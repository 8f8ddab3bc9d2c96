"""Loading articles: read, skip what is stored, extract, validate, write.

Every article is validated against the shapes before it is written (a batch
at a time, see ``validate.validate_batch``); one that fails is reported (file
or record, focus node, the shape's message) and not stored, while the rest of
the batch loads. Each article is written in one
transaction that replaces any earlier version of it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.errors import CommuniqueError, InputError
from communique.load.copies import CopyFinder, Match, copies_kept, copy_note, record_copy
from communique.load.persons import PersonMerger
from communique.load.report import (
    COPIED,
    FAILED,
    LOADED,
    REPLACED,
    UNCHANGED,
    LoadReport,
    Outcome,
)
from communique.loaders.read.article import Article
from communique.loaders.read.readers import ReadLimits, ReadResult, read_paths, root_of
from communique.loaders.scoring.threshold import DEFAULT_MIN_CONFIDENCE
from communique.store.base import Store

if TYPE_CHECKING:
    from communique.load.prepare import Prepared

BATCH_SIZE = 16  # articles prepared and written together, unless a setting says otherwise
FLUSH_TRIPLES = 50_000  # about 60 articles of 500 words: RocksDB memtables stay ~60 MB

ProgressCallback = Callable[[Outcome], None]


@dataclass(frozen=True)
class LoadOptions:
    """How a load runs: worker processes, articles a batch, what one input may be,
    and how long the rules may take over one article (0: no limit)."""

    workers: int = 1
    batch_size: int = BATCH_SIZE
    limits: ReadLimits = field(default_factory=ReadLimits)
    article_timeout: float = 0.0
    min_confidence: float = DEFAULT_MIN_CONFIDENCE


def load_paths(
    paths: Iterable[Path],
    store: Store,
    model: str,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> LoadReport:
    """Load every article under ``paths`` into ``store`` (options: ``LoadOptions``)."""
    chosen = LoadOptions(**options)
    return load_results(read_paths(paths, chosen.limits), store, model, progress, **options)


def prune(store: Store, roots: Iterable[Path], met: Iterable[str] = ()) -> list[str]:
    """Remove the articles loaded from files under ``roots`` whose files are gone,
    but none of ``met``: the articles the load just made met in its inputs
    (``LoadReport.articles_met``). An article whose file was moved or renamed is
    met under its new name; one whose own file is gone is met through a copy of
    its story that is still there. Both stay."""
    keep = set(met)
    given = [Path(r) for r in roots]
    folders = dict(root_of(r)[::-1] for r in given)  # key -> folder
    absolute = [str(Path(r).resolve()) for r in given]
    removed = []
    for article, root, source in store.article_sources():
        if root is not None:  # a path under a load root, known by its key
            gone = root in folders and not (folders[root] / source).exists()
        else:  # loaded before roots were kept: an absolute path
            inside = any(source == f or source.startswith(f.rstrip("/") + "/") for f in absolute)
            gone = inside and not Path(source).exists()
        if gone and article not in keep and store.remove_article(article):
            removed.append(article)
    return removed


def load_results(
    results: Iterable[ReadResult],
    store: Store,
    model: str,
    progress: ProgressCallback | None = None,
    **options: Any,
) -> LoadReport:
    """Load read articles; with several workers the NLP runs in worker processes
    while this process writes, in input order, what they return."""
    chosen = LoadOptions(**options)
    report = LoadReport()
    loader = _BatchLoader(store, model, chosen)
    window: deque[_Started] = deque()

    def finish_oldest() -> None:
        oldest = window.popleft()
        for outcome in loader.finish(oldest, window[0] if window else None):
            report.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)

    try:
        for batch in _batches(results, chosen.batch_size):
            window.append(loader.start(loader.take_orphans() + batch))
            while len(window) > loader.in_flight_limit:
                finish_oldest()
        while window or loader.orphans:
            if not window:  # copies whose original failed: loaded on their own
                window.append(loader.start(loader.take_orphans()))
            finish_oldest()
    except BaseException:
        loader.abort()  # Ctrl-C or an error: do not wait for the batches under way
        raise
    finally:
        loader.close()
    store.flush()
    report.outcomes = [loader.current(o) for o in report.outcomes]
    return report


# The NLP modules (spaCy, pyshacl: 0.8 s of imports) are imported where the
# preparing happens: with workers, this process only writes, and the workers
# start that much sooner.
def _warm(model: str) -> None:
    from communique.load.prepare import warm

    warm(model)


def _prepare(
    articles: list[Article], model: str, base_iri: str, time_limit: float, min_confidence: float
) -> list[Prepared]:
    from communique.load.prepare import prepare_batch

    return prepare_batch(articles, model, base_iri, time_limit, min_confidence)


def _batches(items: Iterable[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class _Started:
    """A batch on its way: outcomes known already, and the articles being prepared
    (in a worker: a future; in this process: a list, or None until prepared)."""

    outcomes: list[Outcome | None]
    pending: list[tuple[int, Article, tuple[str, ...]]]
    prepared: Future[list[Prepared]] | list[Prepared] | None
    copies: list[tuple[int, Article, Match]] = field(default_factory=list)

    def articles(self) -> list[Article]:
        """The articles to prepare."""
        return [article for _, article, _ in self.pending]


class _BatchLoader:
    """Triage and writing (this process), preparation (here or in workers)."""

    def __init__(self, store: Store, model: str, options: LoadOptions) -> None:
        workers = options.workers
        self.store = store
        self.model = model
        self.time_limit = options.article_timeout
        self.min_confidence = options.min_confidence
        self.seen_sources: dict[str, Article] = {}
        self.in_flight: set[str] = set()  # identifiers being prepared, not yet written
        self.unflushed = 0  # triples written since the store was last flushed
        self.executor = (
            ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),
                initializer=_warm,
                initargs=(model,),
            )
            if workers > 1
            else None
        )
        # Without workers, one batch waits triaged while the one before it is written
        # on a thread of its own and this one is prepared here: RocksDB and SQLite
        # write without holding Python's lock, so the store's time (a fifth of a
        # one-process load, measured) mostly overlaps the next batch's NLP.
        self.in_flight_limit = 2 * workers if self.executor else 1
        self.writer = (
            None
            if self.executor
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-write")
        )
        self.flusher = _BackgroundFlush(store)
        self.persons = PersonMerger(store)
        self.copy_finder = CopyFinder(store)
        self.failed_originals: set[str] = set()  # IRIs of this load's articles that failed
        self.orphans: list[Article] = []  # copies whose original failed, to load on their own
        # article -> its new version, for replacements that kept the old one's copies
        self.replaced_by: dict[str, str] = {}

    def current(self, outcome: Outcome) -> Outcome:
        """The outcome naming the article as it is now: a copy met as "unchanged"
        before its article was replaced, later in the same load, by a new version
        that kept its copies is recorded under that new version."""
        iri = outcome.article_iri
        for _ in range(len(self.replaced_by)):  # a chain of versions, never a loop
            if iri not in self.replaced_by:
                break
            iri = self.replaced_by[iri]
        if iri == outcome.article_iri:
            return outcome
        return dataclasses.replace(outcome, article_iri=iri)

    def take_orphans(self) -> list[ReadResult]:
        taken, self.orphans = self.orphans, []
        return list(taken)

    def start(self, batch: list[ReadResult]) -> _Started:
        """Settle what needs no NLP; hand the rest to a worker (or prepare it here)."""
        outcomes: list[Outcome | None] = []
        pending: list[tuple[int, Article, tuple[str, ...]]] = []
        copies: list[tuple[int, Article, Match]] = []
        for item in batch:
            if isinstance(item, InputError):
                outcomes.append(Outcome(item.source, FAILED, problems=(item.advice,)))
                continue
            outcome, replaces = self._triage(item)
            # a new version of a stored source replaces it; only a new story may be a copy
            match = self.copy_finder.match(item) if outcome is None and not replaces else None
            if match is not None:
                copies.append((len(outcomes), item, match))
            elif outcome is None:
                pending.append((len(outcomes), item, replaces))
                self.in_flight.add(item.identifier)
                self.copy_finder.hold(item, str(self.store.iris.article(item.identifier)))
            outcomes.append(outcome if match is None else None)
        started = _Started(outcomes, pending, None, copies)
        if self.executor is not None:  # else prepared by ``finish``, beside the last write
            started.prepared = self.executor.submit(_prepare, *self._preparing(started))
        return started

    def finish(self, started: _Started, following: _Started | None = None) -> list[Outcome]:
        """Write the prepared articles, in input order; outcomes in input order.
        Without workers, the ``following`` batch is prepared meanwhile. Nothing else
        runs beside the write: the triage, which reads what writing changes, waits."""
        self._prepare_here(started)
        if self.writer is None or following is None or following.prepared is not None:
            return self._write(started)
        written = self.writer.submit(self._write, started)
        try:
            self._prepare_here(following)
        finally:
            outcomes = written.result()  # an error or Ctrl-C here still lets the write end
        return outcomes

    def _prepare_here(self, started: _Started) -> None:
        if started.prepared is None:
            started.prepared = _prepare(*self._preparing(started))

    def _preparing(self, started: _Started) -> tuple[Any, ...]:
        """``_prepare``'s arguments for a batch."""
        base = self.store.iris.base
        return started.articles(), self.model, base, self.time_limit, self.min_confidence

    def _write(self, started: _Started) -> list[Outcome]:
        prepared = started.prepared
        if isinstance(prepared, Future):
            try:
                prepared = prepared.result()
            except BrokenProcessPool as exc:
                raise CommuniqueError(f"an extraction worker died: {exc}") from exc
        assert prepared is not None  # prepared by ``finish`` before it writes
        # readers are told of the batch once, when all of it is written
        with self.store.changes_noted_once():
            for (index, article, replaces), item in zip(started.pending, prepared, strict=True):
                started.outcomes[index] = self._store(article, item, replaces)
                self.in_flight.discard(article.identifier)
                self.copy_finder.release(article)
            for index, article, match in started.copies:
                started.outcomes[index] = self._store_copy(article, match)
        if self.unflushed >= FLUSH_TRIPLES and self.flusher.start():
            # Oxigraph keeps writes in RocksDB memtables until flushed: about 1 MB per
            # article, so a long load grew by gigabytes without this (measured). A
            # flush costs a fixed ~20 ms besides the data, so not after every batch.
            self.unflushed = 0
        return [o for o in started.outcomes if o is not None]

    def close(self) -> None:
        try:
            self.flusher.wait()
        finally:
            if self.writer is not None:
                self.writer.shutdown()
            if self.executor is not None:
                self.executor.shutdown(cancel_futures=True)

    def abort(self) -> None:
        """End the workers now: what they were preparing is lost, and every article
        already written stays whole (each was one transaction)."""
        if self.executor is None:
            return
        # The pool has no public way to stop a running task; shutdown() would wait
        # for each one (a whole batch of NLP), which is what Ctrl-C must not do.
        for process in list(getattr(self.executor, "_processes", {}).values()):
            process.terminate()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = None

    def _triage(self, article: Article) -> tuple[Outcome | None, tuple[str, ...]]:
        """Unchanged or conflicting articles are settled here, without the NLP."""
        source = article.source_id
        earlier = self.seen_sources.get(source) if source else None
        if earlier is not None and earlier.identifier != article.identifier:
            return Outcome(
                article.origin,
                FAILED,
                problems=(
                    f"identifier {source!r} is also used by {earlier.origin} in this load "
                    "with different text; give one of them another name or 'id'",
                ),
            ), ()
        if source:
            self.seen_sources[source] = article
        if article.identifier in self.in_flight:
            return Outcome(
                article.origin, UNCHANGED, str(self.store.iris.article(article.identifier))
            ), ()
        stored = self.store.find_article(article.identifier)
        if stored is not None:
            return Outcome(article.origin, UNCHANGED, stored.iri), ()
        copied_into = self.store.find_copy(article.identifier)
        if copied_into is not None:  # recorded already as a source of this article
            return Outcome(article.origin, UNCHANGED, copied_into), ()
        replaces = (
            tuple(a.iri for a in self.store.articles_with_source_id(source)) if source else ()
        )
        return None, replaces

    def _store(self, article: Article, prepared: Prepared, replaces: tuple[str, ...]) -> Outcome:
        if prepared.problems:
            self.failed_originals.add(prepared.write.article)
            return Outcome(article.origin, FAILED, prepared.write.article, prepared.problems)
        write, persons = self.persons.merged(prepared.write, prepared.persons)
        kept = copies_kept(self.store, article, replaces) if replaces else ()
        self.replaced_by.update(dict.fromkeys(kept, write.article))
        self.store.write_article(
            dataclasses.replace(write, replaces=replaces, keeps_copies_of=kept)
        )
        self.persons.remember(persons)
        self.unflushed += write.triples
        status = REPLACED if replaces else LOADED
        return Outcome(
            article.origin, status, write.article, triples=write.triples, notes=article.notes
        )

    def _store_copy(self, article: Article, match: Match) -> Outcome | None:
        """Record a copy under its original; a copy whose original failed goes back
        to be loaded on its own (its outcome comes then)."""
        if match.article in self.failed_originals:
            self.orphans.append(article)
            return None
        triples, problems = record_copy(self.store, match, article)
        if problems:
            return Outcome(article.origin, FAILED, match.article, problems)
        notes = (*article.notes, copy_note(match))
        return Outcome(article.origin, COPIED, match.article, triples=triples, notes=notes)


class _BackgroundFlush:
    """The store's flushes, on a thread of their own. RocksDB writes its memtables
    out without holding Python's lock (measured: a flush beside a busy Python loop
    adds nothing to the loop's time), so the flush overlaps the next batch's NLP
    instead of stopping the load; flushes were about 0.5 s of a 30 s load."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> bool:
        """Start a flush unless one is still running (False then: try again later)."""
        if self.thread is not None and self.thread.is_alive():
            return False
        self.wait()
        self.thread = threading.Thread(target=self._run, name="store-flush", daemon=True)
        self.thread.start()
        return True

    def wait(self) -> None:
        """Wait for the running flush; raise what it raised."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        error, self.error = self.error, None
        if error is not None:
            raise error

    def _run(self) -> None:
        try:
            self.store.flush()
        except BaseException as exc:  # handed to the loading thread by wait()
            self.error = exc
