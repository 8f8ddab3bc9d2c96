"""One story, many copies: the same wire text under five headlines and footers
loads as one article with five sources, its facts say five sources, a rerun is
"unchanged", and a different story on the same subject stays its own article.
The story and its variants are written here."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.export.events import EventFilter, Exporter
from communique.load import pipeline
from communique.load.pipeline import load_paths
from communique.load.report import COPIED, FAILED, LOADED, REPLACED, UNCHANGED
from communique.loaders.copies import SAME_STORY, resemblance, similarity_keys
from communique.store.base import Store
from communique.store.embedded import EmbeddedStore
from communique.validation.shapes import validate_store
from communique.vocab import Iris
from tests.helpers import BASE_IRI, MODEL, serve_store

STORY = (
    "Foreign ministers of Norway and Iceland met in Reykjavik on Tuesday to discuss "
    "fishing quotas in the North Atlantic, officials from both governments said. "
    "Norwegian Foreign Minister Espen Barth Eide and his Icelandic counterpart "
    "Thorgerdur Gunnarsdottir agreed to set up a joint working group on mackerel "
    "stocks, which have moved north as the sea has warmed. The group will report "
    "before the end of the year, and the two ministers said they expected to sign an "
    "accord on shared quotas early next year. Eide said the talks had been frank and "
    "useful, and that both countries wanted a settlement that the fishing industry "
    "could plan around. Gunnarsdottir said Iceland would also invite the Faroe Islands "
    "to take part in the next round of talks, planned for March in Oslo."
)
HEADLINES = (
    "Norway and Iceland agree on mackerel working group",
    "Nordic ministers meet over fishing quotas",
    "Iceland, Norway to set up joint group on mackerel",
    "Fisheries talks in Reykjavik end with a plan",
    "Mackerel: Oslo and Reykjavik move towards a deal",
)
FOOTERS = (
    "Copyright 2025 Harbour Wire. All rights reserved.",
    "Reporting by the Nordic desk; editing by the world desk.",
    "This story was provided by a news agency and was not edited by our staff.",
    "Sign up for our morning newsletter for the day's top stories.",
    "Follow us for more news from the north.",
)
OTHER_STORY = (
    "Iceland's foreign minister said on Wednesday that the country would not accept "
    "any deal on mackerel that cut its catch, a day after meeting her Norwegian "
    "counterpart in the capital. Speaking to parliament, Thorgerdur Gunnarsdottir "
    "said the government owed fishing towns in the east a fair share, and that talks "
    "with Norway, the European Union and the Faroe Islands would take time."
)


def copies(count: int = 5) -> list[dict[str, str]]:
    return [
        {
            "id": f"outlet-{n}/mackerel",
            "headline": HEADLINES[n],
            "body": f"{HEADLINES[n]}\n\n{STORY}\n\n{FOOTERS[n]}",
            "url": f"https://outlet{n}.example/world/mackerel",
            "publisher": f"Outlet {n}",
            "published": f"2025-05-0{6 + n % 3}",
        }
        for n in range(count)
    ]


def write_lines(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_five_copies_load_as_one_article_with_five_sources(store: Store, tmp_path):
    feed = write_lines(tmp_path / "wire.jsonl", copies())
    report = load_paths([feed], store, MODEL)
    assert [o.status for o in report.outcomes] == [LOADED, COPIED, COPIED, COPIED, COPIED]
    original = report.outcomes[0].article_iri
    assert {o.article_iri for o in report.outcomes} == {original}
    articles = store.select("SELECT ?a WHERE { GRAPH ?a { ?a a dip:Article } }")
    assert [str(r["a"]) for r in articles] == [original]
    sources = store.select(
        """SELECT ?url ?publisher WHERE { ?a dip:copy ?c ; prov:wasDerivedFrom ?c .
        ?c schema:url ?url ; schema:publisher ?publisher }"""
    )
    assert {r["url"] for r in sources} == {
        f"https://outlet{n}.example/world/mackerel" for n in (1, 2, 3, 4)
    }
    rows = list(Exporter(store).rows(EventFilter()))
    assert rows and {row["num_sources"] for row in rows} == {5}  # every fact says 5 sources
    assert {row["article_iri"] for row in rows} == {original}

    again = load_paths([feed], store, MODEL)
    assert {o.status for o in again.outcomes} == {UNCHANGED}
    assert {o.article_iri for o in again.outcomes} == {original}


def test_copies_of_a_stored_article_are_found_in_a_later_load(store: Store, tmp_path):
    first, *rest = copies()
    load_paths([write_lines(tmp_path / "first.jsonl", [first])], store, MODEL)
    later = load_paths([write_lines(tmp_path / "later.jsonl", rest)], store, MODEL)
    assert {o.status for o in later.outcomes} == {COPIED}
    notes = " ".join(note for o in later.outcomes for note in o.notes)
    assert "resemblance 0.9" in notes or "resemblance 0.8" in notes


def test_another_story_on_the_same_subject_is_an_article_of_its_own(store: Store, tmp_path):
    other = {"id": "other", "headline": "Iceland digs in", "body": OTHER_STORY}
    report = load_paths([write_lines(tmp_path / "two.jsonl", [copies(1)[0], other])], store, MODEL)
    assert [o.status for o in report.outcomes] == [LOADED, LOADED]
    assert resemblance(STORY, OTHER_STORY) < 0.1


def test_a_changed_copy_replaces_its_earlier_record(store: Store, tmp_path):
    records = copies(2)
    load_paths([write_lines(tmp_path / "a.jsonl", records)], store, MODEL)
    records[1]["body"] += " Updated at noon."
    report = load_paths([write_lines(tmp_path / "b.jsonl", records)], store, MODEL)
    assert [o.status for o in report.outcomes] == [UNCHANGED, COPIED]
    recorded = store.select("SELECT ?c WHERE { ?a dip:copy ?c }")
    assert len(recorded) == 1  # the outlet's page is one source, not two


def test_an_updated_original_keeps_its_copies_as_sources(store: Store, tmp_path):
    """The first outlet updates its page: the new version replaces the article and
    the other outlets' copies stay recorded as its sources."""
    records = copies(3)
    first = load_paths([write_lines(tmp_path / "a.jsonl", records)], store, MODEL)
    records[0]["body"] += " Updated at noon with a comment from the ministry."
    report = load_paths([write_lines(tmp_path / "b.jsonl", records)], store, MODEL)
    assert [o.status for o in report.outcomes] == [REPLACED, UNCHANGED, UNCHANGED]
    new = report.outcomes[0].article_iri
    assert new != first.outcomes[0].article_iri
    assert {o.article_iri for o in report.outcomes} == {new}  # the copies: where they are now
    recorded = store.select("SELECT ?a ?c WHERE { ?a dip:copy ?c ; prov:wasDerivedFrom ?c }")
    assert {str(r["a"]) for r in recorded} == {new} and len(recorded) == 2
    rows = list(Exporter(store).rows(EventFilter()))
    assert rows and {row["num_sources"] for row in rows} == {3}
    assert validate_store(store) == []
    again = load_paths([write_lines(tmp_path / "b.jsonl", records)], store, MODEL)
    assert {o.status for o in again.outcomes} == {UNCHANGED}
    assert len(store.select("SELECT ?c WHERE { ?a dip:copy ?c }")) == 2


