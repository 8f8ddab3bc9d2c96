"""Readers for the web (``loaders/read/web.py``): saved pages, RSS and Atom
feeds, WARC files. The pages and feeds are in ``tests/data/web`` (written for
these tests); the WARC files are built here. Bad input is reported by file and
record, and the rest is read."""

from __future__ import annotations

import gzip
import io
import shutil
from datetime import date
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from communique.errors import InputError
from communique.load.pipeline import load_paths
from communique.loaders.read.article import Article
from communique.loaders.read.readers import read_paths
from communique.loaders.read.web import page_article
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, MODEL

WEB = Path(__file__).resolve().parents[1] / "data" / "web"
PAGE = (WEB / "page.html").read_bytes()
SITE = "https://courier.example/"
COPY_ROWS = """SELECT ?headline ?url ?published WHERE { ?g dip:copy ?c .
  ?c schema:headline ?headline ; schema:url ?url ; schema:datePublished ?published }"""
ARTICLE_ROWS = """SELECT ?headline ?url ?published WHERE { GRAPH ?g { ?g a dip:Article ;
  schema:headline ?headline ; schema:url ?url ; schema:datePublished ?published } }"""


def build_warc(path: Path, records: list[tuple[str, str, bytes, str]]) -> None:
    """A gzipped WARC of (url, content type, body, fetch time) response records."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, kind, body, fetched in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),  # given: warcio need not spool the body to a file
                http_headers=headers,
                warc_headers_dict={"WARC-Date": fetched},
            )
            writer.write_record(record)


def undated_page() -> bytes:
    """The sample page without its date or canonical link, and with another last
    paragraph (another text: another article)."""
    text = PAGE.decode("utf-8")
    for tag in ('<meta property="article:published_time"', '<link rel="canonical"'):
        start = text.index(tag)
        text = text[:start] + text[text.index(">", start) + 1 :]
    text = text.replace("14 March 2025", "Thursday")
    return text.replace("Sudan, which was not at the meeting,", "Sudan, absent from it,").encode()


def read(*paths: Path) -> tuple[list[Article], list[InputError]]:
    found = list(read_paths(list(paths)))
    return (
        [r for r in found if isinstance(r, Article)],
        [r for r in found if isinstance(r, InputError)],
    )


def test_a_saved_page_gives_its_main_text_and_metadata_without_the_boilerplate() -> None:
    (article,), errors = read(WEB / "page.html")
    assert not errors
    assert article.headline == "Envoys agree on a water-sharing panel"
    assert article.published == date(2025, 3, 14)
    assert article.url == "https://courier.example/world/2025/03/14/water-panel"
    assert article.publisher == "The Riverside Courier"
    assert article.author == "Mira Okafor"
    assert "joint panel on the waters of the Blue Nile" in article.body
    for boilerplate in ("cookies", "Ten recipes", "Sport", "All rights reserved", "Photo:"):
        assert boilerplate not in article.body, boilerplate


def test_a_feed_gives_one_article_an_entry_full_content_or_summary() -> None:
    articles, errors = read(WEB / "wire.rss", WEB / "briefing.atom")
    assert not errors
    by_headline = {a.headline: a for a in articles}
    assert set(by_headline) == {
        "Ministers sign a fisheries accord",
        "Chile recalls its ambassador",
        "Seoul and Tokyo resume security talks",
    }
    accord = by_headline["Ministers sign a fisheries accord"]
    assert "shared quotas for mackerel" in accord.body  # the full content, not the summary
    assert "<p>" not in accord.body and accord.publisher == "Harbour Wire: World"
    recall = by_headline["Chile recalls its ambassador"]
    assert recall.url == "https://wire.example/world/chile-recall" and recall.notes
    talks = by_headline["Seoul and Tokyo resume security talks"]
    assert talks.published is not None and talks.published.date() == date(2025, 6, 2)


def test_every_html_response_of_a_warc_is_an_article_with_its_url_and_fetch_date(
    tmp_path: Path,
) -> None:
    warc = tmp_path / "crawl.warc.gz"
    build_warc(
        warc,
        [
            (
                "https://courier.example/p1",
                "text/html; charset=utf-8",
                PAGE,
                "2025-03-15T08:00:00Z",
            ),
            (
                "https://courier.example/logo.png",
                "image/png",
                b"\x89PNG....",
                "2025-03-15T08:00:01Z",
            ),
            ("https://courier.example/p2", "text/html", undated_page(), "2025-04-01T12:00:00Z"),
        ],
    )
    articles, errors = read(warc)
    assert not errors
    assert [a.published for a in articles] == [date(2025, 3, 14), date(2025, 4, 1)]
    assert articles[1].url == "https://courier.example/p2"  # the fetched URL, no canonical
    assert all("record" in a.origin for a in articles)


def test_bad_input_is_reported_by_file_and_record_and_the_rest_is_read(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    build_warc(
        good,
        [
            ("https://courier.example/p1", "text/html", PAGE, "2025-03-15T08:00:00Z"),
            ("https://courier.example/p2", "text/html", undated_page(), "2025-04-01T12:00:00Z"),
        ],
    )
    whole = gzip.decompress(good.read_bytes())
    truncated = tmp_path / "truncated.warc"
    truncated.write_bytes(whole[: int(len(whole) * 0.75)])  # breaks off in the second record
    shutil.copy(WEB / "no-text.html", tmp_path / "no-text.html")
    shutil.copy(WEB / "actually-a-page.rss", tmp_path / "actually-a-page.rss")
    shutil.copy(WEB / "page.html", tmp_path / "page.html")
    articles, errors = read(tmp_path)
    said = {e.source.split(" (")[0].split("/")[-1]: e.problem for e in errors}
    assert "no article text" in said["no-text.html"]
    assert "not an RSS or Atom feed" in said["actually-a-page.rss"]
    assert "breaks off" in said["truncated.warc:record 2"], said
    origins = [a.origin.split(" (")[0].split("/")[-1] for a in articles]
    assert "page.html" in origins and any(o.startswith("truncated.warc:record 1") for o in origins)
    assert sum(o.startswith("good.warc.gz") for o in origins) == 2


def test_pages_feeds_and_a_warc_load_with_their_headlines_dates_and_urls(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("page.html", "wire.rss", "briefing.atom"):
        shutil.copy(WEB / name, folder / name)
    build_warc(
        folder / "crawl.warc.gz",
        [("https://courier.example/p2", "text/html", undated_page(), "2025-04-01T12:00:00Z")],
    )
    store = EmbeddedStore(tmp_path / "store", Iris(BASE_IRI))
    try:
        report = load_paths([folder], store, MODEL)
        assert not report.failures, report.outcomes
        articles = store.select(ARTICLE_ROWS)
        copies = store.select(COPY_ROWS)  # the same story again is one of its sources
        found = {(r["headline"], r["url"], str(r["published"])[:10]) for r in articles + copies}
        assert found == {
            ("Envoys agree on a water-sharing panel",
             "https://courier.example/world/2025/03/14/water-panel", "2025-03-14"),
            ("Ministers sign a fisheries accord",
             "https://wire.example/world/fisheries-accord", "2025-05-06"),
            ("Chile recalls its ambassador",
             "https://wire.example/world/chile-recall", "2025-05-07"),
            ("Seoul and Tokyo resume security talks",
             "https://briefing.example/seoul-tokyo-talks", "2025-06-02"),
            (undated_headline(), "https://courier.example/p2", "2025-04-01"),
        }  # fmt: skip
        # the saved page and the WARC's record of it: one article, one copy
        assert len(articles) == 4 and len(copies) == 1
        assert copies[0]["headline"] == undated_headline()
        assert sum(r["headline"] == undated_headline() for r in articles) == 1
        authors = store.select("SELECT ?a WHERE { ?g schema:author ?a }")
        assert [r["a"] for r in authors] == ["Mira Okafor"]
        again = load_paths([folder], store, MODEL)  # a rerun stores nothing new
        assert {str(o.status) for o in again.outcomes} == {"unchanged"}
    finally:
        store.close()


def undated_headline() -> str:
    return page_article(undated_page(), "page").headline
