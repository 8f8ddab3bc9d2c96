"""Reading a request as the SPARQL 1.1 Protocol says: parameters from the query
string and a form body, text that must be UTF-8 (a 400 otherwise, never a
guess), graph IRIs that must be IRIs, and the service's own IRI, against which
relative IRIs in a query or an update are resolved.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import g, request

from communique.server.errors import ClientError

FORM_TYPE = "application/x-www-form-urlencoded"


def utf8(raw: bytes, what: str) -> str:
    """Bytes of the request as text; a 400 naming the first bad byte otherwise."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClientError(
            400,
            f"The {what} is not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "SPARQL requests are UTF-8",
        ) from exc


def body_text(what: str) -> str:
    return utf8(request.get_data(cache=True), what)


def _parameters() -> list[tuple[str, str]]:
    """Every parameter of the query string and of a form body, decoded strictly."""
    found: list[tuple[str, str]] | None = g.get("sparql_parameters")
    if found is None:
        found = _decoded(request.query_string, "query string")
        if request.method == "POST" and request.mimetype == FORM_TYPE:
            found += _decoded(request.get_data(cache=True), "form body")
        g.sparql_parameters = found
    return found


def _decoded(raw: bytes, what: str) -> list[tuple[str, str]]:
    text = utf8(raw, what)  # percent-escapes are checked below, as UTF-8 too
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ClientError(400, f"The {what} holds percent-escapes that are not UTF-8") from exc


def values(name: str) -> list[str]:
    return [value for key, value in _parameters() if key == name]


def has(name: str) -> bool:
    return any(key == name for key, _value in _parameters())


def graph_iris(name: str) -> list[str]:
    """The IRIs of a dataset parameter (default-graph-uri …), each checked."""
    iris = values(name)
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise ClientError(400, f"{name}={iri!r} is not an absolute IRI") from exc
    return iris


def service_iri() -> str:
    """The IRI of the endpoint the request was sent to (its query string left out):
    the base of relative IRIs in what it sends; a 400 when the URL is no IRI."""
    try:
        return ox.NamedNode(request.base_url).value
    except ValueError as exc:
        raise ClientError(400, f"The request's URL is not an IRI: {request.base_url!r}") from exc
