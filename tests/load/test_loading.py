"""Loading: validated articles stored whole, failures reported and not stored."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from communique.errors import StoreError
from communique.load import pipeline as loading
from communique.load.pipeline import load_paths
from communique.load.report import COPIED, FAILED, LOADED, REPLACED, UNCHANGED
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from tests.helpers import CORPUS, EXAMPLES, MODEL, dataset_lines


def headlines(store: Store) -> list[str]:
    rows = store.select("SELECT ?h WHERE { ?a a dip:Article ; schema:headline ?h } ORDER BY ?h")
    return [r["h"] for r in rows]


def test_samples_load_once_and_reloading_changes_nothing(samples_store_path: Path, iris) -> None:  # type: ignore[no-untyped-def]
    store = EmbeddedStore(samples_store_path, iris)
    before = set(store.all_quads())
    report = load_paths([CORPUS], store, MODEL)
    assert report.summary() == {LOADED: 0, REPLACED: 0, COPIED: 0, UNCHANGED: 2, FAILED: 0}
    assert set(store.all_quads()) == before
    store.close()


def test_an_article_breaking_a_shape_is_reported_and_not_stored(
    store: Store, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps(
            {
                "id": "good",
                "title": "Ministers meet",
                "body": "The foreign ministers of Chile and Peru met in Lima on Monday.",
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "bad",
                "title": "Envoy leaves",
                "url": "not a web address",
                "body": "The Swedish envoy left Nairobi.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    report = load_paths([feed], store, MODEL)
    failed = report.failures
    assert [o.origin for o in failed] == [f"{feed}:2"]
    assert "url must be one absolute" in failed[0].problems[0]
    assert failed[0].article_iri in failed[0].problems[0]  # the focus node is named
    assert report.count(LOADED) == 1
    assert headlines(store) == ["Ministers meet"]


def test_changed_text_under_the_same_identifier_replaces_the_article(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "talks.txt"
    path.write_text("Talks open\nChile and Peru opened talks.", encoding="utf-8")
    first = load_paths([path], store, MODEL).outcomes[0]
    path.write_text("Talks close\nChile and Peru closed their talks.", encoding="utf-8")
    second = load_paths([path], store, MODEL).outcomes[0]
    assert (first.status, second.status) == (LOADED, REPLACED)
    assert headlines(store) == ["Talks close"]
    assert store.resolve_article(first.article_iri or "") == []


def test_one_identifier_with_two_texts_in_one_load_fails_the_second(
    store: Store, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text("One\nFirst text.", encoding="utf-8")
    (tmp_path / "b" / "same.txt").write_text("Two\nSecond text.", encoding="utf-8")
    report = load_paths([tmp_path], store, MODEL)
    assert [o.status for o in report.outcomes] == [LOADED, FAILED]
    assert "also used by" in report.failures[0].problems[0]


def test_unreadable_inputs_fail_while_the_rest_loads(store: Store, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Summit\nThe summit in Oslo ended.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    report = load_paths([tmp_path, tmp_path / "gone.md"], store, MODEL)
    assert report.summary() == {LOADED: 1, REPLACED: 0, COPIED: 0, UNCHANGED: 0, FAILED: 2}
    assert headlines(store) == ["Summit"]


def test_sample_countries_have_mentions_whose_offsets_match_the_body(samples_store: Store) -> None:
    rows = samples_store.select("""
        SELECT ?code ?start ?end ?text ?body WHERE {
          ?c a dip:Country ; dip:countryCode ?code ; dip:mentionedAs ?m .
          ?m dip:inArticle ?a ; dip:start ?start ; dip:end ?end ; dip:text ?text .
          ?a schema:articleBody ?body }""")
    codes = {r["code"] for r in rows}
    assert {"RU", "IL"} <= codes
    for row in rows:
        assert row["body"][row["start"] : row["end"]] == row["text"]


def test_what_a_person_said_about_a_country_is_a_query(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ports.txt"
    path.write_text(
        "Ports dispute\nJorge Salas said Bolivia would never give up its claim on the coast. "
        "Maria Gonzalez said the talks with Peru would resume.",
        encoding="utf-8",
    )
    load_paths([path], store, MODEL)
    rows = store.select("""
        SELECT ?speaker ?words WHERE {
          ?s a dip:Statement ; dip:speaker/rdfs:label ?speaker ; dip:content ?words ;
             schema:about/rdfs:label "Bolivia"@en }""")
    assert [(r["speaker"], r["words"]) for r in rows] == [
        ("Jorge Salas", "Bolivia would never give up its claim on the coast")
    ]


def test_two_workers_store_the_same_dataset_as_one(tmp_path: Path, iris) -> None:  # type: ignore[no-untyped-def]
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    serial = EmbeddedStore(tmp_path / "serial", iris)
    parallel = EmbeddedStore(tmp_path / "parallel", iris)
    one = load_paths([examples], serial, MODEL, workers=1)
    two = load_paths([examples], parallel, MODEL, workers=2)
    assert one.summary() == two.summary()
    assert one.count(LOADED) >= 4
    assert [o.origin for o in one.outcomes] == [o.origin for o in two.outcomes]
    assert set(serial.all_quads()) == set(parallel.all_quads())
    serial.close()
    parallel.close()


def test_flushing_on_a_thread_after_every_batch_stores_the_same_dataset(
    tmp_path: Path,
    iris,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A flush starts after a batch once enough triples were written; with the
    threshold at one triple every batch starts one (or finds one running),
    while the next batch is written beside it."""
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    steady = EmbeddedStore(tmp_path / "steady", iris)
    load_paths([examples], steady, MODEL, batch_size=1)
    monkeypatch.setattr(loading, "FLUSH_TRIPLES", 1)
    flushing = EmbeddedStore(tmp_path / "flushing", iris)
    flushed: list[str] = []
    real_flush = flushing.flush

    def flush_and_count() -> None:
        flushed.append(threading.current_thread().name)
        real_flush()

    monkeypatch.setattr(flushing, "flush", flush_and_count)
    # a flush that outlasts the next batches is skipped by them ("one running"):
    # right, but it made the count below depend on timing, so here each batch
    # lets the running flush end before it asks for the next
    real_start = loading._BackgroundFlush.start

    def start_after_the_last(self: loading._BackgroundFlush) -> bool:
        if self.thread is not None:
            self.thread.join()
        return real_start(self)

    monkeypatch.setattr(loading._BackgroundFlush, "start", start_after_the_last)
    report = load_paths([examples], flushing, MODEL, batch_size=1)
    assert report.count(LOADED) >= 4 and not report.failures
    assert flushed.count("store-flush") >= 2  # on the flush thread, not the loader's
    assert dataset_lines(flushing) == dataset_lines(steady)
    steady.close()
    flushing.close()


