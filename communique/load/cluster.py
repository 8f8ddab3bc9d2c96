"""``communique extract``: articles to shards, on a Dask cluster or local processes.

This process reads the inputs (so every bad file is reported here, as ``load``
does), skips articles the manifest already lists, and sends batches of
articles to the cluster's workers. Each worker loads the spaCy pipeline once
(it stays loaded between tasks), extracts and validates a batch exactly as
``load`` would, and writes its shard into the output folder, which must be
reachable by every worker (a shared or network file system on a real
cluster). This process lists each finished shard in the manifest.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.errors import CommuniqueError, InputError
from communique.load.shards import Manifest, ManifestEntry, write_shard
from communique.loaders.read.article import Article
from communique.loaders.read.readers import ReadResult, read_paths

if TYPE_CHECKING:
    from distributed import Client

BATCH_SIZE = 32  # articles per task and per shard


@dataclass
class ExtractReport:
    extracted: int = 0
    unchanged: int = 0
    failed: list[ManifestEntry] = field(default_factory=list)
    triples: int = 0


def extract(
    paths: Iterable[Path],
    out: Path,
    *,
    model: str,
    base_iri: str,
    cluster: str | None = None,
    workers: int = 1,
    progress: Callable[[list[ManifestEntry]], None] | None = None,
) -> ExtractReport:
    """Extract every article under ``paths`` not yet in ``out``'s manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(out)
    report = ExtractReport()
    with _dask_client(cluster, workers) as client:
        in_flight = 2 * max(len(client.scheduler_info()["workers"]), 1)
        for entries in _run(
            client, _tasks(paths, manifest, report), in_flight, out, model, base_iri
        ):
            manifest.append(entries)
            _count(report, entries)
            if progress is not None:
                progress(entries)
    return report


def _count(report: ExtractReport, entries: list[ManifestEntry]) -> None:
    for entry in entries:
        if entry.ok:
            report.extracted += 1
            report.triples += entry.triples
        else:
            report.failed.append(entry)


def _tasks(
    paths: Iterable[Path], manifest: Manifest, report: ExtractReport
) -> Iterator[list[tuple[int, ReadResult]]]:
    """Batches of (sequence number, article or read error) still to extract."""
    done = manifest.extracted()
    queued: set[str] = set()
    next_seq = max((e.seq for e in manifest.entries), default=-1) + 1

    def todo() -> Iterator[tuple[int, ReadResult]]:
        nonlocal next_seq
        for item in read_paths(list(paths)):
            if isinstance(item, Article):
                if item.identifier in done or item.identifier in queued:
                    report.unchanged += 1
                    continue
                queued.add(item.identifier)
            yield next_seq, item
            next_seq += 1

    iterator = todo()
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield batch


def _run(
    client: Client,
    tasks: Iterator[list[tuple[int, ReadResult]]],
    in_flight: int,
    out: Path,
    model: str,
    base_iri: str,
) -> Iterator[list[ManifestEntry]]:
    """Submit tasks with at most ``in_flight`` running; yield their entries as they end."""
    from distributed import as_completed

    running = as_completed()
    for batch in tasks:
        running.add(client.submit(extract_shard, batch, str(out), model, base_iri, pure=False))
        if running.count() >= in_flight:
            yield _result(next(running))
    for future in running:
        yield _result(future)


def _result(future: Any) -> list[ManifestEntry]:
    try:
        return future.result()
    except CommuniqueError:
        raise
    except Exception as exc:  # a worker died or the cluster went away
        raise CommuniqueError(f"an extraction task failed on the cluster: {exc}") from exc


def extract_shard(
    batch: list[tuple[int, ReadResult]], out: str, model: str, base_iri: str
) -> list[ManifestEntry]:
    """Run on a worker: extract and validate a batch, write its shard, say what it holds."""
    from communique.load.prepare import prepare_batch
    from communique.vocab import Iris

    articles = [(seq, item) for seq, item in batch if isinstance(item, Article)]
    entries = [_read_failure(seq, item) for seq, item in batch if isinstance(item, InputError)]
    prepared = prepare_batch([a for _, a in articles], model, base_iri) if articles else []
    good = [p.write for p in prepared if not p.problems]
    shard = write_shard(Path(out), good, str(Iris(base_iri).entities_graph)) if good else None
    for (seq, article), item in zip(articles, prepared, strict=True):
        entries.append(
            ManifestEntry(
                seq=seq,
                origin=article.origin,
                identifier=article.identifier,
                article=item.write.article,
                source_id=article.source_id,
                shard=None if item.problems else shard,
                triples=item.write.triples,
                problems=item.problems,
            )
        )
    return sorted(entries, key=lambda e: e.seq)


def _read_failure(seq: int, error: InputError) -> ManifestEntry:
    return ManifestEntry(seq=seq, origin=error.source, problems=(error.advice,))


@contextlib.contextmanager
def _dask_client(address: str | None, workers: int) -> Iterator[Client]:
    """A Dask client: to the cluster at ``address``, or to local worker processes."""
    from distributed import Client, LocalCluster

    try:
        cluster = (
            None
            if address
            else LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
        )
        client = Client(address, timeout=30) if address else Client(cluster)
    except OSError as exc:
        raise CommuniqueError(
            f"cannot reach the Dask scheduler at {address}: {exc}; "
            "start one with `dask scheduler` (and workers with `dask worker ADDRESS`)"
        ) from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
