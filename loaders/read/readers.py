"""Readers: plain text (with an optional JSON sidecar), Markdown with YAML
front matter, JSON Lines, and folders of those, recursively.

Each reader yields :class:`Article` objects, or :class:`InputError` objects for
what cannot be read, so that one bad file or line never stops a batch. The
body is kept verbatim; only line ends are normalised to ``\\n``.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from communique.errors import InputError
from communique.loaders.read.article import Article
from communique.loaders.read.decoding import (
    MAX_ARTICLE_CHARS,
    SPLIT_HINT,
    conversion_hint,
    decode_file,
    open_input,
    refuse_binary,
    wide_encoding,
)

ReadResult = Article | InputError


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
    for path in _readable_files(folder):
        yield from read_file(path)


def _readable_files(folder: Path) -> Iterator[Path]:
    """The files under a folder that a reader takes, in a stable order."""
    # os.walk does not follow symlinked folders, so a symlink loop cannot recur.
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if reader_for(path) is not None:
                yield path


def read_file(path: Path) -> Iterator[ReadResult]:
    """The articles of one file, by the reader its suffix names (plain text when
    none does: a file named on the command line is read whatever its name)."""
    reader = reader_for(path) or READERS[0]
    try:
        yield from reader.read(path)
    except InputError as error:
        yield error


def count_inputs(paths: Iterable[Path]) -> int | None:
    """How many articles the paths hold, roughly and cheaply (for a progress bar's
    time remaining): each reader counts its own files."""
    total = 0
    for path in paths:
        files = [path] if path.is_file() else list(_readable_files(path))
        for file in files:
            reader = reader_for(file)
            total += reader.count(file) if reader is not None else 0
    return total or None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def _read_text(path: Path) -> Article:
    body = decode_file(path)
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
    text = decode_file(path)
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
    with open_input(path) as handle:
        head = handle.read(8192)
        handle.seek(0)
        wide = wide_encoding(head)
        if wide is not None:
            yield from _read_wide_jsonl(path, handle, wide)
            return
        refuse_binary(path, head)
        for number, raw in enumerate(handle, start=1):
            origin = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(
                    origin,
                    f"not valid UTF-8 (byte {exc.start} of the line)",
                    conversion_hint(raw, str(path)),
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


def _one(path: Path) -> int:
    return 1


def _count_lines(path: Path) -> int:
    """Non-empty lines, read as bytes (one per record; an unreadable file is one)."""
    try:
        with path.open("rb") as lines:
            return sum(1 for line in lines if line.strip())
    except OSError:
        return 1


@dataclass(frozen=True)
class Reader:
    """One input format: the suffixes that name it, how to read a file of it, and
    how to count its articles cheaply."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Iterator[ReadResult]]
    count: Callable[[Path], int]


# The first is the default for a file whose suffix names no reader.
READERS: tuple[Reader, ...] = (
    Reader("text", (".txt", ".text"), lambda path: iter([_read_text(path)]), _one),
    Reader("markdown", (".md", ".markdown"), lambda path: iter([_read_markdown(path)]), _one),
    Reader("jsonl", (".jsonl", ".ndjson"), _read_jsonl, _count_lines),
)


def reader_for(path: Path) -> Reader | None:
    suffix = path.suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)
