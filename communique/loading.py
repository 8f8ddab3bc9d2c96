"""Loading articles: read, skip what is stored, extract, validate, write.

Every article is validated against the shapes before it is written (a batch
at a time, see ``validate.validate_batch``); one that fails is reported (file
or record, focus node, the shape's message) and not stored, while the rest of
the batch loads. Each article is written in one
transaction that replaces any earlier version of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from communique.errors import InputError
from communique.loaders.article import Article
from communique.loaders.extract import extract_articles
from communique.loaders.rdfmap import article_write
from communique.loaders.readers import ReadResult, read_paths
from communique.store import ArticleWrite, Store
from communique.validate import Violation, validate_batch

BATCH_SIZE = 16

LOADED, REPLACED, UNCHANGED, FAILED = "loaded", "replaced", "unchanged", "failed"


@dataclass(frozen=True)
class Outcome:
    """What happened to one input article (or to an unreadable input)."""

    origin: str
    status: str
    article_iri: str | None = None
    problems: tuple[str, ...] = ()


@dataclass
class LoadReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    def summary(self) -> dict[str, int]:
        return {s: self.count(s) for s in (LOADED, REPLACED, UNCHANGED, FAILED)}


ProgressCallback = Callable[[Outcome], None]


def load_paths(
    paths: Iterable[Path], store: Store, model: str, progress: ProgressCallback | None = None
) -> LoadReport:
    """Load every article under ``paths`` into ``store``."""
    return load_results(read_paths(paths), store, model, progress)


def prune(store: Store, roots: Iterable[Path]) -> list[str]:
    """Remove the articles loaded from files under ``roots`` whose files are gone."""
    folders = [str(Path(r).resolve()) for r in roots]
    removed = []
    for article, source in store.article_sources():
        inside = any(source == f or source.startswith(f.rstrip("/") + "/") for f in folders)
        if inside and not Path(source).exists() and store.remove_article(article):
            removed.append(article)
    return removed


def load_results(
    results: Iterable[ReadResult],
    store: Store,
    model: str,
    progress: ProgressCallback | None = None,
) -> LoadReport:
    report = LoadReport()
    loader = _BatchLoader(store, model)
    for batch in _batches(results, BATCH_SIZE):
        for outcome in loader.load_batch(batch):
            report.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
    store.flush()
    return report


def _batches(items: Iterable[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _BatchLoader:
    """Remembers which source identifiers this run has used, across batches."""

    def __init__(self, store: Store, model: str) -> None:
        self.store = store
        self.model = model
        self.seen_sources: dict[str, Article] = {}

    def load_batch(self, batch: list[ReadResult]) -> list[Outcome]:
        """Outcomes in input order; only new or changed articles reach the NLP."""
        outcomes: list[Outcome | None] = []
        pending: list[tuple[int, Article, tuple[str, ...]]] = []
        for item in batch:
            if isinstance(item, InputError):
                outcomes.append(Outcome(item.source, FAILED, problems=(_message(item),)))
                continue
            outcome, replaces = self._triage(item)
            if outcome is None:
                pending.append((len(outcomes), item, replaces))
            outcomes.append(outcome)
        extractions = extract_articles([article for _, article, _ in pending], self.model)
        writes = [
            article_write(article, extraction, self.store.iris, replaces)
            for (_, article, replaces), extraction in zip(pending, extractions, strict=True)
        ]
        verdicts = validate_batch([w.facts + w.entities for w in writes])
        for (index, article, _), write, violations in zip(pending, writes, verdicts, strict=True):
            outcomes[index] = self._store(article, write, violations)
        return [o for o in outcomes if o is not None]

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
        stored = self.store.find_article(article.identifier)
        if stored is not None:
            return Outcome(article.origin, UNCHANGED, stored.iri), ()
        replaces = (
            tuple(a.iri for a in self.store.articles_with_source_id(source)) if source else ()
        )
        return None, replaces

    def _store(self, article: Article, write: ArticleWrite, violations: list[Violation]) -> Outcome:
        if violations:
            return Outcome(
                article.origin,
                FAILED,
                str(write.article),
                tuple(_violation_line(v) for v in violations),
            )
        self.store.write_article(write)
        status = REPLACED if write.replaces else LOADED
        return Outcome(article.origin, status, str(write.article))


def _message(error: InputError) -> str:
    return f"{error.problem}" + (f" ({error.hint})" if error.hint else "")


def _violation_line(violation: Violation) -> str:
    return f"does not conform: {violation}"
