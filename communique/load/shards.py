"""Extracted articles on disk, for bulk loading: compressed N-Quads shards and a
manifest of what they hold.

A shard (``shard-<id>.nq.gz``) holds the quads of a batch of articles, one
article after the other in input order: its facts in its named graph, then its
shared actor descriptions in the entities graph. Labels are kept as written
(``rdfs:label``); ``load-shards`` settles them (one label per actor, the others
become ``skos:altLabel``) the way ``load`` does.

The manifest (``manifest.jsonl``) has one line per article: its sequence number
in the input, where it came from, its IRI and content hash, and its shard; or,
for an article that could not be extracted, what was wrong. A shard is written
under a temporary name and renamed once complete, and only then listed in the
manifest: a run that dies leaves at most an unlisted file, and the next run
extracts what the manifest does not list.
"""

from __future__ import annotations

import gzip
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox

from communique.errors import InputError
from communique.loaders.copies import similarity_keys
from communique.loaders.read.article import Article
from communique.rdf import SerializedWrite
from communique.vocab import DIP, RDFS, SCHEMA, XSD

MANIFEST = "manifest.jsonl"
LABEL = f"<{RDFS.label}>"


@dataclass(frozen=True)
class ManifestEntry:
    """One input article: extracted into a shard, or failed with its problems."""

    seq: int
    origin: str
    identifier: str | None = None
    article: str | None = None
    source_id: str | None = None
    shard: str | None = None
    triples: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.shard is not None


def write_shard(folder: Path, writes: list[SerializedWrite], entities_graph: str) -> str:
    """Write the articles' quads to a new shard in ``folder``; its file name."""
    name = f"shard-{uuid.uuid4().hex}.nq.gz"
    tmp = folder / f".{name}.partial"
    entities = ox.NamedNode(entities_graph)
    with gzip.open(tmp, "wb", compresslevel=1) as out:
        for write in writes:
            ox.serialize(_quads(write, entities), out, ox.RdfFormat.N_QUADS)
    os.replace(tmp, folder / name)
    return name


def _quads(write: SerializedWrite, entities: ox.NamedNode) -> Iterator[ox.Quad]:
    """An article's quads: facts in its graph, then descriptions and labels in the
    entities graph. (The write's text is Turtle-compatible N-Triples: rdflib writes
    a literal with a line break in triple quotes.)"""
    article = ox.NamedNode(write.article)
    for triple in ox.parse(write.facts_nt, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, article)
    for triple in ox.parse(write.entities_nt, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, entities)
    labels = "".join(f"{s} {LABEL} {o} .\n" for s, o in write.labels)
    for triple in ox.parse(labels, format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, entities)


# The article node's properties an Article is read back from (rdfmap writes them).
ARTICLE_FIELDS = {
    str(SCHEMA.articleBody): "body",
    str(SCHEMA.headline): "headline",
    str(SCHEMA.identifier): "source_id",
    str(SCHEMA.url): "url",
    str(SCHEMA.publisher): "publisher",
    str(SCHEMA.datePublished): "published",
}
SIMILARITY_KEY = str(DIP.similarityKey)


@dataclass(frozen=True)
class ShardArticle:
    """An article read back from its shard, with its similarity keys: those written
    with it, or computed when its shard was written before articles had them."""

    article: Article
    keys: tuple[str, ...]
    keys_written: bool

    def key_quads(self, iri: str) -> list[ox.Quad]:
        """The keys as the article's own quads, when its shard did not hold them."""
        if self.keys_written:
            return []
        node = ox.NamedNode(iri)
        key = ox.NamedNode(SIMILARITY_KEY)
        return [ox.Quad(node, key, ox.Literal(k), node) for k in self.keys]


def articles_in(quads: Iterable[ox.Quad], origins: dict[str, str]) -> dict[str, ShardArticle]:
    """The articles of a shard's quads, read back from their article nodes, for the
    articles named in ``origins`` (IRI -> where it came from): what
    ``load-shards`` needs to tell a copy (text, headline, address, publisher,
    date, source identifier, similarity keys)."""
    found: dict[str, dict[str, object]] = {iri: {} for iri in origins}
    keys: dict[str, list[str]] = {iri: [] for iri in origins}
    for quad in quads:
        iri = quad.subject.value
        if iri not in found or quad.graph_name != quad.subject:
            continue
        if quad.predicate.value == SIMILARITY_KEY:
            keys[iri].append(quad.object.value)
        elif (name := ARTICLE_FIELDS.get(quad.predicate.value)) is not None:
            found[iri][name] = _value(quad.object)  # type: ignore[arg-type]
    read = {
        iri: Article(origin=origins[iri], **{"body": "", "headline": "", **fields})  # type: ignore[arg-type]
        for iri, fields in found.items()
    }
    return {
        iri: ShardArticle(
            article,
            tuple(keys[iri] or similarity_keys(article.body)),
            keys_written=bool(keys[iri]),
        )
        for iri, article in read.items()
    }


def _value(term: ox.Literal) -> str | date | datetime:
    if term.datatype.value == str(XSD.dateTime):
        return datetime.fromisoformat(term.value)
    if term.datatype.value == str(XSD.date):
        return date.fromisoformat(term.value)
    return term.value


class Manifest:
    """The manifest of a shard folder: read once, appended to line by line."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / MANIFEST
        _drop_torn_tail(self.path)
        self.path.touch()  # an extraction of nothing still leaves a (empty) manifest
        self.entries: list[ManifestEntry] = list(read_manifest(self.folder))

    def extracted(self) -> set[str]:
        """Content hashes of the articles already in a shard (one still there: the
        articles of a shard deleted because it was damaged are extracted again)."""
        listed = {str(e.shard) for e in self.entries if e.ok}
        present = {name for name in listed if (self.folder / name).is_file()}  # once a shard
        return {e.identifier for e in self.entries if e.shard in present and e.identifier}

    def append(self, entries: Iterable[ManifestEntry]) -> None:
        lines = "".join(json.dumps(asdict(e)) + "\n" for e in entries)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(lines)
            out.flush()
            os.fsync(out.fileno())


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line left without its newline by a run that died while writing it,
    so the next line appended starts clean (that article is extracted again)."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as out:
            out.truncate(data.rfind(b"\n") + 1)


def read_manifest(folder: Path) -> Iterator[ManifestEntry]:
    """The manifest's entries; a torn last line (a run killed mid-write) is skipped."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                if line.endswith("\n"):
                    raise InputError(
                        str(path),
                        f"line {number} is not JSON ({exc.msg})",
                        "the manifest was edited by hand? extract again into a new folder",
                    ) from exc
                continue
            data["problems"] = tuple(data.get("problems") or ())
            yield ManifestEntry(**data)


def read_shard(folder: Path, name: str) -> list[ox.Quad]:
    """Every quad of one shard, read whole before anything of it is written (a shard
    cut short or damaged fails here, as a ``ShardError``, not halfway into a
    store), in the shard's order."""
    path = Path(folder) / name
    try:
        with gzip.open(path, "rb") as data:
            return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    except FileNotFoundError as exc:
        raise ShardError(path, "a shard the manifest lists is missing") from exc
    except (OSError, EOFError, SyntaxError, ValueError) as exc:  # gzip's, then N-Quads'
        raise ShardError(path, f"cannot be read ({type(exc).__name__}: {exc})") from exc


class ShardError(Exception):
    """A shard that cannot be loaded, and what to do about it."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"{path}: {problem}; delete it and run `communique extract` again on the same "
            "inputs into this folder: the articles it held are extracted again"
        )
