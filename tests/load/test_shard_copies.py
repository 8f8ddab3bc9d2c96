"""One story, many copies on the bulk path: `load-shards` tells copies as `load`
does, of a story earlier in the shards (in the same shard or an earlier one)
or of one stored already, and the dataset is the one a plain `load` of the
same articles makes. The story and its copies are those of ``test_copies``."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.export.events import EventFilter, Exporter
from communique.load import bulk, cluster
from communique.load.shards import articles_in, read_shard, write_shard
from communique.loaders.copies import similarity_keys
from communique.loaders.model import Extraction
from communique.loaders.rdfmap import article_write
from communique.loaders.read.article import Article
from communique.rdf import serialize_write
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.store.opening import location_from_settings, open_location
from communique.vocab import Iris
from tests.helpers import BASE_IRI, MODEL, dataset_lines, run_cli
from tests.load.test_copies import OTHER_STORY, copies, write_lines
from tests.load.test_shards import embedded_quads


def extract_in_pairs(monkeypatch: pytest.MonkeyPatch, out: Path, *paths: Path) -> None:
    """Extract with two articles a shard, so that copies fall in the same shard as
    their original and in later ones."""
    monkeypatch.setattr(cluster, "BATCH_SIZE", 2)
    report = cluster.extract(list(paths), out, model=MODEL, base_iri=BASE_IRI, workers=1)
    assert not report.failed


def wire_with_another_story(folder: Path) -> Path:
    other = {"id": "other", "headline": "Iceland digs in", "body": OTHER_STORY}
    return write_lines(folder / "wire.jsonl", [*copies(3), other, *copies(5)[3:]])


def test_copies_in_shards_load_as_a_plain_load_records_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wire = wire_with_another_story(tmp_path)
    out = tmp_path / "shards"
    extract_in_pairs(monkeypatch, out, wire)
    assert len(list(out.glob("shard-*.nq.gz"))) == 3

    bulk = run_cli(tmp_path / "bulk", "load-shards", "--quiet", str(out))
    assert bulk.returncode == 0, bulk.stderr
    assert bulk.stdout.startswith("2 loaded, 0 replaced, 4 copied, 0 unchanged"), bulk.stdout
    plain = run_cli(tmp_path / "plain", "load", "--quiet", "--workers", "1", str(wire))
    assert plain.returncode == 0, plain.stderr
    assert "2 loaded, 0 replaced, 4 copied" in plain.stdout
    assert embedded_quads(tmp_path / "bulk") == embedded_quads(tmp_path / "plain")

    again = run_cli(tmp_path / "bulk", "load-shards", "--quiet", str(out))
    assert again.stdout.startswith("0 loaded, 0 replaced, 0 copied, 6 unchanged"), again.stdout
    assert embedded_quads(tmp_path / "bulk") == embedded_quads(tmp_path / "plain")


def test_copies_reach_an_oxigraph_server_as_a_plain_load_records_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oxigraph_url: str
) -> None:
    """Through a SPARQL server and its Graph Store endpoint: the lookups of similar
    stories and the copy records go over HTTP."""
    wire = wire_with_another_story(tmp_path)
    out = tmp_path / "shards"
    extract_in_pairs(monkeypatch, out, wire)
    bulk = run_cli(oxigraph_url, "load-shards", "--quiet", str(out))
    assert bulk.returncode == 0, bulk.stderr
    assert bulk.stdout.startswith("2 loaded, 0 replaced, 4 copied, 0 unchanged"), bulk.stdout
    plain = run_cli(tmp_path / "plain", "load", "--quiet", "--workers", "1", str(wire))
    assert plain.returncode == 0, plain.stderr
    server = open_location(location_from_settings(Settings(store=oxigraph_url)), Iris(BASE_IRI))
    try:
        assert dataset_lines(server) == embedded_quads(tmp_path / "plain")
    finally:
        server.close()


def test_shards_without_similarity_keys_still_tell_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shards written before articles carried their keys: the keys are computed,
    and stored with the articles."""
    wire = wire_with_another_story(tmp_path)
    out = tmp_path / "shards"
    extract_in_pairs(monkeypatch, out, wire)
    for shard in out.glob("shard-*.nq.gz"):
        with gzip.open(shard, "rt", encoding="utf-8") as lines:
            kept = [line for line in lines if "similarityKey" not in line]
        with gzip.open(shard, "wt", encoding="utf-8") as rewritten:
            rewritten.writelines(kept)
    result = run_cli(tmp_path / "bulk", "load-shards", "--quiet", str(out))
    assert result.stdout.startswith("2 loaded, 0 replaced, 4 copied, 0 unchanged"), result.stdout
    plain = run_cli(tmp_path / "plain", "load", "--quiet", "--workers", "1", str(wire))
    assert plain.returncode == 0, plain.stderr
    # the keys are stored with the articles, as a load stores them
    assert embedded_quads(tmp_path / "bulk") == embedded_quads(tmp_path / "plain")


