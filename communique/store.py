"""The embedded Oxigraph store: the only module that opens it.

Layout of the dataset:
- one named graph per article (its IRI is the article IRI) with the facts
  extracted from it;
- ``<base>graph/entities``: shared descriptions of actors (types, labels,
  alternative names, sameAs);
- ``<base>graph/ontology``: the diplomacy ontology, so that
  ``rdfs:subClassOf*`` works in queries.

SPARQL's default graph is the union of all named graphs. Writes of one
article happen in one SPARQL Update, which Oxigraph applies as one
transaction: a reader sees the whole article or none of it.

A writer holds the store's lock; a server opens the store read-only beside it
and reopens its view when the writer records a change in the state file
(``communique-state.json`` in the store folder), so new articles show up
without a restart.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from communique.errors import QueryError, StoreError
from communique.triples import Triple
from communique.vocab import RDFS, SKOS, Iris, sparql_prefixes

if TYPE_CHECKING:
    from communique.remote_store import RemoteEndpoints
    from communique.settings import Settings

    Location = Path | RemoteEndpoints

STATE_FILE = "communique-state.json"
UNNOTED_FILE = "communique-state.unnoted"  # see Store.changes_noted_once
ONTOLOGY_RESOURCE = "communique.ttl"


@dataclass(frozen=True)
class StoredArticle:
    """What the store knows of an article without reading its graph."""

    iri: str
    identifier: str  # dct:identifier, sha256 of the body
    source_id: str | None  # schema:identifier


@dataclass(frozen=True)
class ArticleWrite:
    """One article's triples, split by the graph they belong in."""

    article: URIRef
    facts: Iterable[Triple]  # goes into the article's named graph (a Triples or a Graph)
    entities: Iterable[Triple]  # shared actor descriptions, merged into the entities graph
    replaces: tuple[str, ...] = ()  # article IRIs this one supersedes


@dataclass(frozen=True)
class SerializedWrite:
    """An article's write as text, ready for one SPARQL Update and cheap to send
    between processes: the facts and the shared descriptions as N-Triples, and the
    labels apart (a label is only added when the actor has none yet)."""

    article: str
    facts_nt: str
    entities_nt: str
    labels: tuple[tuple[str, str], ...] = ()
    replaces: tuple[str, ...] = ()
    triples: int = 0


def serialize_write(write: ArticleWrite | SerializedWrite) -> SerializedWrite:
    if isinstance(write, SerializedWrite):
        return write
    plain = []
    labels = []
    for s, p, o in write.entities:
        if p == RDFS.label:
            labels.append((s.n3(), o.n3()))
        else:
            plain.append((s, p, o))
    facts = list(write.facts)
    return SerializedWrite(
        str(write.article),
        _ntriples(facts),
        _ntriples(plain),
        tuple(sorted(labels)),
        tuple(write.replaces),
        len(facts) + len(plain) + len(labels),
    )


def ontology_turtle() -> bytes:
    return resources.files("communique.ontology").joinpath(ONTOLOGY_RESOURCE).read_bytes()


