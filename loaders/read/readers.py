"""Readers: plain text (with an optional JSON sidecar), Markdown with YAML
front matter, JSON Lines, and folders of those, recursively.

Each reader yields :class:`Article` objects, or :class:`InputError` objects for
what cannot be read, so that one bad file or line never stops a batch. The
body is kept verbatim; only line ends are normalised to ``\\n``.
"""

from __future__ import annotations

import codecs
import io
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from communique.errors import InputError
from communique.loaders.read.article import Article

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
READABLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | JSONL_SUFFIXES

ReadResult = Article | InputError

# One article may be at most this long: spaCy's own limit (nlp.max_length), some
# 150,000 words, when a long news article is 10,000. A longer "article" is a book or
# a concatenated dump, which the NLP would take many minutes over, in RAM.
MAX_ARTICLE_CHARS = 1_000_000
SPLIT_HINT = "split it into one file (or JSON Lines line) per article"


def read_paths(paths: Iterable[Path]) -> Iterator[ReadResult]:
    """Every article under the given files and folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from _read_folder(path)
        elif path.exists():
            yield from read_file(path)
        else:
            yield InputError(str(path), "no such file or folder", "check the path")


def _read_folder(folder: Path) -> Iterator[ReadResult]:
    # os.walk does not follow symlinked folders, so a symlink loop cannot recur.
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix.lower() in READABLE_SUFFIXES:
                yield from read_file(path)


def read_file(path: Path) -> Iterator[ReadResult]:
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
        elif suffix in MARKDOWN_SUFFIXES:
            yield _read_markdown(path)
        else:
            yield _read_text(path)
    except InputError as error:
        yield error


def _decode(path: Path) -> str:
    _refuse_oversized(path)
    with _open(path) as handle:
        raw = handle.read()
    wide = _wide_encoding(raw)
    if wide is not None:
        return _decode_wide(path, raw, wide)
    _refuse_binary(path, raw[:8192])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path),
            f"not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})",
            _conversion_hint(raw, str(path)),
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _conversion_hint(raw: bytes, name: str) -> str:
    """How to convert; naming Windows-1252, the usual legacy encoding of Western
    news text, when the bytes read as it (a likely guess, never applied silently)."""
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return "convert the file to UTF-8, e.g. with iconv"
    return (
        "convert the file to UTF-8; if it is Windows-1252 (Western European), "
        f"`iconv -f CP1252 -t UTF-8 '{name}'` does it"
    )


# Byte-order marks of the wide Unicode encodings (UTF-32 first: its little-endian
# mark begins with UTF-16's). Windows tools write UTF-16 with a mark ("Unicode"
# in Notepad, PowerShell's `>`); the mark makes the encoding certain.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(head: bytes) -> str | None:
    return next((name for bom, name in WIDE_BOMS if head.startswith(bom)), None)


def _decode_wide(path: Path, raw: bytes, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path),
            f"starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} (byte {exc.start})",
            "convert the file to UTF-8, e.g. with iconv",
        ) from exc
    if _mostly_control(text):  # binary data that happens to start like a mark
        _refuse_binary(path, b"\x00")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mostly_control(text: str, sample: int = 4096) -> bool:
    head = text[:sample]
    controls = sum(1 for c in head if c < " " and c not in "\t\n\r")
    return "\x00" in head or controls > len(head) // 10


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(
            str(path), f"cannot read the file: {exc.strerror}", "check its permissions"
        ) from exc


def _refuse_binary(path: Path, head: bytes) -> None:
    if b"\x00" in head:
        raise InputError(
            str(path),
            "looks like a binary file, not text",
            "give communique text, Markdown or JSON Lines files",
        )


def _refuse_oversized(path: Path) -> None:
    """A text or Markdown file is one article: refuse a huge one before reading it
    (UTF-8 takes at most 4 bytes a character)."""
    try:
        size = path.stat().st_size
    except OSError as exc:  # a dangling symlink, say
        raise InputError(
            str(path), f"cannot read the file: {exc.strerror}", "check that it exists"
        ) from exc
    if size > 4 * MAX_ARTICLE_CHARS:
        raise InputError(
            str(path),
            f"the file is {size / 1e6:.1f} MB, too big for one article "
            f"(at most {MAX_ARTICLE_CHARS:,} characters)",
            SPLIT_HINT,
        )


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def _read_text(path: Path) -> Article:
    body = _decode(path)
    if not body.strip():
        raise InputError(str(path), "the file is empty", "remove it or add the article text")
    meta = _read_sidecar(path)
    return _article(
        body, meta, origin=str(path), default_id=path.stem, default_headline=_first_line(body)
    )


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            str(sidecar), f"the sidecar is not valid JSON: {exc}", "fix or remove it"
        ) from exc
    if not isinstance(meta, dict):
        raise InputError(str(sidecar), "the sidecar must be a JSON object")
    return meta


def _read_markdown(path: Path) -> Article:
    text = _decode(path)
    meta, body = _split_front_matter(text, str(path))
    if not body.strip():
        raise InputError(str(path), "the article has no body after the front matter")
    headline = meta.get("headline") or meta.get("title") or _first_line(body).lstrip("#").strip()
    return _article(
        body, meta, origin=str(path), default_id=path.stem, default_headline=str(headline)
    )


def _split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise InputError(
            origin, "front matter opened with '---' is never closed", "add a line '---' after it"
        )
    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise InputError(origin, f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise InputError(origin, "front matter must be a YAML mapping of fields")
    return meta, text[end + len("\n---\n") :]


def _read_jsonl(path: Path) -> Iterator[ReadResult]:
    """Line by line, so that a feed of any size is read in little memory."""
    with _open(path) as handle:
        head = handle.read(8192)
        handle.seek(0)
        wide = _wide_encoding(head)
        if wide is not None:
            yield from _read_wide_jsonl(path, handle, wide)
            return
        _refuse_binary(path, head)
        for number, raw in enumerate(handle, start=1):
            origin = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(
                    origin,
                    f"not valid UTF-8 (byte {exc.start} of the line)",
                    _conversion_hint(raw, str(path)),
                )
                continue
            if not line.strip():
                continue
            try:
                yield _jsonl_record(line, origin)
            except InputError as error:
                yield error


def _read_wide_jsonl(path: Path, handle: BinaryIO, encoding: str) -> Iterator[ReadResult]:
    """A JSON Lines file in UTF-16 or UTF-32 (with its mark), decoded as it streams."""
    lines = io.TextIOWrapper(handle, encoding=encoding, newline="\n")
    try:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    yield _jsonl_record(line, f"{path}:{number}")
                except InputError as error:
                    yield error
    except UnicodeDecodeError as exc:
        yield InputError(
            str(path),
            f"not valid {encoding.upper()} after its byte-order mark ({exc.reason})",
            "convert the file to UTF-8, e.g. with iconv",
        )
    finally:
        lines.detach()


def _jsonl_record(line: str, origin: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            origin, f"not valid JSON ({exc.msg} at column {exc.colno})", "fix or remove this line"
        ) from exc
    if not isinstance(record, dict):
        raise InputError(origin, "each line must be a JSON object")
    body = record.get("body", record.get("text"))
    if not isinstance(body, str) or not body.strip():
        raise InputError(origin, "no article text", "give it a 'body' or 'text' field")
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    headline = record.get("headline") or record.get("title") or _first_line(body)
    record_id = record.get("id")
    return _article(
        body,
        record,
        origin=origin,
        default_id=str(record_id) if record_id is not None else None,
        default_headline=str(headline),
    )


def _article(
    body: str, meta: dict[str, Any], *, origin: str, default_id: str | None, default_headline: str
) -> Article:
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(
            origin,
            f"the article is {len(body):,} characters, more than the "
            f"{MAX_ARTICLE_CHARS:,} one article may have",
            SPLIT_HINT,
        )
    headline = default_headline.strip()
    if not headline:
        raise InputError(origin, "no headline", "give it a 'headline' or a first line of text")
    return Article(
        body=body,
        headline=headline,
        origin=origin,
        source_id=str(meta["id"]) if meta.get("id") is not None else default_id,
        published=_published(meta, origin),
        publisher=_optional_str(meta, "publisher", origin),
        url=_optional_str(meta, "url", origin),
        source_file=str(
            Path(origin.rsplit(":", 1)[0] if _is_line_origin(origin) else origin).resolve()
        ),
    )


def _is_line_origin(origin: str) -> bool:
    """'feed.jsonl:12' names a line of a file."""
    head, _, tail = origin.rpartition(":")
    return bool(head) and tail.isdigit()


def _optional_str(meta: dict[str, Any], key: str, origin: str) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(origin, f"field '{key}' must be text, not {type(value).__name__}")
    return value.strip() or None


def _published(meta: dict[str, Any], origin: str) -> date | datetime | None:
    value = meta.get("published", meta.get("date"))
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):  # YAML parses unquoted dates itself
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            origin,
            f"'published' is not a date: {text!r}",
            "write it as YYYY-MM-DD or an ISO 8601 date-time",
        ) from exc
