"""The filters of an event listing, read from the URL (so a filtered view is a
link), checked, and turned into SPARQL: each filter is a fixed clause naming a
variable that is bound to the request's value, never written into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import request

from communique.server.errors import ClientError
from communique.vocab import DIP, XSD, Iris

PAGE_SIZE = 50
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
STATUSES = ("Occurred", "Planned", "Proposed", "Denied")

# filter name -> (the clause it adds, the variable its value is bound to)
CLAUSES = {
    "type": ("FILTER(?type = ?wantType)", "wantType"),
    "status": ("FILTER(?statusNode = ?wantStatus)", "wantStatus"),
    "from": ("FILTER(STR(?month) >= ?wantFrom)", "wantFrom"),
    "to": ("FILTER(STR(?month) <= ?wantTo)", "wantTo"),
    "min_confidence": (
        "GRAPH ?g { ?event dip:confidence ?confidence } FILTER(?confidence >= ?wantConfidence)",
        "wantConfidence",
    ),
    # an actor that also takes part (a country: its government, officials and
    # nationals, as the views gather them); named by its path or its IRI
    "actor": ("GRAPH ?g { ?event dip:participant|dip:involvesCountry ?wantActor }", "wantActor"),
    "counterpart": (
        "GRAPH ?g { ?event dip:participant|dip:involvesCountry ?wantCounterpart }",
        "wantCounterpart",
    ),
    "place": ("GRAPH ?g { ?event dip:location ?wantPlace }", "wantPlace"),
}
# The statements listing's filters (``server/statements.py``): the same shape,
# but each a pattern for inside the article's GRAPH block, over ?statement and
# its article ?g (one block: Oxigraph joins patterns of two blocks by reading
# both in full).
STATEMENT_CLAUSES = {
    "speaker": ("?statement dip:speaker ?wantSpeaker .", "wantSpeaker"),
    "about": ("?statement schema:about ?wantAbout .", "wantAbout"),
    # months are kept in Python, from the articles' dates the listing reads to
    # order itself: a date FILTER here makes the engine start from every article
    "from": ("", "wantFrom"),
    "to": ("", "wantTo"),
    "min_confidence": (
        "?statement dip:confidence ?confidence . FILTER(?confidence >= ?wantConfidence)",
        "wantConfidence",
    ),
}
# filters whose values name things: a path under the base IRI or an IRI
IRI_FILTERS = {"actor", "counterpart", "place", "speaker", "about"}


@dataclass(frozen=True)
class Filters:
    """What a listing is narrowed to, and which page of it."""

    values: dict[str, str] = field(default_factory=dict)  # as given, for links
    terms: dict[str, ox.Term] = field(default_factory=dict)  # bound into the query
    page: int = 1
    others: dict[str, str] = field(default_factory=dict)  # the view's own parameters (a, b)
    table: dict[str, tuple[str, str]] = field(default_factory=lambda: CLAUSES)

    def clauses(self) -> str:
        return "\n  ".join(self.table[name][0] for name in self.values)

    def bindings(self) -> dict[str, ox.Term]:
        return {self.table[name][1]: term for name, term in self.terms.items()}

    def projected(self) -> str:
        """The bound variables, for the SELECT clause (pyoxigraph binds only those)."""
        return " ".join(f"?{self.table[name][1]}" for name in self.values)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def link(self, **changes: Any) -> dict[str, Any]:
        """The URL parameters of this listing with some changed (None drops one)."""
        params: dict[str, Any] = {**self.others, **self.values, "page": self.page, **changes}
        return {k: v for k, v in params.items() if v is not None and (k, v) != ("page", 1)}


def from_request(
    types: set[str], base: str, table: dict[str, tuple[str, str]] = CLAUSES
) -> Filters:
    """The filters the request's parameters name; a 400 saying which one is wrong
    and what it takes."""
    args = request.args
    values: dict[str, str] = {}
    terms: dict[str, ox.Term] = {}
    for name in table:
        value = args.get(name, "").strip()
        if value:
            named_thing = name in IRI_FILTERS
            terms[name] = named(name, value, base) if named_thing else _term(name, value, types)
            values[name] = value
    others = {k: v for k, v in args.items() if k not in table and k != "page"}
    return Filters(values, terms, _page(args.get("page", "1")), others, table)


def named(name: str, value: str, base: str) -> ox.NamedNode:
    """A thing a filter names: its path under the base IRI (``country/SY``,
    ``place/geneva``) or a whole IRI; a 400 saying so when it is neither."""
    iri = Iris(base).reference(value)
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise ClientError(
            400, f"{name}={value!r}: give a path such as country/SY, or an IRI ({exc})"
        ) from exc


def _term(name: str, value: str, types: set[str]) -> ox.Term:
    if name == "type":
        if value.upper() not in types:
            raise ClientError(
                400, f"type={value!r}: choose a PLOVER type: {', '.join(sorted(types))}"
            )
        return ox.Literal(value.upper())
    if name == "status":
        if value.capitalize() not in STATUSES:
            raise ClientError(400, f"status={value!r}: choose one of {', '.join(STATUSES)}")
        return ox.NamedNode(str(DIP[value.capitalize()]))
    if name in ("from", "to"):
        if not MONTH.match(value):
            raise ClientError(400, f"{name}={value!r}: give a month as YYYY-MM, e.g. 2024-05")
        return ox.Literal(value)
    number = confidence(value)
    return ox.Literal(str(number), datatype=ox.NamedNode(str(XSD.decimal)))


def confidence(value: str) -> float:
    """A least confidence given as text, from 0 to 1; a 400 saying so otherwise."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:  # NaN included
        raise ClientError(400, f"min_confidence={value!r}: give a number from 0 to 1")
    return number


def _page(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ClientError(400, f"page={value!r}: give a page number from 1")
    return int(value)
