"""Where a page links an IRI, and the addresses of a resource's variants.

An IRI under the store's base IRI has its own page under ``/id/`` (the server
maps its ``/id/`` path onto the base, so the same data browses on localhost
and behind a public name); any other IRI is browsed with ``/describe?uri=``.
A resource's data variants are named by a suffix from the formats table.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import url_for

from communique.formats import FORMATS, HTML, Format, of_kind
from communique.formats import Kind as FormatKind
from communique.server import context

# The variants of a resource page: its data as each graph format, and the page.
VARIANTS: list[Format] = [*of_kind(FormatKind.GRAPH), HTML]
SUFFIXES: dict[str, Format] = {f.suffix: f for f in VARIANTS if f.suffix}
# A resource's statements as a table (the page's twins, as the views have):
# SPARQL results in CSV, and in JSON under the suffix people try first.
TABLES: dict[str, Format] = {
    suffix: next(f for f in FORMATS if f.name == name)
    for suffix, name in ((".csv", "csv"), (".json", "json"))
}


def link(iri: str) -> str:
    """Where a page links an IRI: its own page here, or /describe for outside IRIs."""
    base = context.store().iris.base
    if iri.startswith(base) and not iri.endswith((*SUFFIXES, *TABLES)):
        return "/id/" + quote(iri[len(base) :], safe="/:@-._~")
    return url_for("resources.describe", uri=iri)


def local_path(iri: str) -> str:
    """An IRI as the views' parameters name it: its path under the base IRI
    (``country/RU``), or the whole IRI when it is not under it."""
    base = context.store().iris.base
    return iri[len(base) :] if iri.startswith(base) else iri


WEB_SCHEMES = ("http", "https")


def web_url(value: object) -> str | None:
    """A URL from the data that a page may link to: http or https only. Anything
    else (``javascript:``, ``data:``, a relative reference) is shown as text, since
    the data may come from any feed or from /update.

    >>> web_url("https://news.example/a"), web_url("javascript:alert(1)")
    ('https://news.example/a', None)
    """
    if not isinstance(value, str):
        return None
    scheme, colon, rest = value.partition(":")
    return value if colon and scheme.lower() in WEB_SCHEMES and rest.startswith("//") else None


def variant_path(iri: str, fmt: Format) -> str:
    """The address of one variant of a resource."""
    base = context.store().iris.base
    if iri.startswith(base):
        return url_for("resources.local", rest=iri[len(base) :] + (fmt.suffix or ""))
    return url_for("resources.describe", uri=iri, format=fmt.name)


def table_paths(iri: str) -> list[tuple[str, str]]:
    """(name, address) of a resource's statement tables (only under the base IRI)."""
    base = context.store().iris.base
    if not iri.startswith(base):
        return []
    path = iri[len(base) :]
    return [
        (f"table ({suffix[1:].upper()})", url_for("resources.local", rest=path + suffix))
        for suffix in TABLES
    ]


def split_suffix(rest: str) -> tuple[str, Format | None]:
    """An /id/ path without its variant suffix, and the variant it names (None: by
    Accept): a graph format, the page, or a table of its statements."""
    for suffix, fmt in (*SUFFIXES.items(), *TABLES.items()):
        if rest.endswith(suffix):
            return rest[: -len(suffix)], fmt
    return rest, None
