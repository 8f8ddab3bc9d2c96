"""The lexicon's patterns (``data/org_words.tsv``, ``data/topics.tsv``): regular
expressions, matched ignoring case, each naming what its words say, checked
against the ontology when first read."""

from __future__ import annotations

import functools
import re

from communique.classes import instances, subclasses
from communique.loaders.lexicon.tables import Row, read_table


def _compiled(row: Row) -> re.Pattern[str]:
    try:
        return re.compile(row["pattern"], re.IGNORECASE)
    except re.error as exc:
        raise row.problem(f"not a regular expression: {exc}") from exc


@functools.cache
def org_class_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Words in an organisation's name that say its class ("Ministry of …" is a
    government body), in the order of the table: the first match wins."""
    organisations = subclasses("Organization") - {"Organization"}
    found = []
    columns = ("pattern", "class", "why")
    for row in read_table("org_words.tsv", columns, columns):
        if row["class"] not in organisations:
            raise row.problem(f"{row['class']!r} is not a class of organisation in the ontology")
        found.append((_compiled(row), row["class"]))
    return tuple(found)


@functools.cache
def topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Words that name a topic (a ``dip:Topic`` concept), in the order of the table."""
    topics = instances("Topic")
    found = []
    columns = ("topic", "pattern", "why")
    for row in read_table("topics.tsv", columns, columns):
        if row["topic"] not in topics:
            raise row.problem(f"{row['topic']!r} is not a dip:Topic of the ontology")
        found.append((row["topic"], _compiled(row)))
    return tuple(found)