def test_a_failed_background_flush_is_raised_in_the_loading_thread(
    tmp_path: Path,
    iris,  # type: ignore[no-untyped-def]
) -> None:
    store = EmbeddedStore(tmp_path / "s", iris)
    store.close()  # flushing a closed store fails
    flush = loading._BackgroundFlush(store)
    assert flush.start() is True
    with pytest.raises(StoreError, match="closed"):
        flush.wait()
    flush.wait()  # the error is reported once


def test_facts_under_the_threshold_are_not_stored_and_the_rest_are(tmp_path: Path, iris) -> None:  # type: ignore[no-untyped-def]
    """Every stored event's confidence is at least the threshold, and so is every
    stored actor's (on its mentions); what a higher threshold keeps, a lower one
    keeps too."""
    path = tmp_path / "talks.txt"
    path.write_text(
        "Talks in Lima\nThe Chilean president met the Peruvian president in Lima on Monday. "
        "The Chilean president agreed to meet the Bolivian president in March.",
        encoding="utf-8",
    )

    def load_at(threshold: float) -> tuple[list[float], list[float]]:
        store = EmbeddedStore(tmp_path / f"store-{threshold}", iris)
        load_paths([path], store, MODEL, min_confidence=threshold)
        confidences = sorted(
            float(r["c"])
            for r in store.select(
                "SELECT ?c WHERE { ?e a/rdfs:subClassOf* dip:Event ; dip:confidence ?c }"
            )
        )
        mentions = sorted(
            float(r["c"])
            for r in store.select(
                "SELECT ?m ?c WHERE { ?a dip:mentionedAs ?m . ?m dip:confidence ?c }"
            )
        )
        store.close()
        return confidences, mentions

    everything, mentions = load_at(0.0)
    distinct = sorted(set(everything))
    assert len(distinct) >= 2
    # between two stored values (they are rounded to two places when stored)
    middle = (distinct[0] + distinct[1]) / 2
    kept, kept_mentions = load_at(middle)
    assert kept == [c for c in everything if c > middle]
    assert set(kept_mentions) <= set(mentions)
    assert all(c >= middle - 0.005 for c in kept_mentions)  # stored rounded to 0.01
    assert load_at(1.0) == ([], [])


