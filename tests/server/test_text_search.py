"""Search over what the articles say: headlines, text, event labels and quotes
are found by their words, grouped by kind, on the results page and among the
suggestions; a store whose index is behind gets it rebuilt. The words searched
are taken from the store, never written here."""

from __future__ import annotations

import csv
import io
import re
import shutil
import time
from pathlib import Path

from flask.testing import FlaskClient

from communique.server.app import create_app
from communique.settings import Settings
from communique.store.embedded import EmbeddedStore
from communique.store.text_index import FILE_NAME
from communique.vocab import Iris
from tests.helpers import BASE_IRI

SAYINGS = {
    "article": "SELECT ?x ?text WHERE { GRAPH ?x { ?x a dip:Article ; schema:headline ?text } }",
    "event": "SELECT ?x ?text WHERE { GRAPH ?g { ?x dip:ploverType ?t ; rdfs:label ?text } }",
    "statement": "SELECT ?x ?text WHERE { GRAPH ?g { ?x dip:quote ?text } }",
}


def rarest_words(store_path: Path, kind: str, count: int = 3) -> list[tuple[str, str]]:
    """(IRI, word) for things of a kind, each word the longest of its text."""
    store = EmbeddedStore(store_path, Iris(BASE_IRI), read_only=True)
    try:
        rows = store.select(SAYINGS[kind])
    finally:
        store.close()
    chosen = []
    for row in sorted(rows, key=lambda r: r["x"])[:count]:
        words = re.findall(r"[^\W\d_]{5,}", row["text"])
        if words:
            chosen.append((row["x"], max(words, key=len)))
    assert chosen, f"the examples hold no {kind} with a word to search"
    return chosen


def test_words_of_headlines_event_labels_and_quotes_find_them(
    examples_client: FlaskClient, examples_store_path: Path
) -> None:
    for kind, section in (
        ("article", "articles"),
        ("event", "events"),
        ("statement", "statements"),
    ):
        for iri, word in rarest_words(examples_store_path, kind):
            page = examples_client.get(f"/search?q={word}").get_data(as_text=True)
            found = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
            assert "/id/" + iri.split("/id/", 1)[1] in found, (kind, word)
            assert f"<mark>{word.lower()}" in found.lower()


def test_suggestions_add_what_the_articles_say_after_the_names(
    examples_client: FlaskClient, examples_store_path: Path
) -> None:
    (iri, word), *_ = rarest_words(examples_store_path, "article")
    hits = examples_client.get(f"/search.json?q={word}").get_json()
    groups = [hit["group"] for hit in hits]
    assert "article" in groups
    assert groups == sorted(groups, key=lambda g: g != "name")  # names first
    article = next(hit for hit in hits if hit["iri"] == iri)
    assert article["href"].startswith("/id/article/")


def test_an_index_that_is_behind_is_rebuilt_and_says_so_meanwhile(
    examples_store_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(examples_store_path, copy)
    for leftover in copy.glob(FILE_NAME + "*"):  # a store loaded before the index existed
        leftover.unlink()
    (iri, word), *_ = rarest_words(copy, "article")
    store = EmbeddedStore(copy, Iris(BASE_IRI), read_only=True)
    client = create_app(Settings.from_env({}, store=copy, base_iri=BASE_IRI), store).test_client()
    first = client.get(f"/search?q={word}").get_data(as_text=True)
    assert 'id="text-note"' in first and 'id="articles"' not in first
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(f"/search?q={word}").get_data(as_text=True)
        if 'id="articles"' in page:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the text index was not rebuilt within two minutes")
    assert "/id/" + iri.split("/id/", 1)[1] in page
    store.close()


def test_the_results_download_as_a_table_with_plain_snippets(
    examples_client: FlaskClient, examples_store_path: Path
) -> None:
    (iri, word), *_ = rarest_words(examples_store_path, "article")
    reply = examples_client.get(f"/search.csv?q={word}")
    assert reply.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))
    article = next(row for row in rows if row["iri"] == iri)
    assert article["group"] == "article" and "<mark>" not in article["snippet"]
    assert word.lower() in article["snippet"].lower()
