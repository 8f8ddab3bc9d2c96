"""``communique load-shards``: bulk-load extracted shards into a store.

Shards are loaded in input order (by the manifest's sequence numbers), so the
dataset is the one ``communique load`` of the same articles makes: the same
graphs, and the same label for each actor (the first one met; later different
ones become ``skos:altLabel``).

The bulk path is not transactional per article the way ``load`` is, so it is
made safe by order instead: each shard's quads go in first and the articles'
``rdf:type dip:Article`` triples last, once the rest is durable. An article
counts as stored only when that triple is there; a run that dies is simply run
again (adding a quad twice changes nothing).

Copies are told here, as ``load`` tells them: an article whose story is stored
already, or is an earlier article of these shards, is recorded as one of that
article's sources (after its shard is in) instead of being loaded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from communique.errors import InputError, StoreError
from communique.load.copies import CopyFinder, Match, copies_kept, record_copy
from communique.load.shards import (
    LABEL,
    MANIFEST,
    ManifestEntry,
    ShardError,
    articles_in,
    read_manifest,
    read_shard,
)
from communique.loaders.read.article import Article
from communique.store.base import Store
from communique.vocab import DIP, RDF, SKOS

TYPE = str(RDF.type)
ARTICLE_TYPE = ox.NamedNode(str(DIP.Article))
LABEL_CHUNK = 2_000  # actors per query when settling labels


@dataclass
class ShardLoadReport:
    loaded: int = 0
    unchanged: int = 0
    replaced: int = 0
    copied: int = 0
    failed: list[ManifestEntry] = field(default_factory=list)  # when extracted
    refused: list[ManifestEntry] = field(default_factory=list)  # copies not conforming
    # shards that could not be read (what to do), with the articles they held
    damaged: list[tuple[str, list[ManifestEntry]]] = field(default_factory=list)
    quads: int = 0


def load_shards(
    folder: Path, store: Store, progress: Callable[[int], None] | None = None
) -> ShardLoadReport:
    """Load every shard the manifest in ``folder`` lists, in input order."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise InputError(str(folder), "no manifest.jsonl here", "run `communique extract` first")
    entries = sorted(read_manifest(folder), key=lambda e: e.seq)
    report = ShardLoadReport(failed=_still_failing(entries))
    copies = CopyFinder(store)
    for shard, members in _by_shard(_latest([e for e in entries if e.ok])):
        try:
            quads = read_shard(folder, shard)
        except ShardError as exc:  # this shard's articles fail; the others load
            report.damaged.append((str(exc), members))
        else:
            _load_shard(quads, members, store, copies, report)
        if progress is not None:
            progress(len(members))
    if report.loaded or report.copied:
        store.rebuild_summaries()  # bulk adds skip the per-article bookkeeping
        store.finish_bulk()  # compacting a large store takes a while: only after a change
    return report


def _still_failing(entries: list[ManifestEntry]) -> list[ManifestEntry]:
    """Inputs whose last attempt failed (a later run may have extracted them)."""
    last = {e.origin: e for e in entries}
    return [e for e in last.values() if not e.ok]


def _latest(entries: list[ManifestEntry]) -> list[ManifestEntry]:
    """Each article's last extraction (one whose shard was lost is extracted again,
    into another shard)."""
    last = {e.identifier: e for e in entries}
    return sorted(last.values(), key=lambda e: e.seq)


