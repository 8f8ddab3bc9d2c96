"""Files shipped inside the package (read with importlib.resources, never by a
path relative to the source tree): the ontology, the shapes, the lexicon."""

from __future__ import annotations

from importlib import resources

ONTOLOGY_RESOURCE = "communique.ttl"


def ontology_turtle() -> bytes:
    """The diplomacy ontology as Turtle."""
    return resources.files("communique.ontology").joinpath(ONTOLOGY_RESOURCE).read_bytes()


def shapes_turtle(name: str) -> str:
    """One of the SHACL shape files as Turtle text."""
    return resources.files("communique.shapes").joinpath(name).read_text("utf-8")