def test_weapons_found_are_stored_with_their_maker_and_holder(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rockets.txt"
    path.write_text(
        "Rockets in Gaza\nIranian-made rockets were found in the hands of Hamas fighters in Gaza.",
        encoding="utf-8",
    )
    report = load_paths([path], store, MODEL)
    assert not report.failures
    rows = store.select("""
        SELECT ?weapon ?maker ?holder ?place WHERE {
          ?e a dip:ArmsTransfer ; schema:object ?w ; dip:recipient/rdfs:label ?holder ;
             dip:location/rdfs:label ?place .
          ?w rdfs:label ?weapon ; dip:madeIn/rdfs:label ?maker }""")
    assert [(r["weapon"], r["maker"], r["holder"], r["place"]) for r in rows] == [
        ("rockets", "Iran", "Hamas", "Gaza")
    ]


def test_without_workers_a_batch_is_written_on_its_own_thread_while_the_next_is_prepared(
    tmp_path: Path,
    iris,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first batch's write waits until the second batch's preparation has begun:
    this can only end (not time out) when the two run side by side. The stored
    dataset is the one written in one batch."""
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    whole = EmbeddedStore(tmp_path / "whole", iris)
    load_paths([examples], whole, MODEL, batch_size=100)
    store = EmbeddedStore(tmp_path / "overlap", iris)
    prepared_batches: list[threading.Event] = []
    writers: set[str] = set()
    real_prepare, real_write = loading._prepare, store.write_article

    def prepare(*args: object) -> object:
        prepared_batches.append(started := threading.Event())
        started.set()
        return real_prepare(*args)  # type: ignore[arg-type]

    def write(write: object) -> None:
        writers.add(threading.current_thread().name)
        if len(prepared_batches) == 1:  # the first batch: the second must begin meanwhile
            assert _wait_for(lambda: len(prepared_batches) > 1), "no overlap"
        real_write(write)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "_prepare", prepare)
    monkeypatch.setattr(store, "write_article", write)
    report = load_paths([examples], store, MODEL, batch_size=1)
    assert report.count(LOADED) == 5 and not report.failures
    # every batch but the last, which has nothing to overlap, on the writer's thread
    assert any(name.startswith("store-write") for name in writers)
    assert dataset_lines(store) == dataset_lines(whole)
    whole.close()
    store.close()


def _wait_for(condition: object, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_a_write_that_fails_on_the_writer_thread_stops_the_load_with_its_error(
    tmp_path: Path,
    iris,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    store = EmbeddedStore(tmp_path / "s", iris)
    written: list[object] = []
    real_write = store.write_article

    def write_twice_then_fail(write: object) -> None:
        if len(written) == 2:
            raise StoreError("the disk is full")
        real_write(write)  # type: ignore[arg-type]
        written.append(write)

    monkeypatch.setattr(store, "write_article", write_twice_then_fail)
    with pytest.raises(StoreError, match="disk is full"):
        load_paths([examples], store, MODEL, batch_size=1)
    assert len(store.article_sources()) == 2  # what was written before stays whole
    store.close()


def test_summary_cells_and_search_entries_made_in_the_worker_equal_those_read_from_the_text(
    iris,  # type: ignore[no-untyped-def]
) -> None:
    """Prepared from the triples before they become text, and read back from the
    text when a write changed since (a merged person): the same either way."""
    from communique.load.prepare import prepare_batch
    from communique.loaders.read.readers import read_paths
    from communique.store.summary_parts import part_of_write
    from communique.store.text_index import entries_of

    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    articles = [a for a in read_paths([examples, CORPUS]) if not isinstance(a, Exception)]
    prepared = prepare_batch(articles, MODEL, iris.base)
    assert len(prepared) >= 5 and all(not p.problems for p in prepared)
    for item in prepared:
        write = item.write
        assert write.text_entries == entries_of(write)
        assert write.summary_part == part_of_write(write, iris)
        assert len(write.text_entries) > 1 and write.summary_part


def test_a_load_whose_articles_conform_never_needs_pyshacl(tmp_path: Path) -> None:
    """The compiled shapes check every batch; pyshacl (20 MB and 0.2 s to import in
    each process) is loaded only to name the violations of a batch that fails."""
    script = (
        "import sys; from pathlib import Path\n"
        "from communique.load.pipeline import load_paths\n"
        "from communique.store.embedded import EmbeddedStore\n"
        "from communique.vocab import Iris\n"
        f"store = EmbeddedStore(Path({str(tmp_path / 'store')!r}), Iris('https://example.org/'))\n"
        f"report = load_paths([Path({str(EXAMPLES)!r})], store, {MODEL!r}, workers=1)\n"
        "store.close()\n"
        "print(report.summary()['loaded'], 'pyshacl' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded, imported = done.stdout.split()
    assert int(loaded) > 0 and imported == "False"
