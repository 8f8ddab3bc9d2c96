"""The embedded store: named graph per article, union default graph, atomic replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from communique.errors import QueryError, StoreError
from communique.rdf import ArticleWrite
from communique.store.base import Store
from communique.store.embedded import UNNOTED_FILE, EmbeddedStore
from communique.vocab import DIP, RDF, RDFS, SCHEMA, Iris


def write(store: Store, name: str, label: str = "Chile", extra: int = 0) -> URIRef:
    iris = store.iris
    article = iris.article(name * 16)
    facts = Graph()
    facts.add((article, RDF.type, DIP.Article))
    facts.add((article, SCHEMA.headline, Literal(f"About {label}")))
    for n in range(extra):
        facts.add((article, SCHEMA.keywords, Literal(f"k{n}")))
    entities = Graph()
    entities.add((iris.country("CL"), RDF.type, DIP.Country))
    entities.add((iris.country("CL"), RDFS.label, Literal(label, lang="en")))
    entities.add((iris.country("CL"), DIP.countryCode, Literal("CL")))
    store.write_article(ArticleWrite(article, facts, entities))
    return article


def test_the_ontology_is_loaded_into_its_own_graph(store: Store) -> None:
    rows = store.select("""SELECT (COUNT(*) AS ?n) WHERE {
        GRAPH <http://localhost:8000/id/graph/ontology> { ?c a owl:Class } }""")
    assert rows[0]["n"] > 30


def test_default_graph_is_the_union_of_named_graphs(store: Store) -> None:
    write(store, "a")
    rows = store.select("SELECT ?h WHERE { ?a schema:headline ?h . ?c dip:countryCode ?code }")
    assert [r["h"] for r in rows] == ["About Chile"]


def test_writing_an_article_twice_leaves_the_same_triples(store: Store) -> None:
    write(store, "a", extra=3)
    before = set(store.all_quads())
    write(store, "a", extra=3)
    assert set(store.all_quads()) == before


def test_rewriting_replaces_the_article_graph_whole(store: Store) -> None:
    article = write(store, "a", extra=5)
    write(store, "a", extra=1)
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}")
    assert rows[0]["n"] == 3


def test_an_actor_keeps_one_label_and_later_variants_become_alt_labels(store: Store) -> None:
    write(store, "a", label="Chile")
    write(store, "b", label="Republic of Chile")
    rows = store.select("""SELECT ?l ?alt WHERE { <http://localhost:8000/id/country/CL>
        rdfs:label ?l ; skos:altLabel ?alt }""")
    assert rows == [{"l": "Chile", "alt": "Republic of Chile"}]


def test_remove_drops_the_article_graph(store: Store) -> None:
    article = write(store, "a")
    assert store.remove_article(str(article)) is True
    assert store.remove_article(str(article)) is False
    assert store.select("SELECT ?h WHERE { ?a schema:headline ?h }") == []


def test_a_read_only_view_sees_writes_after_the_writer_records_them(
    tmp_path: Path, iris: Iris
) -> None:
    writer = EmbeddedStore(tmp_path / "s", iris)
    reader = EmbeddedStore(tmp_path / "s", iris, read_only=True)
    write(writer, "a")
    writer.flush()
    rows = reader.select("SELECT ?h WHERE { ?a schema:headline ?h }")
    assert [r["h"] for r in rows] == ["About Chile"]
    with pytest.raises(StoreError):
        reader.remove_article("http://x")
    writer.close()
    reader.close()


def test_opening_a_missing_store_read_only_says_what_to_do(tmp_path: Path, iris: Iris) -> None:
    with pytest.raises(StoreError, match="communique load"):
        EmbeddedStore(tmp_path / "nothing", iris, read_only=True)


def test_a_new_article_is_stored_as_the_sparql_update_would_store_it(
    tmp_path: Path, iris: Iris
) -> None:
    """The embedded store loads a new article as one TriG document, its labels
    settled by reading first; the dataset is the one the SPARQL update gives."""
    awkward = ['a "quoted" word', "two\nlines", "back\\slash", "dove \U0001f54a", "tab\tend"]

    def article(name: str, label: str) -> ArticleWrite:
        iri = iris.article(name * 16)
        facts = Graph()
        facts.add((iri, RDF.type, DIP.Article))
        for n, text in enumerate(awkward):
            facts.add((iri, SCHEMA.keywords, Literal(f"{text} {n}", lang="en" if n % 2 else None)))
        facts.add((iri, SCHEMA.wordCount, Literal(n)))
        entities = Graph()
        for code in ("CL", "PE"):
            entities.add((iris.country(code), RDF.type, DIP.Country))
            entities.add((iris.country(code), RDFS.label, Literal(f"{label} {code}", lang="en")))
        return ArticleWrite(iri, facts, entities)

    loaded, updated = EmbeddedStore(tmp_path / "load", iris), EmbeddedStore(tmp_path / "u", iris)
    for name, label in (("a", "Chile"), ("b", "Chile"), ("c", 'Chile "the republic"\n')):
        loaded.write_article(article(name, label))
        Store.write_article(updated, article(name, label))
    assert set(loaded.all_quads()) == set(updated.all_quads())
    alternatives = loaded.select("SELECT ?alt WHERE { ?c skos:altLabel ?alt }")
    assert len(alternatives) == 2
    loaded.close()
    updated.close()


