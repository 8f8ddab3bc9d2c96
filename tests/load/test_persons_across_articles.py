"""One person, one node across articles: another spelling of the full name, or the
surname, with the same office, in a later article is the earlier article's person
when exactly one fits."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from communique.load.persons import moved
from communique.load.pipeline import load_paths
from communique.loaders.rules.names import KnownPersons
from communique.rdf import SerializedWrite
from communique.store.base import Store
from tests.helpers import MODEL


def article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def persons(store: Store) -> dict[str, set[str]]:
    """Each person node's names (preferred and other), by preferred name."""
    rows = store.select("""SELECT ?label ?alt WHERE { ?p a dip:Person ; rdfs:label ?label .
        OPTIONAL { ?p skos:altLabel ?alt } }""")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(str(row["label"]), set())
        if row.get("alt") is not None:
            found[str(row["label"])].add(str(row["alt"]))
    return found


def mentioned_in(store: Store, headline: str) -> set[str]:
    rows = store.select(
        """SELECT DISTINCT ?label ?h WHERE { ?a schema:headline ?h . ?p a dip:Person ;
             rdfs:label ?label ; dip:mentionedAs ?m . ?m dip:inArticle ?a }""",
        {"h": ox.Literal(headline)},
    )
    return {str(r["label"]) for r in rows}


def test_a_surname_with_the_same_office_is_the_earlier_articles_person(
    store: Store, tmp_path: Path
) -> None:
    first = article(
        tmp_path,
        "1.txt",
        "Talks in Damascus\nSyrian President Bashar al-Assad met Iranian envoys on Monday.",
    )
    later = article(tmp_path, "2.txt", "Army advance\nPresident Assad said the army would advance.")
    load_paths([first], store, MODEL)
    load_paths([later], store, MODEL)
    assert "Assad" not in persons(store)
    assert "Assad" in persons(store)["Bashar al-Assad"]
    assert mentioned_in(store, "Army advance") == {"Bashar al-Assad"}


def test_a_surname_alone_in_another_article_stays_its_own(store: Store, tmp_path: Path) -> None:
    """Two articles need not be about one Karimi: without the same office, no merge."""
    first = article(tmp_path, "1.txt", "Tehran talks\nAli Karimi met envoys in Tehran on Monday.")
    later = article(tmp_path, "2.txt", "Reply\nKarimi said the talks went well.")
    load_paths([first, later], store, MODEL)
    assert "Karimi" in persons(store)
    assert mentioned_in(store, "Reply") == {"Karimi"}


def test_within_one_load_another_spelling_of_an_earlier_name_is_that_person(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    article(folder, "1.txt", "Rome visit\nLibyan leader Muammar Gaddafi arrived in Rome on Monday.")
    article(folder, "2.txt", "Departure\nLibyan leader Moammar Qaddafi left Rome on Tuesday.")
    load_paths([folder], store, MODEL)
    assert set(persons(store)) == {"Muammar Gaddafi"}
    assert mentioned_in(store, "Departure") == {"Muammar Gaddafi"}


def test_a_surname_two_earlier_office_holders_share_stays_its_own(
    store: Store, tmp_path: Path
) -> None:
    first = article(
        tmp_path,
        "1.txt",
        "Tehran talks\nForeign Minister Ali Karimi met Foreign Minister Hassan Karimi in Tehran.",
    )
    later = article(tmp_path, "2.txt", "Reply\nForeign Minister Karimi said the talks went well.")
    load_paths([first, later], store, MODEL)
    assert {"Ali Karimi", "Hassan Karimi"} <= set(persons(store))
    assert "Karimi" not in persons(store)["Ali Karimi"] | persons(store)["Hassan Karimi"]


def test_known_persons_resolve_only_a_single_fit() -> None:
    head = frozenset({"HeadOfState"})
    known = KnownPersons()
    known.add("n1", "Bashar al-Assad", head)
    known.add("n2", "Ali Karimi", frozenset({"ForeignMinister"}))
    known.add("n3", "Hassan Karimi", frozenset({"ForeignMinister"}))
    known.add("n4", "Assad", head)  # a one-word name never becomes a resolution
    assert known.node_for("Assad", head) == "n1"
    assert known.node_for("al-Assad", head) == "n1"
    assert known.node_for("Assad") is None  # no office in common
    assert known.node_for("Karimi", frozenset({"ForeignMinister"})) is None
    assert known.node_for("Basher al-Asad", head) == "n1"  # each word spelled another way
    assert known.node_for("Basher al-Asad") is None
    assert known.node_for("Smith", head) is None


def test_renaming_a_node_touches_only_that_iri() -> None:
    write = SerializedWrite(
        "http://x/article/1",
        "<http://x/p/assad> <http://x/v> <http://x/p/assad-2> .\n"
        '<http://x/e> <http://x/says> "<http://x/p/assad>" .\n',
        "<http://x/p/assad> <http://x/t> <http://x/Person> .\n",
        (("<http://x/p/assad>", '"Assad"'),),
    )
    renamed = moved(write, {"http://x/p/assad": "http://x/p/bashar-al-assad"})
    assert renamed.facts_nt.startswith(
        "<http://x/p/bashar-al-assad> <http://x/v> <http://x/p/assad-2>"
    )
    assert renamed.labels == (("<http://x/p/bashar-al-assad>", '"Assad"'),)
    assert renamed.entities_nt.startswith("<http://x/p/bashar-al-assad>")
