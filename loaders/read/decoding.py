"""Turning a file's bytes into text, or a clear refusal: UTF-8 (a byte-order mark
allowed), UTF-16 or UTF-32 with their mark; binary files, other encodings and
files too large to be one article are refused with the place and what to do.
Line ends become ``\\n``; nothing else of the text changes.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO

from communique.errors import InputError

# One article may be at most this long: spaCy's own limit (nlp.max_length), some
# 150,000 words, when a long news article is 10,000. A longer "article" is a book or
# a concatenated dump, which the NLP would take many minutes over, in RAM.
MAX_ARTICLE_CHARS = 1_000_000


SPLIT_HINT = "split it into one file (or JSON Lines line) per article"


def decode_file(path: Path) -> str:
    _refuse_oversized(path)
    with open_input(path) as handle:
        raw = handle.read()
    wide = wide_encoding(raw)
    if wide is not None:
        return _decode_wide(path, raw, wide)
    refuse_binary(path, raw[:8192])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            str(path),
            f"not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})",
            conversion_hint(raw, str(path)),
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
            str(path),
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


def open_input(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(
            str(path), f"cannot read the file: {exc.strerror}", "check its permissions"
        ) from exc


def refuse_binary(path: Path, head: bytes) -> None:
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
