"""Checks a query passes before any engine sees it.

- Length and bracket depth: a query nested a few thousand brackets deep
  crashes pyoxigraph's parser (and the process with it), so depth is counted
  on the raw text first.
- SERVICE: the server must never fetch a URL a user names, so every SERVICE
  target must be on the allow-list (empty by default).
- Updates sent as queries are refused with a pointer to /update.

The text is read by ``communique.sparql_text``, which skips comments, string
literals and IRIs as the grammar does.
"""

from __future__ import annotations

from communique.errors import QueryError
from communique.sparql_text import UPDATE_KEYWORDS, Scan, scan_query


class ForbiddenQuery(QueryError):
    """The query asks for something this server does not do (HTTP 403)."""


def check_query(
    text: str, *, max_length: int, max_depth: int, allowed_services: frozenset[str]
) -> Scan:
    """Refuse what must never reach the engine; return the scan for later use."""
    scan = _check_text(text, "query", max_length, max_depth, allowed_services)
    if scan.first_keyword in UPDATE_KEYWORDS:
        raise QueryError(
            "this is a SPARQL Update, not a query: send it to /update "
            "(updates need the server's update token)"
        )
    return scan


def check_update(
    text: str, *, max_length: int, max_depth: int, allowed_services: frozenset[str]
) -> Scan:
    """The same limits for an update, and its LOADs held to the allow-list too: the
    update token lets a client write the store, not make the server fetch URLs."""
    scan = _check_text(text, "update", max_length, max_depth, allowed_services)
    refused = [target for target in scan.loads if target not in allowed_services]
    if refused:
        raise ForbiddenQuery(
            f"LOAD {refused[0]} is not allowed: this server fetches no URL that is not "
            "on its allow-list (setting COMMUNIQUE_SERVICE_ALLOW); "
            "send the data in the request instead (Graph Store Protocol at /rdf-graphs)"
        )
    return scan


def _check_text(
    text: str, kind: str, max_length: int, max_depth: int, allowed_services: frozenset[str]
) -> Scan:
    if len(text) > max_length:
        raise QueryError(
            f"the {kind} is {len(text):,} characters long; the limit is "
            f"{max_length:,} (setting COMMUNIQUE_MAX_QUERY_LENGTH)"
        )
    scan = scan_query(text)
    if scan.depth > max_depth:
        raise QueryError(
            f"the {kind} nests brackets {scan.depth} deep; the limit is "
            f"{max_depth} (setting COMMUNIQUE_MAX_QUERY_DEPTH)"
        )
    refused = [s for s in scan.services if s not in allowed_services]
    if refused:
        raise ForbiddenQuery(
            f"SERVICE {refused[0]} is not allowed: this server does not "
            "call other endpoints unless they are on its allow-list "
            "(setting COMMUNIQUE_SERVICE_ALLOW)"
        )
    return scan
