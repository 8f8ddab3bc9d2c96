"""The text index (``store/text_index.py``): what an article makes searchable,
kept in step by the writer through writes, replacements and removals (equal
to a rebuild from the store), left alone when it is behind, and safe with any
words a user types."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.rdf import SerializedWrite
from communique.store import text_index
from communique.store.embedded import EmbeddedStore
from communique.store.text_index import (
    TABLES,
    Entry,
    TextIndex,
    entries_of,
    match_expression,
    store_rows,
)
from communique.vocab import PREFIXES, Iris
from tests.helpers import BASE_IRI, examples

IRIS = Iris(BASE_IRI)
DIP, SCHEMA, RDFS = PREFIXES["dip"], PREFIXES["schema"], PREFIXES["rdfs"]
WORDS = ["ceasefire", "summit", "grain", "corridor", "sanctions", "envoy", "truce", "pipeline"]


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_of(slot: int, words: list[str], replaces: tuple[str, ...] = ()) -> SerializedWrite:
    """An article whose headline, body, event label and quote each hold one of
    ``words`` (cycled), as extraction writes them."""
    article = str(IRIS.article(f"{slot:016x}"))
    event, statement = f"{article}/event/0", f"{article}/statement/0"
    headline, body, label, quote = (words[i % len(words)] for i in range(4))
    lines = [
        f"<{article}> <{PREFIXES['rdf']}type> <{DIP}Article> .",
        f"<{article}> <{SCHEMA}headline> {_literal('About ' + headline)} .",
        f"<{article}> <{SCHEMA}articleBody> {_literal('The text says ' + body + '.')} .",
        f'<{event}> <{DIP}ploverType> "CONSULT" .',
        f"<{event}> <{RDFS}label> {_literal('Talks on ' + label)}@en .",
        f"<{statement}> <{DIP}quote> {_literal('We want ' + quote)} .",
        f"<{statement}> <{RDFS}label> {_literal('A statement on ' + quote)}@en .",
    ]
    return SerializedWrite(article, "\n".join(lines) + "\n", "", replaces=replaces)


def rows_of(index: TextIndex) -> set[tuple[str, ...]]:
    return {
        (kind, *row)
        for kind, table in TABLES.items()
        for row in index._db.execute(f"SELECT iri, article, label, body FROM {table}")
    }


def test_an_article_makes_its_headline_text_event_labels_and_quotes_searchable() -> None:
    entries = {(e.kind, e.label, e.body) for e in entries_of(write_of(1, WORDS))}
    assert entries == {
        ("article", "About ceasefire", "The text says summit."),
        ("event", "Talks on grain", ""),
        ("statement", "A statement on corridor", "We want corridor"),
    }


def test_writes_keep_the_index_in_step_with_the_store(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store", IRIS)
    try:
        with store.changes_noted_once():
            store.write_article(write_of(1, ["ceasefire"]))
            store.write_article(write_of(2, ["summit"]))
        index = TextIndex(store.text_index_path())
        assert index.generation == store.state()["generation"]
        hits, total = index.search("ceasefire", "article", 10)
        assert total == 1 and hits[0].iri == str(IRIS.article(f"{1:016x}"))
        assert "\x02ceasefire\x03" in hits[0].snippet
        assert index.search("summit", "statement", 10)[1] == 1
        # a replacement under a new IRI: the old article's words are gone
        old = str(IRIS.article(f"{1:016x}"))
        store.write_article(write_of(3, ["truce"], replaces=(old,)))
        assert index.search("ceasefire", "article", 10) == ([], 0)
        assert index.search("truce", "event", 10)[1] == 1
        store.remove_article(str(IRIS.article(f"{2:016x}")))
        assert index.search("summit", "article", 10) == ([], 0)
        assert index.generation == store.state()["generation"]
        index.close()
    finally:
        store.close()


def test_a_writer_leaves_an_index_that_is_behind_for_a_rebuild(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store", IRIS)
    store.write_article(write_of(1, ["ceasefire"]))
    store.close()
    for suffix in ("", "-wal", "-shm"):  # as if loaded before the index existed
        Path(str(store.text_index_path()) + suffix).unlink(missing_ok=True)
    store = EmbeddedStore(tmp_path / "store", IRIS)
    try:
        store.write_article(write_of(2, ["summit"]))
        index = TextIndex(store.text_index_path())
        assert index.generation is None  # matches no generation: it must be rebuilt
        assert rows_of(index) == set()  # and the writer did not half-fill it
        index.rebuild(store_rows(store.iter_select), store.state()["generation"])
        assert index.search("ceasefire", "article", 10)[1] == 1
        assert index.search("summit", "article", 10)[1] == 1
        index.close()
    finally:
        store.close()


operations = st.lists(
    st.tuples(
        st.sampled_from(["write", "move", "remove"]),
        st.integers(0, 3),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=examples(30), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_the_index_kept_by_writes_equals_a_rebuild(
    tmp_path_factory: pytest.TempPathFactory, steps: list
) -> None:
    store = EmbeddedStore(tmp_path_factory.mktemp("texts") / "store", IRIS)
    try:
        for action, slot, words in steps:
            if action == "write":
                store.write_article(write_of(slot, words))
            elif action == "move":
                old = str(IRIS.article(f"{slot:016x}"))
                store.write_article(write_of(slot + 100, words, replaces=(old,)))
            else:
                store.remove_article(str(IRIS.article(f"{slot:016x}")))
        kept = TextIndex(store.text_index_path())
        rebuilt = TextIndex(store.text_index_path().with_name("rebuilt.sqlite"))
        rebuilt.rebuild(store_rows(store.iter_select), store.state().get("generation"))
        assert rows_of(kept) == rows_of(rebuilt)
        if any(action != "remove" for action, _, _ in steps):  # the writer kept it
            assert kept.generation == rebuilt.generation
        kept.close()
        rebuilt.close()
    finally:
        store.close()


@given(st.text(max_size=40))
def test_any_words_a_user_types_are_searched_never_parsed_as_operators(
    text: str,
) -> None:
    index = TextIndex(Path(":memory:"))
    index._db.execute("INSERT INTO articles(label, body, iri, article) VALUES ('a', 'b', 'x', 'x')")
    hits, total = index.search(text, "article", 5)  # never raises
    assert total == len(hits) <= 1
    assert match_expression(text).count('"') % 2 == 0


def test_an_index_of_another_layout_is_dropped_and_left_for_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "texts.sqlite"
    old = TextIndex(path)
    old._db.execute("CREATE VIRTUAL TABLE texts USING fts5(label)")
    old._db.execute("INSERT INTO texts VALUES ('kept from before')")
    with old._db:
        old._db.execute("UPDATE meta SET value = '1' WHERE key = 'version'")
    old.mark(7)
    old.close()
    reopened = TextIndex(path)
    assert reopened.generation is None and reopened.empty()
    tables = {name for (name,) in reopened._db.execute("SELECT name FROM sqlite_master")}
    assert "texts" not in tables and set(TABLES.values()) <= tables
    reopened.close()


def test_counting_stops_past_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_index, "COUNTED", 3)
    index = TextIndex(tmp_path / "texts.sqlite")
    for n in range(6):
        index.replace(f"a{n}", [], [Entry("article", f"a{n}", "truce talks", "")])
    assert index.search("truce", "article", 2)[1] == 4  # the cap and one: "more than 3"
    assert len(index.search("truce", "article", 2)[0]) == 2
    index.close()
