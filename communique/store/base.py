"""The interface every store behind communique offers, and what is built on it.

Layout of the dataset:
- one named graph per article (its IRI is the article IRI) with the facts
  extracted from it;
- ``<base>graph/entities``: shared descriptions of actors (types, labels,
  alternative names, sameAs);
- ``<base>graph/ontology``: the diplomacy ontology, so that
  ``rdfs:subClassOf*`` works in queries.

SPARQL's default graph is the union of all named graphs. Writes of one
article happen in one SPARQL Update, which the engines apply as one
transaction: a reader sees the whole article or none of it.

The engines live beside this module (``embedded``, ``remote``); which one a
location names is decided in ``opening``.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from communique.errors import StoreError
from communique.rdf import ArticleWrite, SerializedWrite, serialize_write
from communique.resources import ontology_turtle
from communique.store import summaries, text_index
from communique.store.summary_parts import part_of_triples, part_of_write
from communique.store.updates import article_update, copy_removal, copy_update, orphan_cleanup
from communique.vocab import Iris, sparql_prefixes

log = logging.getLogger(__name__)


def _instances(cls: str) -> str:
    return f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{
        ?x a ?c . ?c rdfs:subClassOf* dip:{cls} }}"""


COUNT_QUERIES = {
    "articles": """SELECT (COUNT(DISTINCT ?article) AS ?n)
        WHERE { GRAPH ?article { ?article a dip:Article } }""",
    "actors": _instances("Actor"),
    "events": _instances("Event"),
    "statements": _instances("Statement"),
}


