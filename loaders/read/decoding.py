"""Turning a file's bytes into text, or a clear refusal: UTF-8 (a byte-order mark
allowed), UTF-16 or UTF-32 with their mark; binary files, other encodings,
what is not a regular file (a FIFO, a device, a socket, a folder) and files
larger than the input limit are refused with the place and what to do. Line
ends become ``\\n``; nothing else of the text changes.

A file is never read past the limit: its size on disk can lie (a device
reports 0, a file can grow while it is read).
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import BinaryIO

from communique.errors import InputError
from communique.loaders.read.fields import SPLIT_HINT, display_path

DEFAULT_INPUT_LIMIT = 8_000_000  # bytes of one file or one JSON Lines record

KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def regular_file_problem(path: Path) -> InputError | None:
    """Why a path cannot be read as a file, or None when it is a regular file
    (followed through symlinks: a link to /dev/zero is a device)."""
    name = display_path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return InputError(name, f"cannot read it: {exc.strerror}", "check that it exists")
    if stat.S_ISREG(mode):
        return None
    kind = next((what for test, what in KINDS if test(mode)), "not a regular file")
    return InputError(name, f"is {kind}, not a file", "give communique regular files")


def decode_file(path: Path, limit: int = DEFAULT_INPUT_LIMIT) -> str:
    problem = regular_file_problem(path)
    if problem is not None:
        raise problem
    raw = read_at_most(path, limit)
    wide = wide_encoding(raw)
    if wide is not None:
        return _decode_wide(path, raw, wide)
    refuse_binary(path, raw[:8192])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            display_path(path),
            f"not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})",
            conversion_hint(raw, display_path(path)),
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, refused before reading when the file says it is larger than
    ``limit``, and after reading ``limit`` bytes when it is (it grew, or lied)."""
    size = os.stat(path).st_size
    if size > limit:
        raise _too_large(path, f"the file is {size / 1e6:.1f} MB", limit)
    with open_input(path) as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise _too_large(path, "the file is larger than it said", limit)
    return raw


def _too_large(path: Path, size: str, limit: int) -> InputError:
    return InputError(
        display_path(path),
        f"{size}, more than the input limit of {limit / 1e6:.1f} MB for one article",
        f"{SPLIT_HINT}, or raise the limit (setting COMMUNIQUE_MAX_INPUT_MB)",
    )


def conversion_hint(raw: bytes, name: str) -> str:
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


def wide_encoding(head: bytes) -> str | None:
    return next((name for bom, name in WIDE_BOMS if head.startswith(bom)), None)


def _decode_wide(path: Path, raw: bytes, encoding: str) -> str:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            display_path(path),
            f"starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} (byte {exc.start})",
            "convert the file to UTF-8, e.g. with iconv",
        ) from exc
    if _mostly_control(text):  # binary data that happens to start like a mark
        refuse_binary(path, b"\x00")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mostly_control(text: str, sample: int = 4096) -> bool:
    head = text[:sample]
    controls = sum(1 for c in head if c < " " and c not in "\t\n\r")
    return "\x00" in head or controls > len(head) // 10


def looks_binary(head: bytes) -> bool:
    """Mostly bytes no text has: an image, an archive (a stray NUL is not enough)."""
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0D))
    return controls > max(len(head) // 10, 1)


def open_input(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(
            display_path(path), f"cannot read the file: {exc.strerror}", "check its permissions"
        ) from exc


def refuse_binary(path: Path, head: bytes) -> None:
    if b"\x00" in head:
        raise InputError(
            display_path(path),
            "looks like a binary file, not text",
            "give communique text, Markdown or JSON Lines files",
        )
