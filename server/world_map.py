"""A world map drawn offline from vendored data (``static/map/README.md``):
country outlines decoded from TopoJSON into one SVG path, and a point in each
country, both in an equirectangular projection (longitude and latitude as x
and y) of ``WIDTH`` by ``HEIGHT``.
"""

from __future__ import annotations

import csv
import functools
import json
from importlib import resources

WIDTH, HEIGHT = 720, 360
SCALE = WIDTH / 360


def project(longitude: float, latitude: float) -> tuple[float, float]:
    return round((longitude + 180) * SCALE, 1), round((90 - latitude) * SCALE, 1)


def _data(name: str) -> str:
    return resources.files("communique.server").joinpath("static", "map", name).read_text("utf-8")


@functools.cache
def outlines() -> str:
    """Every country's outline as the ``d`` of one SVG path."""
    topology = json.loads(_data("countries-110m.json"))
    arcs = [_arc(arc, topology["transform"]) for arc in topology["arcs"]]
    parts = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                parts.append(_ring(ring, arcs))
    return " ".join(parts)


def _arc(encoded: list[list[int]], transform: dict[str, list[float]]) -> list[tuple[float, float]]:
    """An arc's points: TopoJSON stores them quantized and as differences."""
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in encoded:
        x, y = x + dx, y + dy
        points.append(project(x * sx + tx, y * sy + ty))
    return points


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> str:
    points: list[tuple[float, float]] = []
    for index in indices:  # ~index: the arc reversed
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    # a ring that crosses the date line would draw a line across the world: it
    # is lifted there instead (a new subpath)
    drawn, previous = [], None
    for x, y in points:
        jump = previous is None or abs(x - previous) > WIDTH / 2
        drawn.append(("M" if jump else "L") + f"{x},{y}")
        previous = x
    return "".join(drawn) + "Z"


@functools.cache
def country_points() -> dict[str, tuple[float, float]]:
    """ISO 3166 alpha-2 code -> where the country's point falls on the map."""
    rows = csv.DictReader(_data("country-points.tsv").splitlines(), delimiter="\t")
    return {r["iso2"]: project(float(r["longitude"]), float(r["latitude"])) for r in rows}
