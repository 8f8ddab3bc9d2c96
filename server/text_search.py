"""Search over what articles say (headlines, text, event labels, quotes),
answered from the store's text index (``communique/store/text_index.py``).

The loader keeps the index in step with the store. When it is behind (a store
loaded before the index existed, a bulk load, an update through the SPARQL
endpoint), the first search starts one rebuild in the background and says so;
names are still searched meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from communique.server import context
from communique.server.links import link
from communique.store import text_index

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """The text hits of one kind, and how many there are in all."""

    kind: str
    hits: list[dict[str, Any]]
    total: int
    more: bool = False  # more than ``total`` (counting stops there)


@dataclass(frozen=True)
class Answer:
    found: list[Found]
    note: str = ""  # why some kinds are missing (the index is being rebuilt)


def search(query: str, limit: int) -> Answer:
    """The best hits of each kind; none, with a note, while the index catches up.
    The kinds are searched side by side, each on a connection of its own thread
    (SQLite lets go of the interpreter while it searches)."""
    store = context.store()
    store.refresh()
    path = store.text_index_path()
    index = _connection(path)
    if index is None:
        return Answer([], "Text search is not available for this store.")
    if index.generation != store.state().get("generation"):
        context.rebuild_text_index(store)
        return Answer([], "The text index is being brought up to date; try again shortly.")

    def one_kind(kind: str) -> tuple[list[text_index.Hit], int]:
        reader = _connection(path)
        return reader.search(query, kind, limit) if reader is not None else ([], 0)

    answers = _SEARCHERS.map(one_kind, text_index.KINDS)
    cap = text_index.COUNTED
    return Answer(
        [
            Found(kind, [_shaped(hit) for hit in hits], min(total, cap), total > cap)
            for kind, (hits, total) in zip(text_index.KINDS, answers, strict=True)
        ]
    )


_SEARCHERS = ThreadPoolExecutor(max_workers=len(text_index.KINDS), thread_name_prefix="text")
_READERS = threading.local()  # each thread's connections, by index file


def _connection(path: Path | None) -> text_index.TextIndex | None:
    """This thread's reading connection to the index at ``path`` (opened once)."""
    if path is None:
        return None
    opened: dict[Path, text_index.TextIndex | None] = _READERS.__dict__.setdefault("by_path", {})
    if path not in opened:
        try:
            opened[path] = text_index.TextIndex(path)
        except (sqlite3.Error, OSError) as exc:
            log.warning("%s: the text index cannot be opened: %s", path, exc)
            opened[path] = None
    return opened[path]


def _shaped(hit: text_index.Hit) -> dict[str, Any]:
    """A hit as pages and JSON show it: links to the thing and its article, and
    the snippet as HTML (the text escaped, the words found marked)."""
    return {
        "kind": hit.kind,
        "iri": hit.iri,
        "label": hit.label,
        "href": link(hit.iri),
        "article": hit.article,
        "article_href": link(hit.article),
        "snippet": _marked(hit.snippet),
    }


def _marked(snippet: str) -> Markup:
    """The snippet's text escaped, then its marks as <mark> elements.

    >>> str(_marked("a <b> \\x02word\\x03 c"))
    'a &lt;b&gt; <mark>word</mark> c'
    """
    safe = str(escape(snippet))
    return Markup(
        safe.replace(text_index.MARK_OPEN, "<mark>").replace(text_index.MARK_CLOSE, "</mark>")
    )
