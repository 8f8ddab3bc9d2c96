"""Readers for news as the web has it: saved HTML pages, RSS and Atom feeds,
and WARC files (the format of news crawls).

The main text of a page, and its headline, date, publisher and canonical URL,
come from trafilatura, which leaves menus, captions, related links and cookie
banners out; the text stored is what it returns, so the offsets of every fact
point into it. A feed entry is an article of its full content where the feed
carries it, else of its summary (with its link). Every HTML response record of
a WARC file is an article, with the URL it was fetched from and the fetch date
when the page gives no date of its own.

Each entry and record is read behind its own guard: one bad entry is reported
by its file and number, and the rest are read.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import feedparser
import trafilatura
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from communique.errors import InputError
from communique.loaders.read.article import Article
from communique.loaders.read.decoding import read_at_most
from communique.loaders.read.fields import Fields, article_from, display_path

MIN_WORDS = 25  # fewer words than a short news item: menus and captions, not an article
NO_TEXT_HINT = "is it an article page? an index, a login wall or a page drawn by a script has none"


def page_article(
    html: bytes | str,
    origin: str,
    url: str | None = None,
    fetched: date | None = None,
    identity: str | None = None,
) -> Article:
    """The article of one HTML page: its main text and metadata, by trafilatura.
    ``identity`` names its story when something else already did (a feed entry's
    id), so the page replaces the entry's summary instead of standing beside it."""
    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = (getattr(found, "text", None) or "").strip() if found is not None else ""
    if len(text.split()) < MIN_WORDS:  # what is left of a page with no article
        raise InputError(origin, "no article text found in the page", NO_TEXT_HINT)
    day = _day(found.date) or fetched
    meta = {
        "headline": (found.title or "").strip(),
        "published": day.isoformat() if day else None,
        "publisher": found.sitename or found.hostname or None,
        "url": found.url or url,
        "id": identity or found.url or url,
        "author": found.author or None,
    }
    return _checked(text, meta, origin)


def _checked(text: str, meta: dict[str, Any], origin: str) -> Article:
    """The article through the checks every reader's articles pass (length,
    control characters, dates), its headline the first line when it has none."""
    kept = {key: value for key, value in meta.items() if value}
    first_line = text.split("\n", 1)[0][:200]
    return article_from(Fields(text, kept, origin, kept.get("id"), first_line, None))


def _day(text: str | None) -> date | None:
    """A page's date (trafilatura writes YYYY-MM-DD), or None."""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def read_html(path: Path, limits: Any) -> Iterator[Article]:
    yield page_article(read_at_most(path, limits.max_input_bytes), display_path(path))


# ------------------------------------------------------------------------- feeds
def read_feed(path: Path, limits: Any) -> Iterator[Article | InputError]:
    yield from feed_articles(read_at_most(path, limits.max_input_bytes), display_path(path))


def feed_articles(data: bytes, name: str) -> Iterator[Article | InputError]:
    """One article per entry of an RSS or Atom feed (``name``: for messages)."""
    for origin, entry in feed_entries(data, name):
        yield guarded_entry_article(origin, entry)


def feed_entries(data: bytes, name: str, base: str | None = None) -> Iterator[tuple[str, Any]]:
    """Each entry of a feed with its origin for messages, and the feed's title as
    ``entry.feed_title``; a feed with no entries is refused. Relative links are
    made absolute against ``base``, the address the feed was fetched from."""
    headers = {"content-location": base} if base else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise InputError(
            name,
            f"is not an RSS or Atom feed with entries{problem}",
            "save the feed itself (its XML), not the page that links to it",
        )
    publisher = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        entry["feed_title"] = publisher
        yield f"{name}:entry {number}", entry


def guarded_entry_article(origin: str, entry: Any) -> Article | InputError:
    """The entry's article, or why it cannot be read: one bad entry never stops a feed."""
    try:
        return entry_article(entry, origin)
    except InputError as error:
        return error
    except Exception as exc:  # one bad entry never stops the feed
        return InputError(origin, f"cannot be read ({type(exc).__name__}: {exc})", "")


def entry_has_content(entry: Any) -> bool:
    """Whether the feed carries the entry's full content, not just a summary."""
    return bool(entry.get("content"))


def entry_identity(entry: Any) -> str | None:
    """What names the entry's story across fetches: its id, else its link."""
    return entry.get("id") or entry.get("link") or None


def entry_article(entry: Any, origin: str) -> Article:
    """An entry's full content when the feed carries it, else its summary."""
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    # html2txt takes a document: a bare fragment (or plain text) reads as empty
    text = (trafilatura.html2txt(f"<html><body>{html}</body></html>") if html else "").strip()
    if not text:
        raise InputError(origin, "the entry has neither content nor a summary", "")
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    link = entry.get("link") or None
    meta = {
        "headline": (entry.get("title") or "").strip(),
        "published": published.isoformat() if published else None,
        "publisher": entry.get("feed_title"),
        "url": link,
        "id": entry_identity(entry),
        "author": entry.get("author") or None,
    }
    article = _checked(text, meta, origin)
    if contents:
        return article
    return dataclasses.replace(
        article, notes=(*article.notes, "the feed gives only a summary of this entry")
    )


# ------------------------------------------------------------------------- WARC
def read_warc(path: Path, limits: Any) -> Iterator[Article | InputError]:
    with path.open("rb") as stream:
        yield from warc_articles(stream, display_path(path), limits)


def warc_articles(stream: BinaryIO, name: str, limits: Any) -> Iterator[Article | InputError]:
    """Every HTML response record of a WARC stream (gzipped or not) as an article."""
    number = 0
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield InputError(
                f"{name}:record {number + 1}",
                f"the archive breaks off or is damaged here ({exc})",
                "the records before it were read; fetch or copy the file again",
            )
            return
        number += 1
        found = _record_article(record, f"{name}:record {number}", limits)
        if found is not None:
            yield found


def _record_article(record: Any, origin: str, limits: Any) -> Article | InputError | None:
    """The article of an HTML response record (None for other records)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    kind = record.http_headers.get_header("Content-Type") or ""
    if "html" not in kind.lower():
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    where = f"{origin} ({url})" if url else origin
    body = record.content_stream().read(limits.max_input_bytes + 1)
    if len(body) > limits.max_input_bytes:
        return InputError(where, "the page is larger than the input limit", "raise the limit")
    if getattr(record.raw_stream, "limit", 0) > 0:  # the record says more than the file holds
        return InputError(
            where,
            "the archive breaks off inside this record",
            "the records before it were read; fetch or copy the file again",
        )
    try:
        return page_article(body, where, url, _fetch_date(record))
    except InputError as error:
        return error


def _fetch_date(record: Any) -> date | None:
    stamp = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date()
    except ValueError:
        return None


__all__ = [
    "entry_article",
    "entry_has_content",
    "entry_identity",
    "feed_articles",
    "feed_entries",
    "guarded_entry_article",
    "page_article",
    "read_feed",
    "read_html",
    "read_warc",
    "warc_articles",
]
