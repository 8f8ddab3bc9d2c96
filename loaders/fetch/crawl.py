"""From addresses to articles: fetch each one and read what it holds.

A fetched address is read by what the server says it is (Content-Type), then
by its name, then by its first bytes: a page (trafilatura), a feed (one article
per entry) or a web archive (one article per HTML record). A feed entry that
carries only a summary is followed to its page, fetched as politely as the
feed; when the page cannot be had, the summary is loaded, with a note.

The walk yields what it read (:class:`Found`) and, once everything read from an
address has been yielded, that the address is done (:class:`Done`): the fetch
record notes an address only when all its articles are settled in the store.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from communique.errors import InputError
from communique.loaders.fetch.client import Fetched, PoliteClient
from communique.loaders.fetch.record import Attempt, FetchRecord
from communique.loaders.read.article import Article
from communique.loaders.read.web import (
    entry_has_content,
    entry_identity,
    feed_entries,
    guarded_entry_article,
    page_article,
    warc_articles,
)

PAGE, FEED, ARCHIVE = "page", "feed", "web archive"
# What a Content-Type (before any ';') says an answer is.
MEDIA_KINDS: dict[str, str] = {
    "text/html": PAGE,
    "application/xhtml+xml": PAGE,
    "application/rss+xml": FEED,
    "application/atom+xml": FEED,
    "application/rdf+xml": FEED,  # RSS 1.0
    "application/feed+json": FEED,
    "application/warc": ARCHIVE,
}
ARCHIVE_SUFFIXES = (".warc", ".warc.gz")
# First bytes (lowercased, after any XML declaration) that say what an answer is
# when its Content-Type does not (text/xml, application/octet-stream, none).
SNIFFED: tuple[tuple[bytes, str], ...] = (
    (b"<rss", FEED),
    (b"<feed", FEED),
    (b"<rdf:rdf", FEED),
    (b"<!doctype html", PAGE),
    (b"<html", PAGE),
    (b"warc/", ARCHIVE),
)


@dataclass(frozen=True)
class Found:
    """An article read from an answer, or why one could not be."""

    result: Article | InputError


@dataclass(frozen=True)
class Done:
    """Everything read from this visit has been yielded."""

    visit: Attempt


Step = Found | Done


class Crawl:
    """One run's walk over addresses, asking conditionally what was fetched before."""

    def __init__(self, client: PoliteClient, record: FetchRecord, limits: Any) -> None:
        self.client = client
        self.record = record
        self.limits = limits  # ReadLimits: how large one record of an archive may be

    def pages(self, urls: Iterable[str]) -> Iterator[Step]:
        """Addresses of anything: pages, feeds or archives."""
        for url in urls:
            yield from self._visit(url, expected=None)

    def feeds(self, urls: Iterable[str]) -> Iterator[Step]:
        """Addresses that must be feeds."""
        for url in urls:
            yield from self._visit(url, expected=FEED)

    def _visit(self, url: str, expected: str | None) -> Iterator[Step]:
        answer = self.client.get(url, self.record.validators(url))
        if isinstance(answer, InputError):
            yield Found(answer)
            yield Done(_failed(url, answer))
            return
        if not answer.not_modified:
            yield from self._read(answer, expected)
        yield Done(_visit(answer))

    def _read(self, answer: Fetched, expected: str | None) -> Iterator[Step]:
        kind = kind_of(answer)
        if expected is not None and kind != expected:
            wanted = _with_article(expected)
            what = f"is {_with_article(kind)}, not {wanted}" if kind else f"is not {wanted}"
            yield Found(InputError(answer.url, what, f"give the {expected}'s own address"))
        elif kind == PAGE:
            yield Found(_page(answer.body, answer.url, answer))
        elif kind == FEED:
            yield from self._feed(answer)
        elif kind == ARCHIVE:
            stream = io.BytesIO(answer.body)
            yield from (Found(found) for found in warc_articles(stream, answer.url, self.limits))
        else:
            yield Found(
                InputError(
                    answer.url,
                    f"is {answer.content_type or 'of no stated type'}, not a page, feed or "
                    "web archive",
                    "give the address of an article page, a feed or a WARC file",
                )
            )

    def _feed(self, answer: Fetched) -> Iterator[Step]:
        try:
            entries = list(feed_entries(answer.body, answer.url, answer.final_url))
        except InputError as error:
            yield Found(error)
            return
        for origin, entry in entries:
            if entry_has_content(entry) or not entry.get("link"):
                yield Found(guarded_entry_article(origin, entry))
            else:
                yield from self._entry_page(entry, origin)

    def _entry_page(self, entry: Any, origin: str) -> Iterator[Step]:
        """The page an entry links to; its summary when the page cannot be had."""
        link = str(entry["link"])
        answer = self.client.get(link, self.record.validators(link))
        if isinstance(answer, InputError):
            summary = guarded_entry_article(origin, entry)
            if isinstance(summary, Article):
                note = f"its page could not be fetched ({answer.advice}); its summary was loaded"
                summary = _with_note(summary, note)
            yield Found(summary)
            yield Done(_failed(link, answer))
            return
        if not answer.not_modified:
            if kind_of(answer) == PAGE:
                yield Found(_page(answer.body, link, answer, entry))
            else:
                yield Found(guarded_entry_article(origin, entry))
        yield Done(_visit(answer))


