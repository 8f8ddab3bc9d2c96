"""Readers: plain text (with an optional JSON sidecar), Markdown with YAML
front matter, JSON Lines, and folders of those, recursively.

Each reader yields :class:`Article` objects, or :class:`InputError` objects for
what cannot be read, so that one bad file or line never stops a batch: every
reader runs behind one guard (``read_file``, and each JSON Lines record on its
own), which turns any failure, expected or not, into a report of the input it
came from. The body is kept verbatim; only line ends are normalised to ``\\n``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from communique.errors import InputError
from communique.loaders.read import web
from communique.loaders.read.article import Article
from communique.loaders.read.decoding import (
    DEFAULT_INPUT_LIMIT,
    conversion_hint,
    decode_file,
    looks_binary,
    open_input,
    regular_file_problem,
    wide_encoding,
)
from communique.loaders.read.fields import (
    Fields,
    article_from,
    body_text,
    display_path,
    parse_front_matter,
    parse_json,
)

ReadResult = Article | InputError
BUG_HINT = "this is a bug in communique: please report it with the input that caused it"


@dataclass(frozen=True)
class ReadLimits:
    """How much one input may be: a file, or a JSON Lines record (bytes)."""

    max_input_bytes: int = DEFAULT_INPUT_LIMIT


def read_paths(paths: Iterable[Path], limits: ReadLimits | None = None) -> Iterator[ReadResult]:
    """Every article under the given files and folders, in a stable order, each
    file named relative to the path it was found under (``under_root``)."""
    limits = limits or ReadLimits()
    for path in paths:
        if path.is_dir():
            found = _read_folder(path, limits)
        elif path.exists() or path.is_symlink():
            found = read_file(path, limits)
        else:
            yield InputError(display_path(path), "no such file or folder", "check the path")
            continue
        yield from (under_root(result, path) for result in found)


def root_of(path: Path) -> tuple[Path, str]:
    """The folder a path given to `load` names its files under (itself, or a
    file's folder), and an opaque key of that folder: a hash, so the graph says
    which load root a file came from without saying where it is on disk."""
    is_file = path.exists() and not path.is_dir()  # a folder since deleted is a folder
    folder = path.resolve().parent if is_file else path.resolve()
    return folder, hashlib.sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def under_root(result: ReadResult, path: Path) -> ReadResult:
    """An article read under ``path`` with its file named relative to the root."""
    if not isinstance(result, Article) or result.source_file is None:
        return result
    folder, key = root_of(path)
    relative = os.path.relpath(result.source_file, folder)
    return dataclasses.replace(result, source_file=Path(relative).as_posix(), source_root=key)


def _read_folder(folder: Path, limits: ReadLimits) -> Iterator[ReadResult]:
    for found in _readable_files(folder):
        if isinstance(found, InputError):
            yield found
        else:
            yield from read_file(found, limits)


def _readable_files(folder: Path) -> Iterator[Path | InputError]:
    """The files under a folder that a reader takes, in a stable order, and a report
    for each folder that cannot be read (it is not skipped in silence)."""
    unreadable: list[OSError] = []
    # os.walk does not follow symlinked folders, so a symlink loop cannot recur.
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        while unreadable:
            yield _folder_error(unreadable.pop())
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if reader_for(path) is not None:
                yield path
    while unreadable:
        yield _folder_error(unreadable.pop())


def _folder_error(error: OSError) -> InputError:
    where = display_path(Path(error.filename)) if error.filename else "a folder"
    return InputError(where, f"cannot read the folder: {error.strerror}", "check its permissions")


def read_file(path: Path, limits: ReadLimits | None = None) -> Iterator[ReadResult]:
    """The articles of one file, by the reader its suffix names (plain text when
    none does: a file named on the command line is read whatever its name).
    Whatever goes wrong is reported against the file; nothing escapes."""
    limits = limits or ReadLimits()
    problem = regular_file_problem(path)
    if problem is not None:
        yield problem
        return
    reader = reader_for(path) or READERS[0]
    yield from _guarded(display_path(path), reader.read, path, limits)


def _guarded(
    origin: str, produce: Callable[..., Iterable[ReadResult]], *args: Any
) -> Iterator[ReadResult]:
    """What ``produce(*args)`` reads; any failure becomes a report of ``origin``."""
    try:
        yield from produce(*args)
    except InputError as error:
        yield error
    except Exception as exc:  # a bug, or input no rule foresaw: reported, never fatal
        yield InputError(origin, f"cannot be read ({type(exc).__name__}: {exc})", BUG_HINT)


def count_inputs(paths: Iterable[Path]) -> int | None:
    """How many articles the paths hold, roughly and cheaply (for a progress bar's
    time remaining): each reader counts its own regular files."""
    total = 0
    for path in paths:
        files = [path] if path.is_file() else list(_readable_files(path))
        for file in files:
            reader = reader_for(file) if isinstance(file, Path) else None
            if reader is not None and regular_file_problem(file) is None:  # type: ignore[arg-type]
                total += reader.count(file)  # type: ignore[arg-type]
    return total or None


# --------------------------------------------------------------------------- plain text
def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def _read_text(path: Path, limits: ReadLimits) -> Iterator[ReadResult]:
    body = decode_file(path, limits.max_input_bytes)
    if not body.strip():
        raise InputError(display_path(path), "the file is empty", "remove it or add the text")
    meta = _read_sidecar(path, limits)
    yield _from_file(path, body, meta, _first_line(body))


def _read_sidecar(path: Path, limits: ReadLimits) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    if not sidecar.exists() and not sidecar.is_symlink():
        return {}
    text = decode_file(sidecar, limits.max_input_bytes)  # a folder or a FIFO is refused here
    meta = parse_json(text, display_path(sidecar), "the sidecar")
    if not isinstance(meta, dict):
        raise InputError(display_path(sidecar), "the sidecar must be a JSON object")
    return meta


def _from_file(path: Path, body: str, meta: dict[str, Any], headline: str) -> Article:
    fields = Fields(body, meta, display_path(path), path.stem, headline, _source_file(path))
    return article_from(fields)


def _source_file(path: Path) -> str | None:
    """The file's absolute path, as stored for --prune; None for a name that is
    not UTF-8 (it cannot be stored as text; --prune passes such files by)."""
    return str(path.resolve()) if display_path(path) == str(path) else None


# --------------------------------------------------------------------------- Markdown
def _read_markdown(path: Path, limits: ReadLimits) -> Iterator[ReadResult]:
    text = decode_file(path, limits.max_input_bytes)
    meta, body = _split_front_matter(text, display_path(path))
    if not body.strip():
        raise InputError(display_path(path), "the article has no body after the front matter")
    yield _from_file(path, body, meta, _first_line(body).lstrip("#").strip())


def _split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise InputError(
            origin, "front matter opened with '---' is never closed", "add a line '---' after it"
        )
    return parse_front_matter(text[4:end], origin), text[end + len("\n---\n") :]


# --------------------------------------------------------------------------- JSON Lines
def _read_jsonl(path: Path, limits: ReadLimits) -> Iterator[ReadResult]:
    """Record by record, so that a feed of any size is read in little memory; a
    record longer than the limit is reported and skipped, never held whole."""
    name = display_path(path)
    source = _source_file(path)
    with open_input(path) as handle:
        head = handle.read(8192)
        handle.seek(0)
        wide = wide_encoding(head)
        if wide is not None:
            yield from _read_wide_jsonl(name, source, handle, wide, limits)
            return
        if looks_binary(head):
            raise InputError(name, "looks like a binary file, not text", "give it JSON Lines")
        for number, raw in _lines(handle, limits.max_input_bytes):
            origin = f"{name}:{number}"
            if raw is None:
                yield _too_long(origin, limits)
            elif raw.strip():
                yield from _guarded(origin, _utf8_record, raw, origin, number, source)


def _lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes), with None for a line longer than ``limit``."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip to the end of the over-long line, a megabyte at a time
            yield number, None
        else:
            yield number, line


def _too_long(origin: str, limits: ReadLimits) -> InputError:
    return InputError(
        origin,
        f"the record is longer than the input limit of {limits.max_input_bytes / 1e6:.1f} MB",
        "split it, or raise the limit (setting COMMUNIQUE_MAX_INPUT_MB)",
    )


def _utf8_record(raw: bytes, origin: str, number: int, source: str | None) -> Iterator[ReadResult]:
    if b"\x00" in raw:
        raise InputError(origin, "the line holds a NUL byte: not text", "fix or remove this line")
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            origin, f"not valid UTF-8 (byte {exc.start} of the line)", conversion_hint(raw, origin)
        ) from exc
    yield from _jsonl_record(line, origin, source)


def _read_wide_jsonl(
    name: str, source: str | None, handle: BinaryIO, encoding: str, limits: ReadLimits
) -> Iterator[ReadResult]:
    """A JSON Lines file in UTF-16 or UTF-32 (with its mark), decoded as it streams."""
    lines = io.TextIOWrapper(handle, encoding=encoding, newline="\n")
    try:
        for number, line in enumerate(iter(lambda: lines.readline(limits.max_input_bytes), ""), 1):
            origin = f"{name}:{number}"
            if len(line) >= limits.max_input_bytes and not line.endswith("\n"):
                yield _too_long(origin, limits)
            elif line.strip():
                yield from _guarded(origin, _jsonl_record, line, origin, source)
    except UnicodeDecodeError as exc:
        yield InputError(
            name,
            f"not valid {encoding.upper()} after its byte-order mark ({exc.reason})",
            "convert the file to UTF-8, e.g. with iconv",
        )
    finally:
        lines.detach()


def _jsonl_record(line: str, origin: str, source: str | None) -> Iterator[ReadResult]:
    record = parse_json(line, origin, "the line")
    if not isinstance(record, dict):
        raise InputError(origin, "each line must be a JSON object")
    body = body_text(record, origin)
    yield article_from(Fields(body, record, origin, None, _first_line(body), source))


# --------------------------------------------------------------------------- the table
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
    read: Callable[[Path, ReadLimits], Iterator[ReadResult]]
    count: Callable[[Path], int]


# The first is the default for a file whose suffix names no reader.
READERS: tuple[Reader, ...] = (
    Reader("text", (".txt", ".text"), _read_text, _one),
    Reader("markdown", (".md", ".markdown"), _read_markdown, _one),
    Reader("jsonl", (".jsonl", ".ndjson"), _read_jsonl, _count_lines),
    Reader("html", (".html", ".htm"), web.read_html, _one),
    Reader("feed", (".rss", ".atom"), web.read_feed, _one),
    Reader("warc", (".warc", ".warc.gz"), web.read_warc, _one),
)


def reader_for(path: Path) -> Reader | None:
    """The reader whose suffix ends the file's name (``.warc.gz`` is two)."""
    name = path.name.lower()
    return next((r for r in READERS if name.endswith(r.suffixes)), None)


__all__ = ["READERS", "ReadLimits", "ReadResult", "count_inputs", "read_file", "read_paths"]