def test_an_actor_described_again_after_its_last_article_went_keeps_its_description(
    store: Store,
) -> None:
    """The embedded store skips entity triples it has already written, and must
    forget them when an update may have deleted them (a removal's cleanup)."""
    iris = store.iris
    chile = iris.country("CL")

    def mentioning_chile(name: str) -> ArticleWrite:
        article = iris.article(name * 16)
        facts = Graph()
        facts.add((article, RDF.type, DIP.Article))
        facts.add((chile, DIP.mentionedAs, URIRef(f"{article}#m1")))
        entities = Graph()
        entities.add((chile, RDF.type, DIP.Country))
        entities.add((chile, RDFS.label, Literal("Chile", lang="en")))
        entities.add((chile, DIP.countryCode, Literal("CL")))
        return ArticleWrite(article, facts, entities)

    first = mentioning_chile("a")
    store.write_article(first)
    assert store.remove_article(str(first.article))
    assert not store.select(f"SELECT ?p WHERE {{ <{chile}> ?p ?o }}")
    store.write_article(mentioning_chile("b"))
    rows = store.select(f"""SELECT ?code WHERE {{ <{chile}>
        a dip:Country ; rdfs:label "Chile"@en ; dip:countryCode ?code }}""")
    assert [r["code"] for r in rows] == ["CL"]


def test_a_label_is_remembered_only_once_it_is_written(store: Store) -> None:
    """The embedded store remembers which actors have a preferred label; a write
    that fails must not leave a label remembered that the store does not hold,
    and a SPARQL update that deletes one must be seen."""
    iris = store.iris
    peru = iris.country("PE")

    def mentioning_peru(name: str, bad_iri: bool = False) -> ArticleWrite:
        article = iris.article(name * 16)
        facts = Graph()
        facts.add((article, RDF.type, DIP.Article))
        if bad_iri:
            facts.add((article, SCHEMA.sameAs, URIRef("relative/iri")))  # TriG refuses it
        entities = Graph()
        entities.add((peru, RDF.type, DIP.Country))
        entities.add((peru, RDFS.label, Literal("Peru", lang="en")))
        return ArticleWrite(article, facts, entities)

    def labels() -> list[str]:
        return [r["l"] for r in store.select(f"SELECT ?l WHERE {{ <{peru}> rdfs:label ?l }}")]

    with pytest.raises(QueryError):
        store.write_article(mentioning_peru("a", bad_iri=True))
    assert labels() == []
    store.write_article(mentioning_peru("b"))
    assert labels() == ["Peru"]
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{peru}> <{RDFS.label}> ?l }} }}")
    store.write_article(mentioning_peru("c"))
    assert labels() == ["Peru"]


def test_writes_inside_one_block_note_one_change(tmp_path: Path, iris: Iris) -> None:
    store = EmbeddedStore(tmp_path / "s", iris)
    before = store.state()["generation"]
    unnoted = tmp_path / "s" / UNNOTED_FILE
    with store.changes_noted_once():
        write(store, "a")
        assert unnoted.exists()  # the trace a killed writer would leave
        write(store, "b")
        write(store, "c")
        assert store.state()["generation"] == before
    assert store.state()["generation"] == before + 1
    assert not unnoted.exists()
    write(store, "d")  # outside a block: noted at once
    assert store.state()["generation"] == before + 2
    store.close()


def test_the_next_writer_notes_what_a_killed_writer_left_unnoted(
    tmp_path: Path, iris: Iris
) -> None:
    store = EmbeddedStore(tmp_path / "s", iris)
    write(store, "a")
    before = store.state()["generation"]
    store.close()
    (tmp_path / "s" / UNNOTED_FILE).touch()  # as a writer killed inside a block leaves it
    reader = EmbeddedStore(tmp_path / "s", iris, read_only=True)
    assert reader.state()["generation"] == before  # a reader leaves it to the writer
    reader.close()
    writer = EmbeddedStore(tmp_path / "s", iris)
    assert writer.state()["generation"] == before + 1
    assert not (tmp_path / "s" / UNNOTED_FILE).exists()
    writer.close()