def kind_of(answer: Fetched) -> str | None:
    """Page, feed or web archive: by Content-Type, then name, then first bytes."""
    media = answer.content_type.split(";", 1)[0].strip().lower()
    if media in MEDIA_KINDS:
        return MEDIA_KINDS[media]
    if urlsplit(answer.final_url).path.lower().endswith(ARCHIVE_SUFFIXES):
        return ARCHIVE
    start = answer.body[:1024].lstrip().lower()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2 :].lstrip()
    if start.startswith(b"<!--"):  # a comment before the root element
        start = start[start.find(b"-->") + 3 :].lstrip()
    return next((kind for prefix, kind in SNIFFED if start.startswith(prefix)), None)


def read_address_list(path: Path) -> tuple[list[str], list[InputError]]:
    """The addresses in a file, one a line (blank lines and ``#`` comments
    skipped), and the lines that are not http(s) addresses."""
    urls: list[str] = []
    problems: list[InputError] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):  # not inline: an address may hold a '#'
            continue
        if urlsplit(text).scheme in ("http", "https") and urlsplit(text).netloc:
            urls.append(text)
        else:
            problems.append(
                InputError(
                    f"{path}:{number}",
                    f"{text[:80]!r} is not an http or https address",
                    "one address a line; # starts a comment",
                )
            )
    return urls, problems


def _page(body: bytes, origin: str, answer: Fetched, entry: Any = None) -> Article | InputError:
    """A page's article; from a feed entry, under the entry's name and date."""
    identity = entry_identity(entry) if entry is not None else None
    day = _entry_day(entry) if entry is not None else None
    try:
        return page_article(
            body, origin, answer.final_url, day or answer.fetched_at.date(), identity
        )
    except InputError as error:
        return error


def _entry_day(entry: Any) -> date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None


def _with_note(article: Article, note: str) -> Article:
    return dataclasses.replace(article, notes=(*article.notes, note))


def _visit(answer: Fetched) -> Attempt:
    status = "not modified" if answer.not_modified else "fetched"
    return Attempt(
        answer.url, answer.final_url, status, answer.validators, answer.fetched_at.isoformat()
    )


def _failed(url: str, error: InputError) -> Attempt:
    return Attempt(url, None, f"failed: {error.advice}", None, datetime.now(UTC).isoformat())


def _with_article(kind: str | None) -> str:
    """'a page', 'an archive': a kind as a message says it."""
    return "an " + kind if kind and kind[0] in "aeiou" else f"a {kind}"


__all__ = ["Crawl", "Done", "Found", "kind_of", "read_address_list"]
