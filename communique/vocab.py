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

import re
import unicodedata

from rdflib import RDF, RDFS, XSD, Namespace, URIRef

DIP = Namespace("https://w3id.org/communique/ontology#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
WD = Namespace("http://www.wikidata.org/entity/")

__all__ = ["DCT", "DIP", "ORG", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "WD", "XSD", "Iris"]

ONTOLOGY_IRI = "https://w3id.org/communique/ontology"

PREFIXES = {
    "dip": str(DIP),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dct": str(DCT),
    "wd": str(WD),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def sparql_prefixes() -> str:
    """The PREFIX lines for every namespace communique uses."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def slugify(text: str) -> str:
    """A readable IRI segment: accents folded, lower case, words joined by '-'.
    Letters with no Latin form (Cyrillic, Arabic, Chinese …) are kept as they are:
    an IRI may hold them, and two names in another script stay two IRIs.

    >>> slugify("Hizbullah's  Al-Manar TV")
    'hizbullahs-al-manar-tv'
    >>> slugify("Сергей Лавров"), slugify("Sérgey")
    ('сергей-лавров', 'sergey')
    """
    text = unicodedata.normalize("NFC", text.replace("'", "").replace("’", ""))
    folded = "".join(_latin_base(c) for c in text).lower()
    return re.sub(r"[\W_]+", "-", folded).strip("-") or "unnamed"


def _latin_base(char: str) -> str:
    """'é' -> 'e', 'Ⅳ' -> 'IV'; a letter whose base is not ASCII stays whole ('й' is
    not 'и' with a mark to drop, 'ß' stays 'ß')."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base.isascii() else char


class Iris:
    """Mints instance IRIs under one base."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _mint(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def person(self, name: str) -> URIRef:
        return self._mint(f"person/{slugify(name)}")

    def country(self, iso2: str) -> URIRef:
        return self._mint(f"country/{iso2.upper()}")

    def org(self, name: str) -> URIRef:
        return self._mint(f"org/{slugify(name)}")

    def place(self, name: str) -> URIRef:
        return self._mint(f"place/{slugify(name)}")

    def weapon(self, name: str) -> URIRef:
        return self._mint(f"weapon/{slugify(name)}")

    def article(self, identifier: str) -> URIRef:
        return self._mint(f"article/{identifier[:16]}")

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
    def meta_graph(self) -> URIRef:
        """Where a store without a folder of its own (a SPARQL service) records its changes."""
        return self.graph("meta")

    @property
    def dataset(self) -> URIRef:
        """The dataset as a whole (VoID, change records)."""
        return self._mint("dataset")