def test_another_story_under_the_same_identifier_keeps_no_copies(store: Store, tmp_path):
    records = copies(3)
    load_paths([write_lines(tmp_path / "a.jsonl", records)], store, MODEL)
    other = {**records[0], "body": OTHER_STORY}
    report = load_paths([write_lines(tmp_path / "b.jsonl", [other])], store, MODEL)
    assert [o.status for o in report.outcomes] == [REPLACED]
    assert store.select("SELECT ?c WHERE { ?a dip:copy ?c }") == []


def test_a_copy_whose_original_fails_loads_on_its_own(store: Store, tmp_path, monkeypatch):
    real = pipeline._prepare

    def first_fails(articles, *args):  # type: ignore[no-untyped-def]
        prepared = real(articles, *args)
        return [
            dataclasses.replace(p, problems=("made to fail",))
            if a.source_id == "outlet-0/mackerel"
            else p
            for a, p in zip(articles, prepared, strict=True)
        ]

    monkeypatch.setattr(pipeline, "_prepare", first_fails)
    report = load_paths([write_lines(tmp_path / "w.jsonl", copies(3))], store, MODEL)
    statuses = {o.origin.rsplit(":", 1)[-1]: o.status for o in report.outcomes}
    assert sorted(statuses.values()) == sorted([FAILED, LOADED, COPIED])
    assert len(report.outcomes) == 3  # each input once
    assert len(store.select("SELECT ?a WHERE { GRAPH ?a { ?a a dip:Article } }")) == 1


