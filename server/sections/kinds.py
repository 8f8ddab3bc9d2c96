"""The kinds of resource page, in one table: how a resource is recognised (by
its types) and what its section holds. Adding a kind is a module beside this
one, a template ``templates/sections/<name>.html`` and a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from communique.classes import event_classes, subclasses
from communique.server.sections import actor, article, event
from communique.vocab import DIP


@dataclass(frozen=True)
class PageKind:
    name: str  # also the template's name: templates/sections/<name>.html
    classes: frozenset[str]  # a resource of any of these dip: classes is of this kind
    build: Callable[[ox.NamedNode], dict[str, Any]]


@dataclass
class Sections:
    kind: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


# First match wins: an article is never an actor, an actor never an event.
PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("article", frozenset({"Article"}), article.sections),
    PageKind("actor", subclasses("Actor") - {"Actor"}, actor.sections),
    PageKind("event", event_classes(), event.sections),
)


def sections_for(iri: ox.NamedNode, types: list[str]) -> Sections:
    """The section of the first kind whose classes the resource's types name."""
    local = {t.removeprefix(str(DIP)) for t in types if t.startswith(str(DIP))}
    for kind in PAGE_KINDS:
        if local & kind.classes:
            return Sections(kind.name, kind.build(iri))
    return Sections()
