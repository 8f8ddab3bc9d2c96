"""A full-text index of what the articles say: headlines and article text,
event labels and the sentences stating them, statements' labels and quotes.

SQLite's FTS5 (in Python's standard library; no server, one file): its
``unicode61`` tokenizer folds case and accents, it ranks by BM25 and cuts
snippets around the words found, and SQLite lets one process write while
others read (WAL). A SPARQL store has no text index of its own that works the
same on Oxigraph and on external stores, and a regex FILTER over 100,000
article texts reads them all per request.

The index is kept in step with the store by the writer: each article written
or removed changes its rows, and the index records the store's change
generation it matches. When the two differ (a bulk load, a writer killed
half-way, an update through the SPARQL endpoint) the index is rebuilt from
the store as a whole, into a new file that replaces the old one.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from communique.rdf import SerializedWrite, Triple
from communique.vocab import PREFIXES

FILE_NAME = "communique-text.sqlite"
_DIP, _SCHEMA = PREFIXES["dip"], PREFIXES["schema"]
_LABEL = PREFIXES["rdfs"] + "label"
_PLOVER_TYPE = _DIP + "ploverType"
# the predicates an entry is made from
_READ_FOR_ENTRIES = frozenset(
    URIRef(p)
    for p in (_SCHEMA + "headline", _SCHEMA + "articleBody", _LABEL, _PLOVER_TYPE, _DIP + "quote")
)
# What a row is -> its table, in the order results show. One table a kind: a
# kind kept as a column is read for every match to filter on (0.18 s for a
# common word at 100,000 articles, against nothing).
TABLES = {"article": "articles", "event": "events", "statement": "statements"}
KINDS = tuple(TABLES)
_SCHEMA_SQL = (
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);\n"
    + "".join(
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(
  label, body, iri UNINDEXED, article UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
"""
        for table in TABLES.values()
    )
    # Which rows an article has, by an ordinary index: FTS5 finds rows by their
    # words only, so deleting an article's rows by its column read every row of
    # every table (0.53 s an article write at 100,000 articles, measured).
    + """CREATE TABLE IF NOT EXISTS entry_rows(
  article TEXT NOT NULL, kind TEXT NOT NULL, row INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entry_rows_by_article ON entry_rows(article);
"""
)
RANKED = 2000  # matches ranked by relevance: the latest indexed
COUNTED = 10_000  # matches counted exactly; past it, "more than"
VERSION = "3"  # of the tables' layout: an index of another layout is dropped and rebuilt
# Snippet marks: control characters no text holds, turned into HTML after escaping.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


@dataclass(frozen=True)
class Entry:
    """One searchable thing of an article."""

    kind: str
    iri: str
    label: str
    body: str


@dataclass(frozen=True)
class Hit:
    kind: str
    iri: str
    article: str
    label: str
    snippet: str  # with MARK_OPEN / MARK_CLOSE around the words found


def entries_of(write: SerializedWrite) -> list[Entry]:
    """What an article's write makes searchable, read from its text."""
    return _entries(
        write.article,
        (
            (t.subject.value, t.predicate.value, t.object.value)
            for t in ox.parse(write.facts_nt, format=ox.RdfFormat.TURTLE)
            if isinstance(t.object, ox.Literal) or t.predicate.value == _PLOVER_TYPE
        ),
    )


def entries_of_facts(article: str, facts: Iterable[Triple]) -> list[Entry]:
    """The same, from the rdflib triples the write is made of (where it is prepared,
    before they become text)."""
    return _entries(
        article,
        (
            (str(s), str(p), str(o))
            for s, p, o in facts
            if p in _READ_FOR_ENTRIES and (isinstance(o, Literal) or p == _PLOVER_TYPE)
        ),
    )


def _entries(article: str, triples: Iterable[tuple[str, str, str]]) -> list[Entry]:
    """From (subject, predicate, value) of the literal triples and the event types."""
    values: dict[tuple[str, str], str] = {}
    typed: set[str] = set()
    for subject, predicate, value in triples:
        if predicate == _PLOVER_TYPE:
            typed.add(subject)
        else:
            values[(subject, predicate)] = value
    found = [
        Entry(
            "article",
            article,
            values.get((article, _SCHEMA + "headline"), ""),
            values.get((article, _SCHEMA + "articleBody"), ""),
        )
    ]
    for (subject, predicate), text in values.items():
        if predicate == _LABEL and subject in typed:
            found.append(Entry("event", subject, text, ""))
        elif predicate == _DIP + "quote":
            found.append(Entry("statement", subject, values.get((subject, _LABEL), ""), text))
    return found


