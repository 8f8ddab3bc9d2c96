"""Views of a query's answer beside its table, chosen from its columns: bars
(a column of numbers against a column of names), a timeline (rows counted by
the month of a column of dates), a network (pairs of IRIs in two columns), a
map (rows counted by the countries their IRIs name).
Each is shaped here for an SVG the template draws; none needs a script.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from communique.server.world_map import HEIGHT, WIDTH, country_points, outlines

DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-\d{2})?(?:T.*)?$")
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
MOST_BARS, MOST_NODES, MOST_MONTHS = 30, 24, 240
# The view an answer opens with when the URL names none, the first its columns
# allow: time first (a dated answer is read as a story), then pairs (two columns
# of actors: who deals with whom), then places, then amounts.
FIRST_CHOICE = ("timeline", "network", "map", "bars")
SIZE, RADIUS = 460, 170  # the network drawing: its side and its ring's radius


def is_iri(cell: str) -> bool:
    return cell.startswith(("http://", "https://"))


def available(columns: list[str], rows: list[list[str]], countries: str = "") -> dict[str, Any]:
    """{view name: what it draws} for each view the answer's columns allow
    (``countries``: the IRI prefix of countries, for the map)."""
    views: dict[str, Any] = {}
    if not rows:
        return views
    kinds = [_kind([row[i] for row in rows]) for i in range(len(columns))]
    if "number" in kinds and any(k in ("text", "iri") for k in kinds):
        views["bars"] = _bars(rows, kinds.index("number"), _first(kinds, ("text", "iri")))
    if "date" in kinds:
        number = kinds.index("number") if "number" in kinds else None
        views["timeline"] = _timeline(rows, kinds.index("date"), number)
    iris = [i for i, k in enumerate(kinds) if k == "iri"]
    if len(iris) >= 2:
        views["network"] = _network(rows, iris[0], iris[1])
    if countries and iris:
        views["map"] = _map(rows, iris, countries)
    return {name: view for name, view in views.items() if view["items"]}


def chosen(views: dict[str, Any], wanted: str | None) -> str | None:
    """The view to show: the one the URL asks for when the answer allows it;
    none for ``table``; else the first of ``FIRST_CHOICE`` it allows.

    >>> chosen({"bars": {}, "map": {}}, None), chosen({"bars": {}}, "table")
    ('map', None)
    >>> chosen({"bars": {}, "map": {}}, "bars"), chosen({"map": {}}, "network")
    ('bars', 'map')
    """
    if wanted == "table":
        return None
    if wanted in views:
        return wanted
    return next((name for name in FIRST_CHOICE if name in views), None)


def _kind(cells: list[str]) -> str:
    """What a column holds, when every cell that is not empty says the same."""
    filled = [c for c in cells if c]
    if not filled:
        return "empty"
    for kind, test in (
        ("iri", is_iri),
        ("date", lambda c: DATE.match(c) is not None and not NUMBER.match(c)),
        ("number", lambda c: NUMBER.match(c) is not None),
    ):
        if all(test(c) for c in filled):
            return kind
    return "text"


def _first(kinds: list[str], wanted: tuple[str, ...]) -> int:
    return next(i for i, k in enumerate(kinds) if k in wanted)


def _bars(rows: list[list[str]], value: int, name: int) -> dict[str, Any]:
    """The largest values, one bar each, named by the row's name cell."""
    items = sorted(
        ((row[name], float(row[value])) for row in rows if row[value]), key=lambda i: -i[1]
    )[:MOST_BARS]
    top = max((v for _, v in items), default=0) or 1
    return {
        "items": [{"name": n, "value": v, "width": round(100 * v / top, 1)} for n, v in items],
        "name_iri": all(is_iri(n) for n, _ in items),
    }


def _timeline(rows: list[list[str]], date: int, number: int | None) -> dict[str, Any]:
    """Rows (or the sum of their numbers) a month, every month of the span shown."""
    months: Counter[str] = Counter()
    for row in rows:
        found = DATE.match(row[date]) if row[date] else None
        if found and found.group(2):
            months[f"{found.group(1)}-{found.group(2)}"] += (
                float(row[number] or 0) if number is not None else 1
            )
    if not months:
        return {"items": []}
    first, last = min(months), max(months)
    span = []
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last and len(span) < MOST_MONTHS:
        span.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    top = max(months.values()) or 1
    return {
        "items": [
            {"month": m, "value": months[m], "height": round(130 * months[m] / top, 1)}
            for m in span
        ],
        "top": top,
    }


def _network(rows: list[list[str]], left: int, right: int) -> dict[str, Any]:
    """The most connected IRIs on a ring, a line for each pair, as thick as its rows."""
    pairs = Counter(
        tuple(sorted((row[left], row[right])))
        for row in rows
        if is_iri(row[left]) and is_iri(row[right]) and row[left] != row[right]
    )
    degree: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        degree[a] += n
        degree[b] += n
    nodes = [iri for iri, _ in degree.most_common(MOST_NODES)]
    centre = SIZE / 2
    places = {
        iri: (
            round(centre + RADIUS * math.cos(2 * math.pi * n / len(nodes)), 1),
            round(centre + RADIUS * math.sin(2 * math.pi * n / len(nodes)), 1),
        )
        for n, iri in enumerate(nodes)
    }
    top = max(pairs.values(), default=1)
    edges = [
        {"a": places[a], "b": places[b], "width": round(1 + 4 * n / top, 1), "count": n}
        for (a, b), n in pairs.items()
        if a in places and b in places
    ]
    return {
        "items": [{"iri": iri, "x": places[iri][0], "y": places[iri][1]} for iri in nodes],
        "edges": edges,
        "size": SIZE,
    }


def _map(rows: list[list[str]], columns: list[int], countries: str) -> dict[str, Any]:
    """How many rows name each country (in any column of IRIs), a circle each at
    the country's point, its area as the count."""
    counts: Counter[str] = Counter()
    for row in rows:
        for code in {
            row[i].removeprefix(countries) for i in columns if row[i].startswith(countries)
        }:
            counts[code] += 1
    points = country_points()
    top = max(counts.values(), default=1)
    return {
        "items": [
            {
                "iri": countries + code,
                "x": points[code][0],
                "y": points[code][1],
                "count": n,
                "r": round(3 + 12 * math.sqrt(n / top), 1),
            }
            for code, n in counts.most_common()
            if code in points
        ],
        "outlines": outlines(),
        "width": WIDTH,
        "height": HEIGHT,
    }
