"""Reading the lexicon's tables: tab-separated files in ``data/``.

Each table has a header row naming its columns; lines starting with ``#`` and
blank lines are skipped; a cell holds no tab. Every problem is reported as
``FILE:LINE: what is wrong`` when the table is first read, so a bad row
stops the process at start-up rather than misreading text later. Tables are
read once per process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from communique.errors import CommuniqueError

DATA_PACKAGE = "communique.loaders.lexicon.data"


class LexiconError(CommuniqueError):
    """A lexicon table is malformed, or names what the ontology does not have."""


@dataclass(frozen=True)
class Row:
    """One row of a table, with where it stands (for messages)."""

    table: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells[column]

    def problem(self, text: str) -> LexiconError:
        return LexiconError(f"{self.table}:{self.line}: {text}")


@functools.cache
def read_table(name: str, columns: tuple[str, ...], required: tuple[str, ...]) -> tuple[Row, ...]:
    """The rows of ``data/<name>``; its header must be ``columns`` and each row must
    fill the ``required`` ones."""
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text("utf-8")
    return parse_table(name, text, columns, required)


def parse_table(
    name: str, text: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[Row, ...]:
    r"""The rows of a table's text (see ``read_table``).

    >>> parse_table("t.tsv", "a\tb\n# a comment\nx\ty\n", ("a", "b"), ("a",))[0]["b"]
    'y'
    """
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.startswith("#")
    ]
    if not lines or tuple(lines[0][1].split("\t")) != columns:
        raise LexiconError(f"{name}:1: the header must be {' TAB '.join(columns)}")
    rows = []
    for number, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > len(columns):
            raise LexiconError(f"{name}:{number}: {len(cells)} cells, at most {len(columns)}")
        row = Row(name, number, dict(zip(columns, cells + [""] * len(columns), strict=False)))
        empty = [c for c in required if not row[c].strip()]
        if empty:
            raise row.problem(f"the {empty[0]} cell is empty")
        rows.append(row)
    return tuple(rows)


@functools.cache
def word_sets() -> dict[str, frozenset[str]]:
    """The named word sets of ``words.tsv``: one row per word, the set's reason on
    its first row."""
    sets: dict[str, list[str]] = {}
    for row in read_table("words.tsv", ("set", "word", "why"), ("set", "word")):
        words = sets.setdefault(row["set"], [])
        if not words and not row["why"].strip():
            raise row.problem(f"the first row of set {row['set']!r} must say why the set exists")
        if row["word"] in words:
            raise row.problem(f"{row['word']!r} is in set {row['set']!r} twice")
        words.append(row["word"])
    return {name: frozenset(words) for name, words in sets.items()}


def word_set(name: str) -> frozenset[str]:
    """One named word set; a name the table lacks stops the process at import."""
    try:
        return word_sets()[name]
    except KeyError:
        raise LexiconError(f"words.tsv: no word set named {name!r}") from None
