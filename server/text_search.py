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
from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from communique.server import context
from communique.server.links import link
from communique.store import text_index
from communique.store.base import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """The text hits of one kind, and how many there are in all."""

    kind: str
    hits: list[dict[str, Any]]
    total: int


@dataclass(frozen=True)
class Answer:
    found: list[Found]
    note: str = ""  # why some kinds are missing (the index is being rebuilt)


def search(query: str, limit: int) -> Answer:
    """The best hits of each kind; none, with a note, while the index catches up."""
    store = context.store()
    store.refresh()
    index = _index(store)
    if index is None:
        return Answer([], "Text search is not available for this store.")
    if index.generation != store.state().get("generation"):
        context.rebuild_text_index(store)
        return Answer([], "The text index is being brought up to date; try again shortly.")
    found = []
    for kind in text_index.KINDS:
        hits, total = index.search(query, kind, limit)
        found.append(Found(kind, [_shaped(hit) for hit in hits], total))
    return Answer(found)


def _index(store: Store) -> text_index.TextIndex | None:
    """This app's reading connection to the index (opened once)."""
    kept = current_app.extensions.get("communique_text_index")
    if kept is None:
        path = store.text_index_path()
        try:
            kept = text_index.TextIndex(path) if path is not None else False
        except (sqlite3.Error, OSError) as exc:
            log.warning("%s: the text index cannot be opened: %s", path, exc)
            kept = False
        current_app.extensions["communique_text_index"] = kept
    return kept or None


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
