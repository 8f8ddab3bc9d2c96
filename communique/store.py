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
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from communique.errors import QueryError, StoreError
from communique.vocab import RDFS, Iris, sparql_prefixes

STATE_FILE = "communique-state.json"
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
    facts: Graph  # goes into the article's named graph
    entities: Graph  # shared actor descriptions, merged into the entities graph
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
    plain = Graph()
    labels = []
    for s, p, o in write.entities:
        if p == RDFS.label:
            labels.append((s.n3(), o.n3()))
        else:
            plain.add((s, p, o))
    return SerializedWrite(
        str(write.article),
        _ntriples(write.facts),
        _ntriples(plain),
        tuple(sorted(labels)),
        tuple(write.replaces),
        len(write.facts) + len(write.entities),
    )


def ontology_turtle() -> bytes:
    return resources.files("communique.ontology").joinpath(ONTOLOGY_RESOURCE).read_bytes()


class Store:
    """A communique dataset in an embedded Oxigraph store on disk."""

    def __init__(self, path: Path, iris: Iris, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.iris = iris
        self.read_only = read_only
        self._lock = threading.Lock()
        self._state_seen: float | None = None
        self._state_cache: tuple[float | None, dict[str, Any]] | None = None
        self._ox = self._open()
        if not read_only:
            self._ensure_ontology()

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

    def record_change(self) -> None:
        """Tell read-only views a write landed (atomic rename of the state file)."""
        state = self.state()
        state["last_modified"] = datetime.now(UTC).isoformat(timespec="seconds")
        state["generation"] = int(state.get("generation", 0)) + 1
        tmp = self.path / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.path / STATE_FILE)

    # ------------------------------------------------------------------ ontology
    def _ensure_ontology(self) -> None:
        graph = ox.NamedNode(str(self.iris.ontology_graph))
        wanted = {
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(ontology_turtle(), format=ox.RdfFormat.TURTLE)
        }
        present = set(self.oxigraph.quads_for_pattern(None, None, None, graph))
        if present != wanted:
            self.oxigraph.remove_graph(graph) if present else None
            self.oxigraph.extend(wanted)
            self.record_change()

    # ------------------------------------------------------------------ reading
    def query(self, sparql: str, **options: Any) -> Any:
        """Run a SPARQL query over the union of all graphs (unless a dataset is given)."""
        self.refresh()
        if "default_graph" not in options:
            options["use_default_graph_as_union"] = True
        try:
            return self.oxigraph.query(sparql, **options)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """A SELECT as a list of {variable: python value} rows (prefixes added)."""
        results = self.query(sparql_prefixes() + sparql)
        names = [v.value for v in results.variables]
        return [{name: _python_value(row[name]) for name in names} for row in results]

    def contains_graph(self, iri: str) -> bool:
        self.refresh()
        return self.oxigraph.contains_named_graph(ox.NamedNode(iri))

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
        counts["quads"] = len(self.oxigraph)
        return counts

    def _count_instances(self, cls: str) -> int:
        rows = self.select(
            f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{
                  ?x a ?c . ?c rdfs:subClassOf* dip:{cls} }}"""
        )
        return int(rows[0]["n"])

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> None:
        """Write the whole dataset (named graphs kept) to a binary stream."""
        self.refresh()
        self.oxigraph.dump(output, fmt)

    def all_quads(self) -> Iterator[ox.Quad]:
        self.refresh()
        return iter(self.oxigraph)

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
        self.oxigraph.update(sparql_prefixes() + update)
        self.record_change()

    def remove_article(self, article_iri: str) -> bool:
        """Drop an article's graph, and the shared description of every actor that no
        other article mentions, in one transaction; False when there was no such graph."""
        self._require_writable()
        if not self.contains_graph(article_iri):
            return False
        candidates = self._described_in([article_iri])
        update = f"DROP GRAPH <{article_iri}>" + orphan_cleanup(candidates, self.iris)
        self.oxigraph.update(sparql_prefixes() + update)
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

    def article_sources(self) -> list[tuple[str, str]]:
        """(article IRI, source file) for every article loaded from a file."""
        rows = self.select("""SELECT ?a ?file WHERE { GRAPH ?a {
            ?a a dip:Article ; dip:sourceFile ?file } }""")
        return [(str(r["a"]), str(r["file"])) for r in rows]

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")

    def flush(self) -> None:
        if not self.read_only:
            self.oxigraph.flush()


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


def _ntriples(graph: Graph) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph)


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


@contextlib.contextmanager
def open_store(path: Path, iris: Iris, *, read_only: bool = False) -> Iterator[Store]:
    """Open the store for the length of a with-block."""
    store = Store(path, iris, read_only=read_only)
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