def test_copies_of_a_stored_story_are_recorded_as_its_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, *rest = copies()
    store = tmp_path / "store"
    loaded = run_cli(store, "load", "--quiet", str(write_lines(tmp_path / "a.jsonl", [first])))
    assert loaded.returncode == 0 and "1 loaded" in loaded.stdout, loaded.stderr
    out = tmp_path / "shards"
    extract_in_pairs(monkeypatch, out, write_lines(tmp_path / "b.jsonl", rest))
    result = run_cli(store, "load-shards", "--quiet", str(out))
    assert result.stdout.startswith("0 loaded, 0 replaced, 4 copied, 0 unchanged"), result.stdout
    opened = EmbeddedStore(store, Iris(BASE_IRI), read_only=True)
    try:
        rows = list(Exporter(opened).rows(EventFilter()))
        articles = opened.select("SELECT ?a WHERE { GRAPH ?a { ?a a dip:Article } }")
    finally:
        opened.close()
    assert len(articles) == 1
    assert rows and {row["num_sources"] for row in rows} == {5}


def test_an_updated_original_from_the_shards_keeps_its_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = copies(3)
    store = tmp_path / "store"
    loaded = run_cli(store, "load", "--quiet", str(write_lines(tmp_path / "a.jsonl", records)))
    assert loaded.returncode == 0, loaded.stderr
    records[0]["body"] += " Updated at noon with a comment from the ministry."
    out = tmp_path / "shards"
    extract_in_pairs(monkeypatch, out, write_lines(tmp_path / "b.jsonl", records[:1]))
    result = run_cli(store, "load-shards", "--quiet", str(out))
    assert result.stdout.startswith("1 loaded, 1 replaced, 0 copied, 0 unchanged"), result.stdout
    opened = EmbeddedStore(store, Iris(BASE_IRI), read_only=True)
    try:
        recorded = opened.select("SELECT ?a ?c WHERE { ?a dip:copy ?c ; prov:wasDerivedFrom ?c }")
        articles = opened.select("SELECT ?a WHERE { GRAPH ?a { ?a a dip:Article } }")
    finally:
        opened.close()
    assert [str(r["a"]) for r in articles] * 2 == [str(r["a"]) for r in recorded]


def test_a_bad_copy_fails_in_extract_by_name_and_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = copies(3)
    records[2]["url"] = "not an address"  # the reader keeps it; the article's shape does not
    out = tmp_path / "shards"
    wire = write_lines(tmp_path / "w.jsonl", records)
    monkeypatch.setattr(cluster, "BATCH_SIZE", 2)
    report = cluster.extract([wire], out, model=MODEL, base_iri=BASE_IRI, workers=1)
    assert [e.origin for e in report.failed] == [f"{wire}:3"]
    assert "url must be one absolute" in report.failed[0].problems[0]
    result = run_cli(tmp_path / "store", "load-shards", "--quiet", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 loaded, 0 replaced, 1 copied, 0 unchanged")
    assert "1 articles had failed to extract" in result.stdout


def test_a_copy_refused_at_load_is_named_and_nothing_of_it_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy's record has shapes of its own; one that does not conform is reported
    with its input and the others are recorded."""
    out = tmp_path / "shards"
    wire = write_lines(tmp_path / "w.jsonl", copies(3))
    extract_in_pairs(monkeypatch, out, wire)
    real = bulk.record_copy

    def refuse_the_last(store, match, article):  # type: ignore[no-untyped-def]
        if article.origin.endswith(":3"):
            return 0, ("does not conform: made to fail",)
        return real(store, match, article)

    monkeypatch.setattr(bulk, "record_copy", refuse_the_last)
    store = EmbeddedStore(tmp_path / "store", Iris(BASE_IRI))
    try:
        report = bulk.load_shards(out, store)
        recorded = store.select("SELECT ?c WHERE { ?a dip:copy ?c }")
    finally:
        store.close()
    assert (report.loaded, report.copied) == (1, 1)
    assert [(e.origin, e.problems) for e in report.refused] == [
        (f"{wire}:3", ("does not conform: made to fail",))
    ]
    assert len(recorded) == 1


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
moments = st.one_of(
    st.none(),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.sampled_from([None, UTC])),
)


@settings(max_examples=40, deadline=None)
@given(
    body=texts.filter(str.strip),
    headline=texts,
    source_id=st.none() | texts.filter(bool),
    url=st.none() | st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9/]{0,12}", fullmatch=True),
    publisher=st.none() | texts.filter(bool),
    published=moments,
)
def test_an_article_reads_back_from_its_shard_as_it_was_written(
    tmp_path_factory: pytest.TempPathFactory,
    body: str,
    headline: str,
    source_id: str | None,
    url: str | None,
    publisher: str | None,
    published: date | datetime | None,
) -> None:
    article = Article(body, headline, "in.jsonl:1", source_id, published, publisher, url)
    iris = Iris(BASE_IRI)
    write = serialize_write(article_write(article, Extraction(), iris))
    folder = tmp_path_factory.mktemp("shard")
    name = write_shard(folder, [write], str(iris.entities_graph))
    (read,) = articles_in(read_shard(folder, name), {write.article: article.origin}).values()
    assert read.article == article
    assert sorted(read.keys) == sorted(similarity_keys(body))  # as written, not computed again