class TextIndex:
    """The index file: its rows, and the store generation they match."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        with contextlib.suppress(sqlite3.OperationalError):  # a read-only folder
            self._db.execute("PRAGMA journal_mode=WAL")
            # No sync to disk at each article's commit (0.8 ms each, measured). Only
            # a power cut or a system crash can then lose the last commits, and
            # the log keeps their order: the generation mark, committed after an
            # article's rows, is lost with them, and an index behind its store
            # is rebuilt.
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA_SQL)
        if self._meta("version") != VERSION:
            self._start_over()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _start_over(self) -> None:
        """Drop the tables of another layout (and any generation): empty, behind."""
        with self._db:
            tables = self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
            ).fetchall()
            for (name,) in tables:
                self._db.execute(f'DROP TABLE "{name}"')
            self._db.execute("DROP TABLE IF EXISTS entry_rows")
            self._db.execute("DELETE FROM meta")
            self._db.executescript(_SCHEMA_SQL)
            self._db.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))

    def close(self) -> None:
        self._db.close()

    @property
    def generation(self) -> int | None:
        value = self._meta("generation")
        return int(value) if value is not None else None

    def empty(self) -> bool:
        return not any(
            self._db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in TABLES.values()
        )

    def mark(self, generation: int | None) -> None:
        """Record that the rows match this store generation (None: match none)."""
        with self._db:
            self._db.execute("DELETE FROM meta WHERE key = 'generation'")
            if generation is not None:
                self._db.execute("INSERT INTO meta VALUES ('generation', ?)", (str(generation),))

    def replace(self, article: str, replaced: Iterable[str], entries: list[Entry]) -> None:
        """The article's rows, instead of its own and the replaced articles' old ones."""
        with self._db:
            for old in {article, *replaced}:
                self._delete(old)
            self._add((article, entry) for entry in entries)

    def remove(self, article: str) -> None:
        with self._db:
            self._delete(article)

    def _delete(self, article: str) -> None:
        rows = self._db.execute(
            "SELECT kind, row FROM entry_rows WHERE article = ?", (article,)
        ).fetchall()
        for kind, row in rows:
            self._db.execute(f"DELETE FROM {TABLES[kind]} WHERE rowid = ?", (row,))
        self._db.execute("DELETE FROM entry_rows WHERE article = ?", (article,))

    def _add(self, rows: Iterable[tuple[str, Entry]]) -> None:
        for article, entry in rows:
            added = self._db.execute(
                f"INSERT INTO {TABLES[entry.kind]}(label, body, iri, article) VALUES (?, ?, ?, ?)",
                (entry.label, entry.body, entry.iri, article),
            )
            self._db.execute(
                "INSERT INTO entry_rows VALUES (?, ?, ?)", (article, entry.kind, added.lastrowid)
            )

    def rebuild(self, rows: Iterable[tuple[str, Entry]], generation: int | None) -> None:
        """Every (article, entry) row of the store, in one transaction: readers see
        the old rows until the new ones are all in, and a writer waits for it."""
        with self._db:
            for table in (*TABLES.values(), "entry_rows"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.execute("DELETE FROM meta WHERE key = 'generation'")
            self._add(rows)
            if generation is not None:
                self._db.execute("INSERT INTO meta VALUES ('generation', ?)", (str(generation),))

    def search(self, query: str, kind: str, limit: int) -> tuple[list[Hit], int]:
        """The best ``limit`` rows of one kind for the words of ``query`` (each
        word must occur; the last may be the start of a word), and how many
        rows match in all (``COUNTED + 1``: more than ``COUNTED``). Ranked
        (BM25) among the ``RANKED`` matches indexed last: a load indexes the
        news as it comes, and ranking every match of a common word costs ten
        times as much (0.18 s for 146,000 at 100,000 articles)."""
        match = match_expression(query)
        if not match:
            return [], 0
        table = TABLES[kind]
        rows = self._db.execute(
            f"""SELECT iri, article, label,
                  snippet({table}, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 16)
                FROM {table} WHERE {table} MATCH :match
                  AND rowid >= (SELECT min(rowid) FROM (SELECT rowid FROM {table}
                                WHERE {table} MATCH :match ORDER BY rowid DESC LIMIT :ranked))
                ORDER BY rank LIMIT :limit""",
            {"match": match, "limit": limit, "ranked": RANKED},
        ).fetchall()
        (total,) = self._db.execute(  # counted up to the cap: a common word has 150,000
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)",
            (match, COUNTED + 1),
        ).fetchone()
        return [Hit(kind, *row) for row in rows], int(total)


WORD = re.compile(r"\w+", re.UNICODE)


def match_expression(query: str) -> str:
    """The user's words as an FTS5 query: each a quoted string (so no word is
    read as an operator), the last also as a prefix.

    >>> match_expression('Lavrov "AND" meet')
    '"Lavrov" "AND" "meet"*'
    """
    words = WORD.findall(query)
    if not words:
        return ""
    return " ".join(f'"{w}"' for w in words) + "*"


# ------------------------------------------------------------------ rebuilding

ARTICLES = """SELECT ?g ?headline ?body WHERE { GRAPH ?g {
  ?g a dip:Article ; schema:headline ?headline ; schema:articleBody ?body } }"""
EVENTS = (
    """SELECT ?g ?x ?label WHERE { GRAPH ?g { ?x dip:ploverType ?type ; rdfs:label ?label } }"""
)
STATEMENTS = """SELECT ?g ?x ?label ?quote WHERE { GRAPH ?g {
  ?x dip:quote ?quote ; rdfs:label ?label } }"""


def store_rows(select: Any) -> Iterator[tuple[str, Entry]]:
    """Every (article, entry) of the store, read by ``select`` (a function from
    SPARQL to rows of {variable: value})."""
    for row in select(ARTICLES):
        yield row["g"], Entry("article", row["g"], row["headline"], row["body"])
    for row in select(EVENTS):
        yield row["g"], Entry("event", row["x"], row["label"], "")
    for row in select(STATEMENTS):
        yield row["g"], Entry("statement", row["x"], row["label"], row["quote"])