words = st.lists(
    st.sampled_from(
        [
            "the",
            "a",
            "of",
            "minister",
            "talks",
            "said",
            "on",
            "in",
            "to",
            "and",
            "was",
            "met",
            "deal",
        ]
    ),
    min_size=80,
    max_size=300,
)


@settings(max_examples=60, deadline=None)
@given(words, st.lists(st.text("xyzq ", min_size=1, max_size=12), max_size=6))
def test_a_text_with_a_short_footer_shares_a_key_with_itself(body, footer):
    text = " ".join(body)
    copy = text + "\n" + " ".join(footer)
    assert similarity_keys(text) == similarity_keys(text)
    assert resemblance(text, copy) == resemblance(copy, text)
    assert 0 <= resemblance(text, copy) <= 1
    if resemblance(text, copy) >= 0.9:
        assert set(similarity_keys(text)) & set(similarity_keys(copy))


@pytest.mark.parametrize("threshold", [SAME_STORY])
def test_the_threshold_separates_the_written_copies_from_the_other_story(threshold):
    bodies = [r["body"] for r in copies()]
    assert min(resemblance(a, b) for a in bodies for b in bodies) >= threshold
    assert max(resemblance(b, OTHER_STORY) for b in bodies) < threshold


def test_the_pages_say_how_many_sources_state_the_story(tmp_path):
    path = tmp_path / "store"
    writer = EmbeddedStore(path, Iris(BASE_IRI))
    try:
        load_paths([write_lines(tmp_path / "wire.jsonl", copies())], writer, MODEL)
        event = str(writer.select("SELECT ?e WHERE { ?e dip:status ?s } LIMIT 1")[0]["e"])
        article = str(writer.select("SELECT ?a WHERE { ?a a dip:Article }")[0]["a"])
    finally:
        writer.close()
    served = contextlib.contextmanager(serve_store)(path, tmp_path / "server.log")
    with served as url:
        local = BASE_IRI.rstrip("/").rsplit("/", 1)[0]  # the server maps /id/ onto the base
        event_page, article_page = (
            urlopen(Request(iri.replace(local, url), headers={"Accept": "text/html"}))
            .read()
            .decode()
            for iri in (event, article)
        )
    assert "stated by 5 sources" in event_page
    assert "5 sources: this text was also published as" in article_page
    for n in (1, 2, 3, 4):
        assert f'href="https://outlet{n}.example/world/mackerel"' in article_page


def test_copies_conform_to_their_shape_and_a_bad_copy_is_refused(store: Store, tmp_path):
    records = copies(3)
    records[2]["url"] = "not an address"  # the reader keeps it; the shape does not
    report = load_paths([write_lines(tmp_path / "w.jsonl", records)], store, MODEL)
    assert [o.status for o in report.outcomes] == [LOADED, COPIED, FAILED]
    assert "A copy's url must be one absolute" in report.outcomes[2].problems[0]
    assert validate_store(store) == []  # what was written conforms, copies included
