"""The embedded Oxigraph store on disk: the default engine.

A writer holds the store's lock; a server opens the store read-only beside it
and reopens its view when the writer records a change in the state file
(``communique-state.json`` in the store folder), so new articles show up
without a restart.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from communique.errors import QueryError, StoreError
from communique.rdf import ArticleWrite, SerializedWrite, serialize_write
from communique.sparql_text import with_values
from communique.store import summaries, text_index
from communique.store.base import Store
from communique.store.updates import next_state
from communique.vocab import RDFS, SKOS, Iris, sparql_prefixes

STATE_FILE = "communique-state.json"
UNNOTED_FILE = "communique-state.unnoted"  # see Store.changes_noted_once


class EmbeddedStore(Store):
    """A communique dataset in an embedded Oxigraph store on disk (the default)."""

    answers_follow_state = True  # read-only views reopen when the state file changes
    computes_here = True  # the engine runs in this process

    def __init__(self, path: Path, iris: Iris, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.iris = iris
        self.read_only = read_only
        self._lock = threading.Lock()
        self._state_seen: float | None = None
        self._state_cache: tuple[float | None, dict[str, Any]] | None = None
        self._written_entities: set[str] = set()  # see _unwritten
        self._labels_held: dict[Any, list[Any]] = {}  # see _label_triples
        self._counts_held: dict[str, dict[str, int]] = {}  # see _held
        self._ox = self._open()
        if not read_only:
            self._ensure_ontology()
            self._ensure_summaries()
            self._note_earlier_writes()

    @property
    def location(self) -> Path:
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

    def writable(self) -> EmbeddedStore:
        return EmbeddedStore(self.path, self.iris)

    @classmethod
    def create_if_missing(cls, path: Path, iris: Iris) -> None:
        """Initialise an empty store (with the ontology) so readers can open it."""
        if not (Path(path) / "CURRENT").exists():
            store = cls(path, iris)
            store.close()

    def text_index_path(self) -> Path:
        return self.path / text_index.FILE_NAME

    def close(self) -> None:
        self._close_texts()
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
        written by a leaner update, its labels settled first by reading the store:
        the update's two label operations cost a third of a write. Only this
        process can write the store (RocksDB's lock), so what it read cannot
        change before it writes."""
        write = serialize_write(write)
        if any(self.contains_graph(g) for g in (*write.replaces, write.article)):
            super().write_article(write)  # a replacement: drops and cleanup in SPARQL
            return
        self._require_writable()
        self._texts_before_writing()
        entities = self._unwritten(write.entities_nt)
        labels, new_labels = self._label_triples(write)
        changes = summaries.deltas([], [self._part_of(write)])
        counts = self._held(list(changes))
        deleted, inserted = summaries.data_change(changes, lambda _cells: counts)
        update = (  # one INSERT DATA: each operation has a cost of its own
            f"INSERT DATA {{ GRAPH <{write.article}> {{\n{write.facts_nt}}}\n"
            f"GRAPH <{self.iris.entities_graph}> {{\n{''.join(entities)}{''.join(labels)}}}\n"
            f"GRAPH <{self.iris.summary_graph}> {{\n{inserted}}} }}"
        )
        if deleted:
            update = (
                f"DELETE DATA {{ GRAPH <{self.iris.summary_graph}> {{\n{deleted}}} }} ;\n{update}"
            )
        try:  # not self.update: nothing here deletes what _unwritten remembers
            self.oxigraph.update(sparql_prefixes() + update)
        except (SyntaxError, RuntimeError) as exc:
            raise QueryError(f"{write.article}: {exc}") from exc
        self._written_entities.update(entities)
        self._labels_held.update(new_labels)
        self._counts_held.update(summaries.counts_after(changes, counts))
        self._index_texts(write, [])
        self.record_change()

    def _summary_ops(self, changes: summaries.Deltas) -> list[str]:
        # Only this process writes (RocksDB's lock): the counts read now are the
        # counts the update changes, so plain data operations will do.
        deleted, inserted = summaries.data_change(changes, self._held)
        graph = f"<{self.iris.summary_graph}>"
        ops = [f"DELETE DATA {{ GRAPH {graph} {{\n{deleted}}} }}"] if deleted else []
        return ops + ([f"INSERT DATA {{ GRAPH {graph} {{\n{inserted}}} }}"] if inserted else [])

    def _held(self, cells: list[str]) -> dict[tuple[str, str], int]:
        """The stored counts of these summary cells, by (cell, measure name): read
        by index, a cell at a time (a query naming them all is ten times slower),
        and remembered as this object writes them: an article's cells (the
        totals, its countries' months) are mostly the cells of the one before."""
        graph = ox.NamedNode(str(self.iris.summary_graph))
        measures = {summaries.expand(name): name for name in summaries.measure_names()}
        counts = {}
        for cell in cells:
            held = self._counts_held.get(cell)
            if held is None:
                held = self._counts_held[cell] = {}
                for quad in self.oxigraph.quads_for_pattern(ox.NamedNode(cell), None, None, graph):
                    name = measures.get(quad.predicate.value)
                    if name is not None:
                        held[name] = int(quad.object.value)
            counts.update(((cell, name), count) for name, count in held.items())
        return counts

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
        bindings = options.pop("substitutions", None)
        if bindings:
            # A VALUES block written by pyoxigraph (each term whole, never request
            # text), as on a SPARQL service: Oxigraph plans a query with it first,
            # while pyoxigraph's own substitutions reach the query only after it is
            # planned. Measured: 0.007 s against 0.17 s for a country's months on a
            # store of 2,000 articles.
            sparql = with_values(sparql, bindings)
        if "default_graph" not in options:
            options["use_default_graph_as_union"] = True
        try:
            return self.oxigraph.query(sparql, **options)
        except (SyntaxError, RuntimeError) as exc:  # RuntimeError: a binding it cannot apply
            raise QueryError(str(exc)) from exc

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._require_writable()
        self._forget_written()
        try:
            self.oxigraph.update(sparql, base_iri=base_iri)
        except (SyntaxError, RuntimeError) as exc:  # RuntimeError: "the graph does not exist"
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
        self._close_texts()
        self._texts = False  # articles come without their texts indexed: rebuilt apart
        self.oxigraph.bulk_extend(quads)

    def _forget_written(self) -> None:
        """Drop what this object remembers of the store's entity descriptions and
        summary counts: an update may delete them, a bulk load add labels."""
        self._written_entities.clear()
        self._labels_held.clear()
        self._counts_held.clear()

    def finish_bulk(self) -> None:
        # Measured: a store written by the bulk loader answers queries 3-16x slower
        # until it is compacted.
        self.oxigraph.optimize()


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