def _by_shard(entries: list[ManifestEntry]) -> Iterator[tuple[str, list[ManifestEntry]]]:
    """Shards in the order of their first article (batches are runs of the input)."""
    groups: dict[str, list[ManifestEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.shard or "", []).append(entry)
    yield from sorted(groups.items(), key=lambda item: item[1][0].seq)


def _load_shard(
    quads: list[ox.Quad],
    members: list[ManifestEntry],
    store: Store,
    copies: CopyFinder,
    report: ShardLoadReport,
) -> None:
    skip = {e.article for e in members if _already_stored(store, e)}
    report.unchanged += len(skip)
    todo = [e for e in members if e.article not in skip]
    if not todo:
        return
    articles = articles_in(quads, {e.article: e.origin for e in todo if e.article})
    keep: list[ManifestEntry] = []
    copied: list[tuple[ManifestEntry, Article, Match]] = []
    extra: list[ox.Quad] = []  # the copies updated stories keep, keys a shard lacked
    for entry in todo:
        read = articles[entry.article or ""]
        replaced, carried = _remove_earlier_versions(store, entry, read.article)
        report.replaced += replaced
        extra += carried
        # a new version of a stored source replaces it; only a new story may be a copy
        match = None if replaced else copies.match(read.article, read.keys)
        if match is None:
            copies.hold(read.article, entry.article or "")
            keep.append(entry)
        else:
            copied.append((entry, read.article, match))
    if keep:
        extra += [q for e in keep for q in articles[e.article or ""].key_quads(e.article or "")]
        _add_articles(quads, keep, store, report, extra)
    for entry in keep:
        copies.release(articles[entry.article or ""].article)  # the store finds it now
    for entry, article, match in copied:
        _add_copy(store, entry, article, match, report)


def _already_stored(store: Store, entry: ManifestEntry) -> bool:
    """Stored as an article, or recorded as a copy of one."""
    identifier = entry.identifier or ""
    return store.find_article(identifier) is not None or store.find_copy(identifier) is not None


def _add_articles(
    quads: list[ox.Quad],
    entries: list[ManifestEntry],
    store: Store,
    report: ShardLoadReport,
    extra: list[ox.Quad],
) -> None:
    """The entries' quads, then their markers; ``extra``: more of their quads (the
    copies an updated story keeps, similarity keys a shard did not hold)."""
    report.loaded += len(entries)
    wanted = {e.article or "" for e in entries}
    body, labels, markers = _split(quads, wanted, store)
    store.bulk_add(body)
    store.bulk_add(extra)
    _settle_labels(store, labels)
    store.flush()
    store.bulk_add(markers)  # last: the articles now count as stored
    store.flush()
    _check_stored(store, entries)
    store.record_change()
    report.quads += len(body) + len(labels) + len(markers) + len(extra)


def _add_copy(
    store: Store, entry: ManifestEntry, article: Article, match: Match, report: ShardLoadReport
) -> None:
    triples, problems = record_copy(store, match, article)
    if problems:
        report.refused.append(dataclasses.replace(entry, problems=problems))
        return
    report.copied += 1
    report.quads += triples


def _check_stored(store: Store, entries: list[ManifestEntry]) -> None:
    """Make sure the store holds what was sent: an engine may accept an upload
    (200) and keep nothing, and a load must not report articles it lost."""
    values = " ".join(f"<{e.article}>" for e in entries)
    rows = store.select(
        f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?a {{ {values} }} "
        "GRAPH ?a { ?a a dip:Article } }"
    )
    if int(rows[0]["n"]) != len(entries):
        raise StoreError(
            f"{store.description} accepted the upload of {len(entries)} articles but holds "
            f"{rows[0]['n']} of them; check the Graph Store endpoint (--store-gsp-url)"
        )


def _split(
    quads: list[ox.Quad], wanted: set[str], store: Store
) -> tuple[list[ox.Quad], list[ox.Quad], list[ox.Quad]]:
    """A shard's quads for the wanted articles (IRIs): plain quads, labels, article
    markers. An article's descriptions of its actors follow its own graph's
    quads; those of an article not wanted (stored already, or a copy) are left
    out with it."""
    entities = str(store.iris.entities_graph)
    body, labels, markers = [], [], []
    article = ""
    for quad in quads:
        graph = quad.graph_name.value  # type: ignore[union-attr]
        if graph != entities:
            article = graph
        if article not in wanted:
            continue
        predicate = quad.predicate.value
        if predicate == RDF_LABEL and graph == entities:
            labels.append(quad)
        elif predicate == TYPE and quad.object == ARTICLE_TYPE and quad.subject.value == graph:
            markers.append(quad)
        else:
            body.append(quad)
    return body, labels, markers


def _remove_earlier_versions(
    store: Store, entry: ManifestEntry, article: Article
) -> tuple[int, list[ox.Quad]]:
    """Drop stored articles with the same source identifier but other text: 1 if
    any, and the copies of the story the new version keeps (``copies_kept``), as
    its quads."""
    if not entry.source_id:
        return 0, []
    earlier = [a.iri for a in store.articles_with_source_id(entry.source_id)]
    earlier = [iri for iri in earlier if iri != entry.article]
    kept = copies_kept(store, article, earlier)
    carried = [q for iri in kept for q in store.copy_quads(iri, entry.article or "")]
    for iri in earlier:
        store.remove_article(iri)
    return (1 if earlier else 0), carried


def _settle_labels(store: Store, labels: Iterable[ox.Quad]) -> None:
    """One rdfs:label per actor (the stored one, else the first met); every other
    name becomes a skos:altLabel, as ``load`` does article by article."""
    names: dict[ox.NamedNode, list[ox.Literal]] = {}
    for quad in labels:
        names.setdefault(quad.subject, []).append(quad.object)  # type: ignore[arg-type]
    graph = ox.NamedNode(str(store.iris.entities_graph))
    actors = list(names)
    for start in range(0, len(actors), LABEL_CHUNK):
        chunk = actors[start : start + LABEL_CHUNK]
        stored = _stored_labels(store, chunk)
        quads = []
        for actor in chunk:
            label = stored.get(actor.value) or names[actor][0]
            if actor.value not in stored:
                quads.append(ox.Quad(actor, ox.NamedNode(str(RDF_LABEL)), label, graph))
            quads.extend(
                ox.Quad(actor, ox.NamedNode(str(SKOS.altLabel)), other, graph)
                for other in dict.fromkeys(names[actor])
                if other != label
            )
        store.bulk_add(quads)


RDF_LABEL = LABEL.strip("<>")


def _stored_labels(store: Store, actors: list[ox.NamedNode]) -> dict[str, ox.Literal]:
    values = " ".join(str(a) for a in actors)
    results = store.query(
        f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} "
        f"GRAPH <{store.iris.entities_graph}> {{ ?x <{RDF_LABEL}> ?l }} }}"
    )
    return {row["x"].value: row["l"] for row in results}
