"""The diplomacy gazetteer: countries (names, variants, demonyms, capitals)
and organisations, read from the TSV files in ``data/`` (sources in
``data/README.md``).

It answers two questions: which patterns should the EntityRuler tag, and which
known actor does a surface form name.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from importlib import resources

COUNTRY = "country"
ORGANIZATION = "org"


@dataclass(frozen=True)
class Entry:
    """A known actor: a country (key = ISO code) or an organisation (key = slug)."""

    kind: str  # COUNTRY or ORGANIZATION
    key: str
    label: str
    wikidata: str | None = None
    org_class: str | None = None  # dip class name for organisations
    names: tuple[str, ...] = ()  # label and variants that name the actor itself
    demonyms: tuple[str, ...] = ()
    capital: str | None = None

    @property
    def ruler_id(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)  # by ruler id
    _forms: dict[str, str] = field(default_factory=dict)  # normalised form -> ruler id

    def add(self, entry: Entry) -> None:
        self.entries[entry.ruler_id] = entry
        for form in (*entry.names, *entry.demonyms):
            self._forms.setdefault(normalise(form), entry.ruler_id)

    def by_id(self, ruler_id: str) -> Entry | None:
        return self.entries.get(ruler_id)

    def lookup(self, text: str) -> Entry | None:
        """The actor a surface form names, ignoring case, 'the' and possessives."""
        ruler_id = self._forms.get(normalise(text))
        return self.entries.get(ruler_id) if ruler_id else None

    def is_demonym(self, entry: Entry, text: str) -> bool:
        form = normalise(text)
        return any(normalise(d) == form for d in entry.demonyms)

    def ruler_patterns(self) -> list[dict[str, object]]:
        """EntityRuler patterns: names as GPE/ORG, demonyms as NORP."""
        patterns: list[dict[str, object]] = []
        for entry in self.entries.values():
            name_label = "GPE" if entry.kind == COUNTRY else "ORG"
            for form in entry.names:
                patterns.extend(_case_patterns(form, name_label, entry.ruler_id))
            for form in entry.demonyms:
                patterns.extend(_case_patterns(form, "NORP", entry.ruler_id))
        return patterns


def _case_patterns(form: str, label: str, ruler_id: str) -> list[dict[str, object]]:
    """Exact-case pattern, plus a lower-case-insensitive one for long names.

    Short all-capital forms ("US", "UN") only match as written, so that the
    pronoun "us" is never a country.
    """
    exact = {"label": label, "pattern": form, "id": ruler_id}
    if form.isupper() or len(form) <= 4:
        return [exact]
    words = form.split()
    lowered = {"label": label, "id": ruler_id,
               "pattern": [{"LOWER": w.lower()} for w in words]}
    return [exact, lowered]


_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(['’]s|['’])$")


def normalise(text: str) -> str:
    """Compare names without case, a leading 'the', a possessive or extra spaces.

    >>> normalise("the  Russian Federation’s")
    'russian federation'
    """
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", _THE.sub("", text))
    return text.lower().replace("’", "'")


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("communique.loaders").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process."""
    gazetteer = Gazetteer()
    for row in _rows("countries.tsv"):
        gazetteer.add(Entry(
            kind=COUNTRY, key=row["iso2"], label=row["label"],
            wikidata=row["wikidata"] or None,
            names=(row["label"], *_split(row["aliases"])),
            demonyms=_split(row["demonyms"]), capital=row["capital"] or None,
        ))
    for row in _rows("organizations.tsv"):
        gazetteer.add(Entry(
            kind=ORGANIZATION, key=row["key"], label=row["label"],
            wikidata=row["wikidata"] or None, org_class=row["class"],
            names=(row["label"], *_split(row["aliases"])),
        ))
    return gazetteer
