"""From a record's fields to an article, refusing what is not what it claims.

Metadata comes from JSON (JSON Lines records, sidecar files) and YAML (front
matter), written by anyone. Both are read with limits (the depth of nesting,
the digits of a number; YAML without aliases and with dates kept as the text
written, so the product's own date rule judges them), and every field is
checked for its type. Text is checked for what is not text: a lone surrogate
refuses the record; a control character in the body becomes a space (so
offsets do not move) and is reported as a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from communique.errors import InputError
from communique.loaders.read.article import Article

MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own nlp.max_length: about 150,000 words
SPLIT_HINT = "split it into one file (or JSON Lines line) per article"
MAX_DEPTH = 32  # nesting of JSON arrays and objects; an article needs two
MAX_NUMBER_DIGITS = 64
# C0 and C1 control characters but tab and line feed (CR is read as a line end).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


# --------------------------------------------------------------------------- JSON
def parse_json(text: str, origin: str, what: str) -> Any:
    """JSON, or an InputError saying what is wrong with it and where."""
    depth = _json_depth(text)
    if depth > MAX_DEPTH:
        raise InputError(origin, f"{what} nests {depth} levels deep (at most {MAX_DEPTH})")
    try:
        return json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float)
    except _NumberTooLong as exc:
        raise InputError(
            origin, f"{what} holds a number of {exc.args[0]:,} digits (at most {MAX_NUMBER_DIGITS})"
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            origin, f"{what} is not valid JSON ({exc.msg} at column {exc.colno})", "fix it"
        ) from exc


def _json_depth(text: str) -> int:
    depth = deepest = 0
    for match in BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


class _NumberTooLong(Exception):
    """A number longer than any field needs (Python refuses to read an integer of
    more than 4,300 digits, with an error of its own)."""


def _bounded_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(len(text))
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(len(text))
    return float(text)


# --------------------------------------------------------------------------- YAML
class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML with dates left as the text written (PyYAML would build a
    ``datetime`` and fail on '2009-13-45' before we can say what is wrong)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_front_matter(text: str, origin: str) -> dict[str, Any]:
    """The front matter's fields; aliases are refused (a few lines of them expand
    to gigabytes), and so is anything but a mapping."""
    try:
        events = yaml.parse(text, _FrontMatterLoader)
        if any(isinstance(event, yaml.AliasEvent) for event in events):
            raise InputError(
                origin, "front matter uses YAML aliases (*name)", "write each value out"
            )
        meta = yaml.load(text, _FrontMatterLoader) or {}
    except yaml.YAMLError as exc:
        raise InputError(origin, f"front matter is not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise InputError(origin, "front matter nests too deeply") from exc
    if not isinstance(meta, dict):
        raise InputError(origin, "front matter must be a YAML mapping of fields")
    return meta


# --------------------------------------------------------------------------- fields
@dataclass(frozen=True)
class Fields:
    """What a reader found, before it becomes an article."""

    body: str
    meta: dict[str, Any]
    origin: str
    default_id: str | None
    default_headline: str
    source_file: str | None


def article_from(fields: Fields) -> Article:
    """The article, or an InputError naming the field that is wrong."""
    origin, meta = fields.origin, fields.meta
    body, notes = _clean_body(fields.body, origin)
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(
            origin,
            f"the article is {len(body):,} characters, more than the "
            f"{MAX_ARTICLE_CHARS:,} one article may have",
            SPLIT_HINT,
        )
    headline = _text(meta, ("headline", "title"), origin) or fields.default_headline
    headline = _no_controls(headline.strip(), "headline", origin)
    if not headline:
        raise InputError(origin, "no headline", "give it a 'headline' or a first line of text")
    return Article(
        body=body,
        headline=headline,
        origin=origin,
        source_id=_identifier(meta, origin) or fields.default_id,
        published=published(meta, origin),
        publisher=_optional(meta, "publisher", origin),
        url=_optional(meta, "url", origin),
        author=_author(meta, origin),
        source_file=fields.source_file,
        notes=notes,
    )


def body_text(record: dict[str, Any], origin: str) -> str:
    """The article text of a JSON record ('body', else 'text')."""
    body = record.get("body", record.get("text"))
    if body is None:
        raise InputError(origin, "no article text", "give it a 'body' or 'text' field")
    if not isinstance(body, str):
        raise InputError(origin, f"field 'body' must be text, not {_kind(body)}")
    if not body.strip():
        raise InputError(origin, "no article text", "give it a 'body' or 'text' field")
    return body.replace("\r\n", "\n").replace("\r", "\n")


def _clean_body(body: str, origin: str) -> tuple[str, tuple[str, ...]]:
    _no_surrogates(body, "body", origin)
    found = CONTROL.findall(body)
    if not found:
        return body, ()
    first = f"U+{ord(found[0]):04X}"
    note = f"{len(found)} control character(s) in the body (the first {first}) read as spaces"
    return CONTROL.sub(" ", body), (note,)


def _no_surrogates(text: str, field: str, origin: str) -> None:
    match = SURROGATE.search(text)
    if match is not None:
        raise InputError(
            origin,
            f"field '{field}' holds a lone surrogate (U+{ord(match.group()):04X}) at "
            f"character {match.start()}: it is not text",
            "fix the program that wrote it; a surrogate must come in a pair",
        )


def _no_controls(text: str, field: str, origin: str) -> str:
    _no_surrogates(text, field, origin)
    match = CONTROL.search(text)
    if match is not None:
        raise InputError(
            origin, f"field '{field}' holds a control character (U+{ord(match.group()):04X})"
        )
    return text


def _text(meta: dict[str, Any], keys: tuple[str, ...], origin: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise InputError(origin, f"field '{key}' must be text, not {_kind(value)}")
        return value
    return None


def _optional(meta: dict[str, Any], key: str, origin: str) -> str | None:
    value = _text(meta, (key,), origin)
    return _no_controls(value.strip(), key, origin) or None if value is not None else None


def _author(meta: dict[str, Any], origin: str) -> str | None:
    """'author': text, or a list of names (front matter often lists them),
    kept as one text ("Ana Ruiz, Li Wei")."""
    value = meta.get("author")
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return (
            _no_controls(", ".join(n.strip() for n in value if n.strip()), "author", origin) or None
        )
    return _optional(meta, "author", origin)


def _identifier(meta: dict[str, Any], origin: str) -> str | None:
    """'id': text, or a whole number (feeds number their items)."""
    value = meta.get("id")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(origin, f"field 'id' must be text or a whole number, not {_kind(value)}")
    return _no_controls(str(value).strip(), "id", origin) or None


def published(meta: dict[str, Any], origin: str) -> date | datetime | None:
    """'published' (or 'date'): an ISO 8601 date or date-time, checked as one."""
    value = meta.get("published", meta.get("date"))
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(
            origin,
            f"'published' must be a date written as text, not {_kind(value)}",
            "write it as YYYY-MM-DD or an ISO 8601 date-time",
        )
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            origin,
            f"'published' is not a date: {text!r}",
            "write it as YYYY-MM-DD or an ISO 8601 date-time",
        ) from exc


def _kind(value: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", list: "a list"}
    return names.get(type(value), "a mapping" if isinstance(value, dict) else type(value).__name__)


def display_path(path: Path) -> str:
    """A path as text that can always be printed and written as UTF-8: bytes of a
    file name that are not UTF-8 are shown as escapes (\\xNN)."""
    raw = str(path).encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")
