"""Namespaces of the diplomacy ontology and the IRIs communique mints.

Instance IRIs live under one configurable base and are readable and stable:
the same real-world actor gets the same IRI in every article.

>>> iris = Iris("http://localhost:8000/id/")
>>> str(iris.person("Sergey Lavrov"))
'http://localhost:8000/id/person/sergey-lavrov'
>>> str(iris.country("ru"))
'http://localhost:8000/id/country/RU'
"""

from __future__ import annotations

import hashlib
import unicodedata

from rdflib import RDF, RDFS, XSD, Namespace, URIRef


class _Terms(Namespace):
    """A namespace that makes each term once. rdflib's builds and checks a new
    URIRef on every attribute access (2 microseconds; 20 times a cached one),
    and the RDF mapping asks for the same terms on every mention and fact."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found by plain attribute lookup from now on
        return term


DIP = _Terms("https://w3id.org/communique/ontology#")
SCHEMA = _Terms("https://schema.org/")
ORG = _Terms("http://www.w3.org/ns/org#")
PROV = _Terms("http://www.w3.org/ns/prov#")
SKOS = _Terms("http://www.w3.org/2004/02/skos/core#")
DCT = _Terms("http://purl.org/dc/terms/")
WD = _Terms("http://www.wikidata.org/entity/")
QB = _Terms("http://purl.org/linked-data/cube#")
GEO = _Terms("http://www.w3.org/2003/01/geo/wgs84_pos#")  # W3C WGS84 latitude, longitude

__all__ = ["DCT", "DIP", "ORG", "PROV", "QB", "RDF", "RDFS", "SCHEMA", "SKOS", "WD", "XSD", "Iris"]

ONTOLOGY_IRI = "https://w3id.org/communique/ontology"

PREFIXES = {
    "dip": str(DIP),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dct": str(DCT),
    "wd": str(WD),
    "qb": str(QB),
    "geo": str(GEO),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def sparql_prefixes() -> str:
    """The PREFIX lines for every namespace communique uses."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


SLUG_CATEGORIES = "LMN"  # letters, their marks and digits, in any script; the rest separate
# The code points RFC 3987 lets an IRI hold unescaped, beyond ASCII (its ucschar).
IRI_CHARACTERS = (
    (0xA0, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFEF),
    *((plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000)),
    (0xE1000, 0xEFFFD),
)


def slugify(text: str) -> str:
    """A readable IRI segment: accents folded, lower case, words joined by '-'.
    Letters with no Latin form (Cyrillic, Arabic, Chinese …) are kept as they are:
    an IRI may hold them, and two names in another script stay two IRIs.
    Letters keep their marks (a vowel sign in Devanagari is part of the name), and
    a name with no letter or digit at all gets a digest of itself, never a
    placeholder that two names would share.

    >>> slugify("Hizbullah's  Al-Manar TV")
    'hizbullahs-al-manar-tv'
    >>> slugify("Сергей Лавров"), slugify("Sérgey")
    ('сергей-лавров', 'sergey')
    >>> slugify("★") != slugify("☆")
    True
    """
    text = unicodedata.normalize("NFC", text.replace("'", "").replace("’", ""))
    folded = "".join(_latin_base(c) for c in text).lower()
    kept = "".join(c if _slug_character(c) else " " for c in folded)
    return "-".join(kept.split()) or "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _slug_character(char: str) -> bool:
    if unicodedata.category(char)[0] not in SLUG_CATEGORIES:
        return False
    point = ord(char)
    return point < 0x80 or any(low <= point <= high for low, high in IRI_CHARACTERS)


def _latin_base(char: str) -> str:
    """'é' -> 'e', 'Ⅳ' -> 'IV'; a letter whose base is not ASCII stays whole ('й' is
    not 'и' with a mark to drop, 'ß' stays 'ß')."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base.isascii() else char


class Iris:
    """Mints instance IRIs under one base."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def reference(self, text: str) -> str:
        """A thing named by its path under the base (``country/SY``, ``/id/place/geneva``)
        or by a whole IRI, as the pages' filters and the command line take it."""
        return text if "://" in text else self.base + text.removeprefix("/id/").lstrip("/")

    def _mint(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def person(self, name: str) -> URIRef:
        return self._mint(f"person/{slugify(name)}")

    def country(self, iso2: str) -> URIRef:
        return self._mint(f"country/{iso2.upper()}")

    def dyad(self, first: str, second: str) -> URIRef:
        """The unordered pair of two countries (given by IRI): one IRI for both
        orders, from their codes in the order of their IRIs."""
        prefix = str(self.country(""))
        codes = sorted((first, second))
        return self._mint("dyad/" + "-".join(c.removeprefix(prefix) for c in codes))

    def org(self, name: str) -> URIRef:
        return self._mint(f"org/{slugify(name)}")

    def place(self, name: str) -> URIRef:
        return self._mint(f"place/{slugify(name)}")

    def weapon(self, name: str) -> URIRef:
        return self._mint(f"weapon/{slugify(name)}")

    def article(self, identifier: str) -> URIRef:
        return self._mint(f"article/{identifier[:16]}")

    def copy(self, identifier: str) -> URIRef:
        """Another publication of a stored article's story (by its own content hash)."""
        return self._mint(f"copy/{identifier[:16]}")

    def mention(self, article_id: str, start: int, end: int) -> URIRef:
        return self._mint(f"mention/{article_id[:16]}/{start}-{end}")

    def event(self, article_id: str, n: int) -> URIRef:
        return self._mint(f"event/{article_id[:16]}/{n}")

    def fact(self, kind: str, article_id: str, n: int) -> URIRef:
        """A statement, position holding or membership node of one article."""
        return self._mint(f"{kind}/{article_id[:16]}/{n}")

    def graph(self, name: str) -> URIRef:
        return self._mint(f"graph/{name}")

    @property
    def entities_graph(self) -> URIRef:
        return self.graph("entities")

    @property
    def ontology_graph(self) -> URIRef:
        return self.graph("ontology")

    @property
    def summary_graph(self) -> URIRef:
        """Where the counts behind the analyst's views live (``store/summaries.py``)."""
        return self.graph("summaries")

    @property
    def meta_graph(self) -> URIRef:
        """Where a store without a folder of its own (a SPARQL service) records its changes."""
        return self.graph("meta")

    @property
    def dataset(self) -> URIRef:
        """The dataset as a whole (VoID, change records)."""
        return self._mint("dataset")