class Store:
    """The interface every store behind communique offers: SPARQL over a dataset
    with one named graph per article, plus the few things SPARQL cannot say
    (change tracking, whole-dataset streams).

    Subclasses give the primitives (``query``, ``update``, ``contains_graph``,
    ``quad_count``, ``all_quads``, ``dump``, ``state``, ``_write_change``); what
    loading, serving and the CLI need is built here on top of them, so it works
    the same on every engine.
    """

    iris: Iris
    read_only: bool
    # Whether a reader sees new data only once ``state()`` shows its change, so that
    # an answer can be cached by generation (an external store's data is live and
    # its state is re-read at most once a second: not there).
    answers_follow_state = False
    _deferring = False  # inside changes_noted_once
    _deferred = False  # a change happened inside it, not yet noted

    # ------------------------------------------------------------------ primitives
    @property
    def location(self) -> Location:
        """What another process needs to open the same store."""
        raise NotImplementedError

    @property
    def description(self) -> str:
        """Where the store is, for messages."""
        raise NotImplementedError

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a SPARQL query over the union of all graphs (unless a dataset is given).

        Options as pyoxigraph's ``Store.query``: ``prefixes``, ``default_graph``,
        ``named_graphs``. Results are pyoxigraph's result objects (or, for graphs,
        an iterable of ``Triple``: see ``querying.is_graph_result``).
        """
        raise NotImplementedError

    def stream_query(self, sparql: str, media_type: str, **options: Any) -> Iterator[bytes] | None:
        """The engine's own serialization of the results, where it has one worth
        passing on as it is; None to have communique serialize them."""
        return None

    def update(self, sparql: str) -> None:
        """Apply a SPARQL Update (one request: one transaction where the engine allows)."""
        raise NotImplementedError

    def contains_graph(self, iri: str) -> bool:
        raise NotImplementedError

    def quad_count(self) -> int:
        raise NotImplementedError

    def all_quads(self) -> Iterator[ox.Quad]:
        """Every quad of every named graph, streamed."""
        raise NotImplementedError

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Write the whole dataset (named graphs kept) to a binary stream."""
        ox.serialize(self.all_quads(), output, fmt)

    def state(self) -> dict[str, Any]:
        """The last change (``last_modified``, ISO time) and a ``generation`` counter."""
        raise NotImplementedError

    def record_change(self) -> None:
        """Note that a write landed, so readers and caches see it (inside
        ``changes_noted_once``: when the block ends)."""
        if self._deferring:
            if not self._deferred:
                self._deferred = True
                self._mark_unnoted()
            return
        self._write_change()

    @contextlib.contextmanager
    def changes_noted_once(self) -> Iterator[None]:
        """Writes inside the block note one change, when it ends: readers catch up
        with a batch of articles at once (each article still whole, in its own
        transaction), and the change record is written once instead of once an
        article (a file rename each on disk, an update each on a SPARQL server)."""
        if self._deferring:
            yield
            return
        self._deferring, self._deferred = True, False
        try:
            yield
        finally:
            self._deferring = False
            if self._deferred:
                self._deferred = False
                self._write_change()
                self._clear_unnoted()

    def _write_change(self) -> None:
        """Count a change up in the change record."""
        raise NotImplementedError

    def _mark_unnoted(self) -> None:
        """Leave a trace that writes landed without a change noted (a loader killed
        inside ``changes_noted_once``), for the next writer to note."""

    def _clear_unnoted(self) -> None:
        """The change is noted: remove the trace."""

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        """Add many quads fast, without a transaction (``load-shards``)."""
        raise NotImplementedError

    def finish_bulk(self) -> None:
        """Ready the store for queries after bulk adds."""

    def refresh(self) -> None:
        """Catch up with writes made by other processes (where the engine needs it)."""

    def forget_state(self) -> None:
        """Drop any cached ``state()``: a write was just made beside this store."""

    def flush(self) -> None:
        """Make the writes so far durable and release write buffers."""

    def close(self) -> None:
        """Release what the store holds open."""

    def writable(self) -> Store:
        """A store opened for writing on the same data (close it when done)."""
        return open_location(self.location, self.iris)

    # ------------------------------------------------------------------ reading
    def select(self, sparql: str) -> list[dict[str, Any]]:
        """A SELECT as a list of {variable: python value} rows (prefixes added)."""
        results = self.query(sparql_prefixes() + sparql)
        names = [v.value for v in results.variables]
        return [{name: _python_value(row[name]) for name in names} for row in results]

    def find_article(self, identifier: str) -> StoredArticle | None:
        """An article by its content hash (dct:identifier)."""
        rows = self.select(
            f"""SELECT ?a ?src WHERE {{ GRAPH ?a {{ ?a a dip:Article ;
                 dct:identifier {Literal(identifier).n3()} .
                 OPTIONAL {{ ?a schema:identifier ?src }} }} }} LIMIT 1"""
        )
        return _stored(rows[0], identifier) if rows else None

    def articles_with_source_id(self, source_id: str) -> list[StoredArticle]:
        rows = self.select(
            f"""SELECT ?a ?h WHERE {{ GRAPH ?a {{ ?a a dip:Article ;
                 schema:identifier {Literal(source_id).n3()} ; dct:identifier ?h }} }}"""
        )
        return [StoredArticle(str(r["a"]), str(r["h"]), source_id) for r in rows]

    def resolve_article(self, ref: str) -> list[str]:
        """Article IRIs matching an IRI, a hash (prefix) or a source identifier."""
        ref_lit = Literal(ref).n3()
        rows = self.select(
            f"""SELECT DISTINCT ?a WHERE {{ GRAPH ?a {{ ?a a dip:Article ;
                 dct:identifier ?h . OPTIONAL {{ ?a schema:identifier ?src }} }}
               FILTER(STR(?a) = {ref_lit} || STRSTARTS(?h, LCASE({ref_lit}))
                      || ?src = {ref_lit}) }}"""
        )
        return sorted(str(r["a"]) for r in rows)

    def counts(self) -> dict[str, int]:
        """How many articles, actors, events, statements and quads the store holds."""
        row = self.select(
            """SELECT
                 (COUNT(DISTINCT ?article) AS ?articles)
               WHERE { GRAPH ?article { ?article a dip:Article } }"""
        )[0]
        counts = {"articles": int(row["articles"])}
        for name, cls in (("actors", "Actor"), ("events", "Event"), ("statements", "Statement")):
            counts[name] = self._count_instances(cls)
        counts["quads"] = self.quad_count()
        return counts

    def _count_instances(self, cls: str) -> int:
        rows = self.select(
            f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{
                  ?x a ?c . ?c rdfs:subClassOf* dip:{cls} }}"""
        )
        return int(rows[0]["n"])

    def article_sources(self) -> list[tuple[str, str]]:
        """(article IRI, source file) for every article loaded from a file."""
        rows = self.select("""SELECT ?a ?file WHERE { GRAPH ?a {
            ?a a dip:Article ; dip:sourceFile ?file } }""")
        return [(str(r["a"]), str(r["file"])) for r in rows]

    # ------------------------------------------------------------------ writing
    def write_article(self, write: ArticleWrite | SerializedWrite) -> None:
        """Replace the article's named graph and merge its entity descriptions, atomically.

        Actors that only the replaced version mentioned lose their shared
        description in the same transaction.
        """
        self._require_writable()
        write = serialize_write(write)
        old = [g for g in (*write.replaces, write.article) if self.contains_graph(g)]
        update = article_update(write, self.iris) + orphan_cleanup(
            self._described_in(old), self.iris
        )
        self.update(sparql_prefixes() + update)
        self.record_change()

    def remove_article(self, article_iri: str) -> bool:
        """Drop an article's graph, and the shared description of every actor that no
        other article mentions, in one transaction; False when there was no such graph."""
        self._require_writable()
        if not self.contains_graph(article_iri):
            return False
        candidates = self._described_in([article_iri])
        # SILENT: Virtuoso refuses to DROP a graph it did not see created
        update = f"DROP SILENT GRAPH <{article_iri}>" + orphan_cleanup(candidates, self.iris)
        self.update(sparql_prefixes() + update)
        self.record_change()
        return True

    def _described_in(self, graphs: list[str]) -> list[str]:
        """Actors mentioned and things used (weapons) in these article graphs."""
        if not graphs:
            return []
        values = " ".join(f"<{g}>" for g in graphs)
        rows = self.select(f"""SELECT DISTINCT ?x WHERE {{ VALUES ?g {{ {values} }}
            GRAPH ?g {{ {{ ?x dip:mentionedAs ?m }} UNION {{ ?e schema:object ?x }} }} }}""")
        return [str(r["x"]) for r in rows]

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.description}: opened read-only")

    def _ensure_ontology(self) -> None:
        """Put the current ontology in its graph, replacing an older one."""
        graph = str(self.iris.ontology_graph)
        wanted = {
            (t.subject, t.predicate, t.object)
            for t in ox.parse(ontology_turtle(), format=ox.RdfFormat.TURTLE)
        }
        present = {
            (t.subject, t.predicate, t.object)
            for t in self.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )
        }
        if present != wanted:
            data = "".join(f"{s} {p} {o} .\n" for s, p, o in wanted)
            self.update(
                f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{data}}} }}"
            )
            self.record_change()


class EmbeddedStore(Store):
    """A communique dataset in an embedded Oxigraph store on disk (the default)."""

    answers_follow_state = True  # read-only views reopen when the state file changes

    def __init__(self, path: Path, iris: Iris, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.iris = iris
        self.read_only = read_only
        self._lock = threading.Lock()
        self._state_seen: float | None = None
        self._state_cache: tuple[float | None, dict[str, Any]] | None = None
        self._written_entities: set[str] = set()  # see _unwritten
        self._labels_held: dict[Any, list[Any]] = {}  # see _label_triples
        self._ox = self._open()
        if not read_only:
            self._ensure_ontology()
            self._note_earlier_writes()

    @property
    def location(self) -> Location:
        return self.path

    @property
    def description(self) -> str:
        return str(self.path)

    # ------------------------------------------------------------------ opening
    def _open(self) -> ox.Store:
        try:
            if self.read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no store here yet; run `communique load` first")
                self._state_seen = self._state_mtime()
                return _open_read_only(self.path)
            self.path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    @classmethod
    def create_if_missing(cls, path: Path, iris: Iris) -> None:
        """Initialise an empty store (with the ontology) so readers can open it."""
        if not (Path(path) / "CURRENT").exists():
            store = cls(path, iris)
            store.close()

    def close(self) -> None:
        with self._lock:
            if self._ox is not None and not self.read_only:
                self._ox.flush()
            self._ox = None  # pyoxigraph closes the store when the object goes

    def _state_mtime(self) -> float | None:
        try:
            return (self.path / STATE_FILE).stat().st_mtime_ns / 1e9
        except FileNotFoundError:
            return None

    def refresh(self) -> None:
        """Reopen a read-only view if a writer has recorded a change since."""
        if not self.read_only:
            return
        current = self._state_mtime()
        if current != self._state_seen:
            with self._lock:
                try:
                    self._ox = _open_read_only(self.path)
                except OSError:
                    return  # keep the previous view; the next request tries again
                self._state_seen = current

    @property
    def oxigraph(self) -> ox.Store:
        if self._ox is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._ox

    # ------------------------------------------------------------------ state
    def state(self) -> dict[str, Any]:
        """The state file (last change, generation), read again only when it changed."""
        mtime = self._state_mtime()
        cached = self._state_cache
        if cached is not None and cached[0] == mtime and mtime is not None:
            return dict(cached[1])
        try:
            state = json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            state = {}
        self._state_cache = (mtime, state)
        return dict(state)

    def _write_change(self) -> None:
        """Tell read-only views a write landed (atomic rename of the state file)."""
        state = next_state(self.state())
        tmp = self.path / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.path / STATE_FILE)

    def _mark_unnoted(self) -> None:
        (self.path / UNNOTED_FILE).touch()

    def _clear_unnoted(self) -> None:
        (self.path / UNNOTED_FILE).unlink(missing_ok=True)

    def _note_earlier_writes(self) -> None:
        """A writer killed inside ``changes_noted_once`` left articles no reader was
        told about: tell them now."""
        if (self.path / UNNOTED_FILE).exists():
            self._write_change()
            self._clear_unnoted()

    # ------------------------------------------------------------------ writing
    def write_article(self, write: ArticleWrite | SerializedWrite) -> None:
        """As ``Store.write_article``; a new article (the usual case of a load) is
        loaded as one TriG document instead, in one transaction, its labels settled
        first by reading the store: the update's two label operations cost a third
        of a write. Only this process can write the store (RocksDB's lock), so what
        it read cannot change before it writes."""
        write = serialize_write(write)
        if any(self.contains_graph(g) for g in (*write.replaces, write.article)):
            super().write_article(write)  # a replacement: drops and cleanup in SPARQL
            return
        self._require_writable()
        entities = self._unwritten(write.entities_nt)
        labels, new_labels = self._label_triples(write)
        document = (
            f"<{write.article}> {{\n{write.facts_nt}}}\n"
            f"<{self.iris.entities_graph}> {{\n{''.join(entities)}{''.join(labels)}}}\n"
        )
        try:
            self.oxigraph.load(document, format=ox.RdfFormat.TRIG)
        except SyntaxError as exc:
            raise QueryError(f"{write.article}: {exc}") from exc
        self._written_entities.update(entities)
        self._labels_held.update(new_labels)
        self.record_change()

    def _unwritten(self, entities_nt: str) -> list[str]:
        """The entity description lines this store object has not written yet. A load
        names the same actors article after article, and writing a triple again
        changes nothing but costs RocksDB as much as a new one (a sixth of an
        article's quads). Forgotten whenever a SPARQL update runs, which may delete."""
        if '"""' in entities_nt:  # a literal over several lines: no line-by-line view
            return [entities_nt]
        lines = entities_nt.splitlines(keepends=True)
        return [line for line in lines if line not in self._written_entities]

    def _label_triples(self, write: SerializedWrite) -> tuple[list[str], dict[Any, list[Any]]]:
        """The write's labels as they will be stored (the rdfs:label of an actor
        without one, a skos:altLabel when the actor's label is different), and the
        new preferred labels, for the caller to remember once they are written.
        What the store holds is read once per actor and then remembered: a load
        names the same actors again and again."""
        entities = ox.NamedNode(str(self.iris.entities_graph))
        label = ox.NamedNode(str(RDFS.label))
        pairs = "".join(f"{s} {label} {o} .\n" for s, o in write.labels)
        lines: list[str] = []
        new_labels: dict[Any, list[Any]] = {}
        for triple in ox.parse(pairs, format=ox.RdfFormat.TURTLE):
            held_labels = new_labels.get(triple.subject) or self._labels_held.get(triple.subject)
            if held_labels is None:
                held = self.oxigraph.quads_for_pattern(triple.subject, label, None, entities)
                held_labels = self._labels_held[triple.subject] = [q.object for q in held]
            if not held_labels:
                lines.append(f"{triple} .\n")
                new_labels[triple.subject] = [triple.object]
            elif triple.object not in held_labels:
                lines.append(f"{triple.subject} <{SKOS.altLabel}> {triple.object} .\n")
        return lines, new_labels

    # ------------------------------------------------------------------ primitives
    def query(self, sparql: str, **options: Any) -> Any:
        self.refresh()
        if "default_graph" not in options:
            options["use_default_graph_as_union"] = True
        try:
            return self.oxigraph.query(sparql, **options)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def update(self, sparql: str) -> None:
        self._require_writable()
        self._forget_written()
        try:
            self.oxigraph.update(sparql)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def contains_graph(self, iri: str) -> bool:
        self.refresh()
        return self.oxigraph.contains_named_graph(ox.NamedNode(iri))

    def quad_count(self) -> int:
        self.refresh()
        return len(self.oxigraph)

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        self.refresh()
        self.oxigraph.dump(output, fmt)

    def all_quads(self) -> Iterator[ox.Quad]:
        self.refresh()
        return iter(self.oxigraph)

    def flush(self) -> None:
        if not self.read_only:
            self.oxigraph.flush()

    def bulk_add(self, quads: Iterable[ox.Quad]) -> None:
        self._require_writable()
        self._forget_written()
        self.oxigraph.bulk_extend(quads)

    def _forget_written(self) -> None:
        """Drop what this object remembers of the store's entity descriptions: an
        update may delete them, a bulk load add labels."""
        self._written_entities.clear()
        self._labels_held.clear()

    def finish_bulk(self) -> None:
        # Measured: a store written by the bulk loader answers queries 3-16x slower
        # until it is compacted.
        self.oxigraph.optimize()


def next_state(state: dict[str, Any]) -> dict[str, Any]:
    """The state after one more change."""
    return {**state, "last_modified": now_iso(), "generation": int(state.get("generation", 0)) + 1}


def now_iso() -> str:
    """The time of a change as the state records it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _open_read_only(path: Path, attempts: int = 20) -> ox.Store:
    """Open a read-only view beside a writer.

    While the writer compacts, the view's first read of the manifest can name
    a file that has just been removed, and RocksDB reports "Corruption". That
    is a race, not damage: trying again a moment later succeeds.
    """
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == attempts - 1:
                raise OSError(f"cannot open a read-only view of {path}: {exc}") from exc
            time.sleep(0.05)
    raise AssertionError("unreachable")


def article_update(write: SerializedWrite, iris: Iris) -> str:
    """The SPARQL Update that stores one article in one transaction.

    Labels need care: an actor has exactly one rdfs:label in the union graph,
    so a label is only added when the actor has none yet; a different label
    seen later becomes a skos:altLabel.
    """
    entities = f"<{iris.entities_graph}>"
    ops = [f"DROP SILENT GRAPH <{iri}>" for iri in (*write.replaces, write.article)]
    ops.append(
        "INSERT DATA {\n"
        f"GRAPH <{write.article}> {{\n{write.facts_nt}}}\n"
        f"GRAPH {entities} {{\n{write.entities_nt}}}\n}}"
    )
    if write.labels:
        values = " ".join(f"({s} {o})" for s, o in write.labels)
        ops.append(
            f"INSERT {{ GRAPH {entities} {{ ?x rdfs:label ?l }} }} WHERE {{ VALUES (?x ?l) "
            f"{{ {values} }} FILTER NOT EXISTS {{ GRAPH {entities} {{ ?x rdfs:label ?any }} }} }}"
        )
        ops.append(
            f"INSERT {{ GRAPH {entities} {{ ?x skos:altLabel ?l }} }} WHERE {{ VALUES (?x ?l) "
            f"{{ {values} }} GRAPH {entities} {{ ?x rdfs:label ?old }} FILTER(?old != ?l) }}"
        )
    return " ;\n".join(ops)


def orphan_cleanup(candidates: list[str], iris: Iris) -> str:
    """An update operation deleting the shared description of each candidate that
    no article mentions (or uses) any more; empty when there are no candidates."""
    if not candidates:
        return ""
    entities = f"<{iris.entities_graph}>"
    values = " ".join(f"<{c}>" for c in sorted(candidates))
    return (
        f" ;\nDELETE {{ GRAPH {entities} {{ ?x ?p ?o }} }} WHERE {{ VALUES ?x {{ {values} }} "
        f"GRAPH {entities} {{ ?x ?p ?o }} "
        "FILTER NOT EXISTS { GRAPH ?g { ?x dip:mentionedAs ?m } } "
        "FILTER NOT EXISTS { GRAPH ?h { ?e schema:object ?x } } }"
    )


def _ntriples(triples: Iterable[Triple]) -> str:
    """The triples as N-Triples-like text (Turtle escapes in long literals). An IRI's
    text is made once per call: rdflib checks the IRI again on every ``n3()``, and
    an article names the same predicates and actors hundreds of times."""
    iris: dict[Node, str] = {}

    def text(term: Node) -> str:
        if not isinstance(term, URIRef):
            return term.n3()
        made = iris.get(term)
        if made is None:
            made = iris[term] = term.n3()
        return made

    return "".join(f"{text(s)} {text(p)} {text(o)} .\n" for s, p, o in triples)


def _stored(row: dict[str, Any], identifier: str) -> StoredArticle:
    src = row.get("src")
    return StoredArticle(str(row["a"]), identifier, str(src) if src is not None else None)


def _python_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        return term.value
    return term.value


def open_location(location: Location, iris: Iris, *, read_only: bool = False) -> Store:
    """Open the store at a location: a folder (embedded) or a SPARQL service."""
    from communique.remote_store import RemoteEndpoints, RemoteStore

    if isinstance(location, RemoteEndpoints):
        return RemoteStore(location, iris, read_only=read_only)
    if read_only:
        EmbeddedStore.create_if_missing(Path(location), iris)
    return EmbeddedStore(Path(location), iris, read_only=read_only)


def location_from_settings(settings: Settings) -> Location:
    """The folder, or the endpoints of the SPARQL service, the settings name."""
    from communique.remote_store import RemoteEndpoints, is_service_address

    if is_service_address(str(settings.store)):
        return RemoteEndpoints.from_settings(settings)
    return Path(settings.store)


def open_from_settings(settings: Settings, *, read_only: bool = False) -> Store:
    return open_location(
        location_from_settings(settings), Iris(settings.base_iri), read_only=read_only
    )


@contextlib.contextmanager
def open_store(location: Location, iris: Iris, *, read_only: bool = False) -> Iterator[Store]:
    """Open the store for the length of a with-block."""
    store = open_location(location, iris, read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def quads_to_graph(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib graph of the quads' triples (graph names dropped), for pyshacl."""
    graph = Graph()
    data = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    graph.parse(data=data, format="nt")
    return graph