@dataclass(frozen=True)
class StoredArticle:
    """What the store knows of an article without reading its graph."""

    iri: str
    identifier: str  # dct:identifier, sha256 of the body
    source_id: str | None  # schema:identifier


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
    # Whether queries are computed in this process (an embedded engine) rather than
    # by a service elsewhere: only then does a query worker's CPU priority matter.
    computes_here = False
    _deferring = False  # inside changes_noted_once
    _deferred = False  # a change happened inside it, not yet noted
    # the text index this writer keeps in step: None until the first write asks;
    # False when it was behind the store then, or fell behind (it is rebuilt apart)
    _texts: text_index.TextIndex | bool | None = None

    # ------------------------------------------------------------------ primitives
    @property
    def location(self) -> Any:
        """What another process needs to open the same store (see ``opening.Location``)."""
        raise NotImplementedError

    @property
    def description(self) -> str:
        """Where the store is, for messages."""
        raise NotImplementedError

    def query(self, sparql: str, **options: Any) -> Any:
        """Run a SPARQL query over the union of all graphs (unless a dataset is given).

        Options as pyoxigraph's ``Store.query``: ``prefixes``, ``default_graph``,
        ``named_graphs``, ``base_iri`` (what relative IRIs resolve against), and
        ``substitutions``: {variable name: pyoxigraph term}, each variable bound to
        its term by a VALUES block that pyoxigraph writes (``sparql_text.with_values``:
        the term whole, never text from a request; a bound variable is projected by
        every SELECT that uses it, so that the binding reaches it). Results are
        pyoxigraph's result objects (or, for graphs, an iterable of ``Triple``: see
        ``query.results.is_graph_result``).
        """
        raise NotImplementedError

    def stream_query(self, sparql: str, media_type: str, **options: Any) -> Iterator[bytes] | None:
        """The engine's own serialization of the results, where it has one worth
        passing on as it is; None to have communique serialize them."""
        return None

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update (one request: one transaction where the engine
        allows); relative IRIs in it are resolved against ``base_iri``."""
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
        self._note_change()

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
                self._note_change()
                self._clear_unnoted()

    def _note_change(self) -> None:
        self._write_change()
        if isinstance(self._texts, text_index.TextIndex):
            self._keep_texts(lambda index: index.mark(self.state().get("generation")))

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
        raise NotImplementedError

    # ------------------------------------------------------------------ reading
    def select(self, sparql: str, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A SELECT as a list of {variable: python value} rows (prefixes added),
        with variables bound to terms (see ``query``)."""
        return list(self.iter_select(sparql, bindings))

    def iter_select(
        self, sparql: str, bindings: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """As ``select``, one row at a time (for answers too big to hold)."""
        options = {"substitutions": bindings} if bindings else {}
        results = self.query(sparql_prefixes() + sparql, **options)
        names = [v.value for v in results.variables]
        for row in results:
            yield {name: _python_value(row[name]) for name in names}

    def find_article(self, identifier: str) -> StoredArticle | None:
        """An article by its content hash (dct:identifier)."""
        rows = self.select(
            """SELECT ?a ?src ?id WHERE { GRAPH ?a { ?a a dip:Article ; dct:identifier ?id .
                 OPTIONAL { ?a schema:identifier ?src } } } LIMIT 1""",
            {"id": ox.Literal(identifier)},
        )
        return _stored(rows[0], identifier) if rows else None

    def find_copy(self, identifier: str) -> str | None:
        """The article a copy with this content hash is recorded under, or None."""
        rows = self.select(
            """SELECT ?a WHERE { GRAPH ?a { ?a dip:copy ?c . ?c dct:identifier ?id } } LIMIT 1""",
            {"id": ox.Literal(identifier)},
        )
        return str(rows[0]["a"]) if rows else None

    def similar_articles(self, keys: list[str], limit: int = 5) -> list[tuple[str, str]]:
        """(IRI, body) of the stored articles sharing a similarity key with these,
        those sharing most first: the candidates to be the same story."""
        if not keys:
            return []
        values = " ".join(str(ox.Literal(key)) for key in keys)  # written by pyoxigraph
        rows = self.select(
            f"""SELECT ?a ?body (COUNT(?key) AS ?shared) WHERE {{ VALUES ?key {{ {values} }}
              GRAPH ?a {{ ?a dip:similarityKey ?key ; schema:articleBody ?body }} }}
            GROUP BY ?a ?body ORDER BY DESC(?shared) LIMIT {int(limit)}"""
        )
        return [(str(r["a"]), str(r["body"])) for r in rows]

    def add_copy(self, article: str, copy: str, triples_nt: str, source_id: str | None) -> None:
        """Record a copy of a stored article's story as one of its sources, in one
        transaction (its summaries do not change: the facts are counted once)."""
        self._require_writable()
        self.update(sparql_prefixes() + copy_update(article, copy, triples_nt, source_id))
        self.record_change()

    def copied_story(self, article: str) -> str | None:
        """The text of a stored article that has copies recorded, or None (no such
        article, or no copies)."""
        rows = self.select(
            """SELECT ?body WHERE { GRAPH ?a { ?a schema:articleBody ?body
                 FILTER EXISTS { ?a dip:copy ?c } } } LIMIT 1""",
            {"a": ox.NamedNode(article)},
        )
        return str(rows[0]["body"]) if rows else None

    def resolve_copy(self, ref: str) -> list[tuple[str, str]]:
        """(copy IRI, article IRI) of the recorded copies matching an IRI, a content
        hash (prefix) or a source identifier."""
        rows = self.select(
            """SELECT DISTINCT ?c ?a WHERE { GRAPH ?a { ?a dip:copy ?c .
                 ?c dct:identifier ?h . OPTIONAL { ?c schema:identifier ?src } }
               FILTER(STR(?c) = ?ref || STRSTARTS(?h, LCASE(?ref)) || ?src = ?ref) }""",
            {"ref": ox.Literal(ref)},
        )
        return sorted((str(r["c"]), str(r["a"])) for r in rows)

    def copies_of(self, article: str) -> int:
        """How many copies are recorded as sources of an article."""
        rows = self.select(
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?a { ?a dip:copy ?c } }",
            {"a": ox.NamedNode(article)},
        )
        return int(rows[0]["n"]) if rows else 0

    def remove_copy(self, copy: str) -> None:
        """Take a recorded copy out of its article's sources (the article stays)."""
        self._require_writable()
        self.update(sparql_prefixes() + copy_removal(copy))
        self.record_change()

    def copy_quads(self, article: str, onto: str) -> list[ox.Quad]:
        """The copies recorded in an article's graph, as quads recording them in
        another article's graph (its new version's) as that article's sources."""
        found = self.query(
            sparql_prefixes()
            + "CONSTRUCT { ?new dip:copy ?c ; prov:wasDerivedFrom ?c . ?c ?p ?o } "
            "WHERE { GRAPH ?old { ?old dip:copy ?c . ?c ?p ?o } }",
            substitutions={"old": ox.NamedNode(article), "new": ox.NamedNode(onto)},
        )
        graph = ox.NamedNode(onto)
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in found]

    def articles_with_source_id(self, source_id: str) -> list[StoredArticle]:
        rows = self.select(
            """SELECT ?a ?h ?src WHERE { GRAPH ?a { ?a a dip:Article ;
                 schema:identifier ?src ; dct:identifier ?h } }""",
            {"src": ox.Literal(source_id)},
        )
        return [StoredArticle(str(r["a"]), str(r["h"]), source_id) for r in rows]

    def resolve_article(self, ref: str) -> list[str]:
        """Article IRIs matching an IRI, a hash (prefix) or a source identifier."""
        rows = self.select(
            """SELECT DISTINCT ?a ?ref WHERE { GRAPH ?a { ?a a dip:Article ;
                 dct:identifier ?h . OPTIONAL { ?a schema:identifier ?src } }
               FILTER(STR(?a) = ?ref || STRSTARTS(?h, LCASE(?ref)) || ?src = ?ref) }""",
            {"ref": ox.Literal(ref)},
        )
        return sorted(str(r["a"]) for r in rows)

    def counts(self) -> dict[str, int]:
        """How many articles, actors, events, statements and quads the store holds."""
        return {
            name: int(self.select(sparql)[0]["n"]) for name, sparql in self.count_queries().items()
        }

    def count_queries(self, *, quads: bool = True) -> dict[str, str]:
        """The queries behind ``counts``, each answering one row with ?n (the server
        runs them through its query workers). From the summaries when the store has
        them (a scan of every article takes seconds at 100,000 articles); the
        quads, asked for apart, are always counted."""
        queries = dict(COUNT_QUERIES)
        if self.summaries_version() == summaries.SUMMARY_VERSION:
            queries = dict(summaries.COUNT_QUERIES)
        return {**queries, "quads": self._quads_query()} if quads else queries

    def _quads_query(self) -> str:
        return "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def article_outside_base(self) -> str | None:
        """An article whose IRI is not under this store object's base IRI (the store
        was loaded with another one), or None."""
        rows = self.select(
            """SELECT ?a ?base WHERE { GRAPH ?a { ?a a dip:Article }
                 FILTER(!STRSTARTS(STR(?a), ?base)) } LIMIT 1""",
            {"base": ox.Literal(self.iris.base)},
        )
        return str(rows[0]["a"]) if rows else None

    def article_sources(self) -> list[tuple[str, str | None, str]]:
        """(article IRI, key of its load root or None, source file) for every
        article loaded from a file (the file relative to the root; an article
        loaded before roots were kept has its absolute path and no root)."""
        rows = self.select("""SELECT ?a ?root ?file WHERE { GRAPH ?a {
            ?a a dip:Article ; dip:sourceFile ?file . OPTIONAL { ?a dip:sourceRoot ?root } } }""")
        return [
            (str(r["a"]), str(r["root"]) if r.get("root") else None, str(r["file"])) for r in rows
        ]

    # ------------------------------------------------------------------ text index
    def text_index_path(self) -> Path | None:
        """Where the full-text index of this store is kept (None: nowhere)."""
        return None

    def _texts_before_writing(self) -> None:
        """At this writer's first article write, open the text index if it is in
        step with the store (or both are empty): only then is it kept."""
        if self._texts is None:
            self._texts = self._open_texts_in_step()

    def _index_texts(self, write: SerializedWrite | None, gone: list[str]) -> None:
        """Change the text index as an article write (or removal) just changed the
        store, when it is kept; never fail the write for it."""
        if write is not None:
            self._keep_texts(
                lambda index: index.replace(write.article, gone, self._entries_of(write))
            )
        else:
            self._keep_texts(lambda index: [index.remove(article) for article in gone])

    def _open_texts_in_step(self) -> text_index.TextIndex | bool:
        path = self.text_index_path()
        if path is None:
            return False
        try:
            index = text_index.TextIndex(path)
        except (sqlite3.Error, OSError) as exc:
            log.warning(
                "%s: the text index cannot be opened (%s); search will rebuild it", path, exc
            )
            return False
        generation = self.state().get("generation")
        if index.generation == generation:
            return index
        if index.generation is None and index.empty() and not self._holds_articles():
            index.mark(generation)  # a new store: both start empty
            return index
        index.close()  # behind already: whoever searches next rebuilds it whole
        return False

    def _holds_articles(self) -> bool:
        return bool(self.select("SELECT ?g WHERE { GRAPH ?g { ?g a dip:Article } } LIMIT 1"))

    def _keep_texts(self, change: Any) -> None:
        index = self._texts
        if not isinstance(index, text_index.TextIndex):
            return
        try:
            change(index)
        except (sqlite3.Error, OSError, SyntaxError) as exc:  # locked, full: behind from now
            log.warning(
                "%s: the text index fell behind (%s); search will rebuild it", index.path, exc
            )
            with contextlib.suppress(sqlite3.Error):
                index.mark(None)
            index.close()
            self._texts = False

    def _close_texts(self) -> None:
        if isinstance(self._texts, text_index.TextIndex):
            self._texts.close()
        self._texts = None

    # ------------------------------------------------------------------ writing
    def write_article(self, write: ArticleWrite | SerializedWrite) -> None:
        """Replace the article's named graph and merge its entity descriptions, atomically.

        Actors that only the replaced version mentioned lose their shared
        description in the same transaction.
        """
        self._require_writable()
        self._texts_before_writing()
        write = serialize_write(write)
        old = [g for g in (*write.replaces, write.article) if self.contains_graph(g)]
        removed = [self.summary_part(graph) for graph in old]
        changes = summaries.deltas(removed, [self._part_of(write)])
        ops = [article_update(write, self.iris), *self._summary_ops(changes)]
        update = " ;\n".join(ops) + orphan_cleanup(self._described_in(old), self.iris)
        self.update(sparql_prefixes() + update)
        self._index_texts(write, old)
        self.record_change()

    def remove_article(self, article_iri: str) -> bool:
        """Drop an article's graph, and the shared description of every actor that no
        other article mentions, in one transaction; False when there was no such graph."""
        self._require_writable()
        if not self.contains_graph(article_iri):
            return False
        self._texts_before_writing()
        candidates = self._described_in([article_iri])
        changes = summaries.deltas([self.summary_part(article_iri)], [])
        ops = self._summary_ops(changes)
        # SILENT: Virtuoso refuses to DROP a graph it did not see created
        ops.append(f"DROP SILENT GRAPH <{article_iri}>")
        update = " ;\n".join(ops) + orphan_cleanup(candidates, self.iris)
        self.update(sparql_prefixes() + update)
        self._index_texts(None, [article_iri])
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

    def summaries_version(self) -> int | None:
        """The version the summaries were computed with; None when there are none."""
        rows = self.select(summaries.version_query(self.iris))
        return int(rows[0]["v"]) if rows else None

    def summary_part(self, graph: str) -> summaries.Part:
        """What a stored article graph counts in the summaries."""
        rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return part_of_triples(graph, ((r["s"], r["p"], r["o"]) for r in rows), self.iris)

    def _summary_ops(self, changes: summaries.Deltas) -> list[str]:
        """Update operations making ``changes`` to the summaries."""
        return summaries.change_ops(changes, self.iris)

    def _entries_of(self, write: SerializedWrite) -> list[text_index.Entry]:
        """What a write makes searchable: made where it was prepared, like its
        summary part, unless something changed it since."""
        if write.text_entries is not None:
            return write.text_entries
        return text_index.entries_of(write)

    def _part_of(self, write: SerializedWrite) -> summaries.Part:
        """What a write will count in the summaries: computed where it was prepared
        (in a worker) unless something changed it since."""
        if write.summary_part is not None:
            return write.summary_part
        return part_of_write(write, self.iris)

    def rebuild_summaries(self) -> None:
        """Recompute the summaries from every article graph (after a bulk load, or
        for a store written before they existed)."""
        self._require_writable()
        self.update(sparql_prefixes() + summaries.rebuild_update(self.iris))
        self.record_change()

    def _ensure_summaries(self) -> None:
        """Summaries of the current version, before anything is written: each write
        only adds its own part, so they must start complete. A store from before
        version 2 first gets the countries written on its events, one from before
        version 3 their months, one from before 4 their dyads."""
        version = self.summaries_version()
        if version == summaries.SUMMARY_VERSION:
            return
        if (version or 0) < 2 and not self.select(summaries.WRITTEN_COUNTRY_QUERY):
            # loaded before extraction wrote them (a bulk-loaded store has them)
            self.update(sparql_prefixes() + summaries.backfill_update(self.iris))
        if (version or 0) < 3 and not self.select(summaries.WRITTEN_MONTH_QUERY):
            self.update(sparql_prefixes() + summaries.month_backfill_update())
        if (version or 0) < 4 and not self.select(summaries.WRITTEN_DYAD_QUERY):
            self.update(sparql_prefixes() + summaries.dyad_backfill_update(self.iris))
        if version == 3:  # the cubes of version 3 are those of 4
            self.update(sparql_prefixes() + summaries.version_update(self.iris))
            return
        self.rebuild_summaries()

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
