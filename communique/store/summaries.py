"""The counts behind the analyst's views, kept as W3C Data Cube observations in
``<base>graph/summaries`` and changed in the same SPARQL Update that writes or
removes an article.

Why this shape: the views' aggregates (events of a country per month, the
events between two countries, the most mentioned actors) take seconds over a
store of 100,000 articles when computed from the facts, and a page must answer
in a fraction of one. Every count here is a sum over articles, so an article's
part can be added when it is written and taken away, from its old graph, before
it is replaced or removed. Each article's part is computed by the same SPARQL
that rebuilds the summaries from scratch (``rebuild_update``), only restricted
to its graph; that is what keeps the two equal. Being plain SPARQL Update, the
bookkeeping runs unchanged on an external store.

A cube is a row of ``CUBES``: its data set, its dimensions and measures, and the
pattern whose groups are its cells. The patterns read only the article's own
graph (and the country IRIs' shape), never another article, so an article's
part does not depend on what else is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from communique.vocab import PREFIXES, Iris

XSD_INTEGER = PREFIXES["xsd"] + "integer"
RDF_TYPE = PREFIXES["rdf"] + "type"
QB_OBSERVATION = PREFIXES["qb"] + "Observation"
QB_DATASET = PREFIXES["qb"] + "dataSet"
# The properties the cubes' patterns read: an article's other triples (labels,
# mentions' offsets and text) need not be copied to compute its part.
READ_BY_CUBES = frozenset(
    PREFIXES[prefix] + local
    for prefix, local in (
        ("dip", "ploverType"),
        ("dip", "status"),
        ("dip", "date"),
        ("dip", "involvesCountry"),
        ("dip", "initiatorCountry"),
        ("dip", "mentionedAs"),
        ("schema", "datePublished"),
        ("rdf", "type"),
    )
)

# 2: countries read from dip:involvesCountry; 3: dip:placedIn written; 4: dip:dyad
# written (the cubes are the same as in 3: a store of 3 gets the dyads, not a rebuild)
SUMMARY_VERSION = 4

# An event's month as text (YYYY-MM) from its ?date and its article's ?published,
# or unbound; the views' listings place events by the same rule.
MONTH_TEXT = """COALESCE(
        IF(DATATYPE(?date) IN (xsd:date, xsd:dateTime, xsd:gYearMonth),
           SUBSTR(STR(?date), 1, 7), 1/0),
        IF(!BOUND(?date) || SUBSTR(STR(?date), 1, 4) = SUBSTR(STR(?published), 1, 4),
           SUBSTR(STR(?published), 1, 7), 1/0))"""

# The event, its type, status and month. The month is the event's own when its
# date gives one, else the article's, but only when the event's year (if any) is
# the article's year: "in 2003" in a 2007 article is not placed in 2007.
_EVENT = """?e dip:ploverType ?type ; dip:status ?status .
      OPTIONAL { ?e dip:date ?date }
      OPTIONAL { {graph} schema:datePublished ?published }
      BIND(MONTH_TEXT AS ?monthText)
      BIND(STRDT(?monthText, xsd:gYearMonth) AS ?month)""".replace("MONTH_TEXT", MONTH_TEXT)


# The countries an event stands for are written on it when it is extracted
# (dip:involvesCountry, dip:initiatorCountry: ``loaders/rdfmap.py``); a store
# from before that gets them from ``BACKFILL``, by the same rule in SPARQL.
BACKFILL = """INSERT { GRAPH ?g { ?e WRITTEN ?c } } WHERE { GRAPH ?g {
  { ?e ROLE ?c . FILTER(STRSTARTS(STR(?c), "PREFIX")) }
  UNION { ?e ROLE ?a . ?h dip:holder ?a ; dip:inActor ?c .
          FILTER(STRSTARTS(STR(?c), "PREFIX")) }
  UNION { ?e ROLE ?a . ?a dip:nationality ?c } } }"""
WRITTEN_COUNTRY_QUERY = "SELECT ?e WHERE { ?e dip:involvesCountry ?c } LIMIT 1"
WRITTEN_MONTH_QUERY = "SELECT ?e WHERE { ?e dip:placedIn ?m } LIMIT 1"
BACKFILLED = (("dip:participant", "dip:involvesCountry"), ("dip:initiator", "dip:initiatorCountry"))


def month_backfill_update() -> str:
    """The update writing dip:placedIn on the events of a store loaded before it
    existed, by the rule extraction follows (``loaders.rdfmap.event_month``)."""
    return f"""INSERT {{ GRAPH ?g {{ ?e dip:placedIn ?month }} }} WHERE {{ GRAPH ?g {{
  ?e dip:ploverType ?t . OPTIONAL {{ ?e dip:date ?date }}
  OPTIONAL {{ ?g schema:datePublished ?published }}
  BIND(STRDT({MONTH_TEXT}, xsd:gYearMonth) AS ?month) }} FILTER(BOUND(?month)) }}"""


WRITTEN_DYAD_QUERY = "SELECT ?e WHERE { ?e dip:dyad ?d } LIMIT 1"


def dyad_backfill_update(iris: Iris) -> str:
    """The update writing dip:dyad on the events of a store loaded before it
    existed: each pair of the event's countries, by ``Iris.dyad``'s rule."""
    prefix = str(iris.country(""))
    return f"""INSERT {{ GRAPH ?g {{ ?e dip:dyad ?dyad }} }} WHERE {{ GRAPH ?g {{
  ?e dip:involvesCountry ?a, ?b FILTER(STR(?a) < STR(?b)) }}
  BIND(IRI(CONCAT("{iris.base}dyad/", STRAFTER(STR(?a), "{prefix}"), "-",
                  STRAFTER(STR(?b), "{prefix}"))) AS ?dyad) }}"""


def version_update(iris: Iris) -> str:
    """The update marking the summaries as of the current version."""
    summaries = f"<{iris.summary_graph}>"
    return f"DELETE WHERE {{ GRAPH {summaries} {{ {summaries} dip:summaryVersion ?v }} }} ;\n" + (
        _version_marker(iris)
    )


def backfill_update(iris: Iris) -> str:
    """The update writing dip:involvesCountry and dip:initiatorCountry on the
    events of a store loaded before they existed."""
    prefix = str(iris.country(""))
    ops = [
        BACKFILL.replace("WRITTEN", written).replace("ROLE", role).replace("PREFIX", prefix)
        for role, written in BACKFILLED
    ]
    return " ;\n".join(ops)


@dataclass(frozen=True)
class Cube:
    """One data set of the summaries: its cells are the groups of ``pattern``."""

    name: str  # the qb:DataSet is dip:<name>; cells are <base>summary/<name>/…
    dimensions: tuple[tuple[str, str], ...]  # (variable, property)
    measures: tuple[tuple[str, str, str], ...]  # (variable, property, aggregate)
    pattern: str  # within the article graph, named {graph}

    @property
    def main_measure(self) -> str:
        """The measure that is zero exactly when the cell counts nothing."""
        return self.measures[0][1]


CUBES = (
    Cube(
        "EventsByType",
        (("?type", "dip:refEventType"), ("?status", "dip:refStatus"), ("?month", "dip:refMonth")),
        (("?events", "dip:eventCount", "COUNT(DISTINCT ?e)"),),
        _EVENT,
    ),
    Cube(
        "EventsByCountry",
        (("?country", "dip:refCountry"), ("?type", "dip:refEventType"), ("?month", "dip:refMonth")),
        (("?events", "dip:eventCount", "COUNT(DISTINCT ?e)"),),
        _EVENT + "\n      ?e dip:involvesCountry ?country .",
    ),
    Cube(
        "EventsByCountryPair",
        (
            ("?country", "dip:refCountry"),
            ("?counterpart", "dip:refCounterpart"),
            ("?type", "dip:refEventType"),
            ("?status", "dip:refStatus"),
            ("?month", "dip:refMonth"),
        ),
        (
            ("?events", "dip:eventCount", "COUNT(DISTINCT ?e)"),
            ("?first", "dip:firstInitiated", "COUNT(DISTINCT ?byFirst)"),
            ("?second", "dip:secondInitiated", "COUNT(DISTINCT ?bySecond)"),
        ),
        _EVENT
        + """
      ?e dip:involvesCountry ?country, ?counterpart .
      FILTER(STR(?country) < STR(?counterpart))
      OPTIONAL { ?e dip:initiatorCountry ?country . BIND(?e AS ?byFirst) }
      OPTIONAL { ?e dip:initiatorCountry ?counterpart . BIND(?e AS ?bySecond) }""",
    ),
    Cube(
        "MentionsByActor",
        (("?actor", "dip:refActor"),),
        (("?mentions", "dip:mentionCount", "COUNT(DISTINCT ?m)"),),
        "?actor dip:mentionedAs ?m .",
    ),
    Cube(
        "Totals",
        (),
        (
            ("?articles", "dip:articleCount", "COUNT(DISTINCT {graph})"),
            ("?events", "dip:eventCount", "COUNT(DISTINCT ?e)"),
            ("?statements", "dip:statementCount", "COUNT(DISTINCT ?s)"),
        ),
        "{graph} a dip:Article . OPTIONAL { ?e dip:ploverType ?t } OPTIONAL { ?s a dip:Statement }",
    ),
)


def _total(measure: str) -> str:
    return f"""SELECT (COALESCE(SUM(?v), 0) AS ?n) WHERE {{
        ?cell qb:dataSet dip:Totals ; {measure} ?v }}"""


# The store's figures read from the summaries (as ``Store.counts`` names them):
# an actor (not a place) is counted when an article mentions it.
COUNT_QUERIES = {
    "articles": _total("dip:articleCount"),
    "actors": """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?cell qb:dataSet dip:MentionsByActor ; dip:refActor ?x .
        ?x a ?c . ?c rdfs:subClassOf* dip:Actor }""",
    "events": _total("dip:eventCount"),
    "statements": _total("dip:statementCount"),
}


def _key_part(variable: str, base: str) -> str:
    """A dimension's value as one readable segment of the cell's IRI."""
    value = (
        f'IF(isIRI({variable}), IF(STRSTARTS(STR({variable}), "{base}"), '
        f'STRAFTER(STR({variable}), "{base}"), REPLACE(STR({variable}), "^.*[/#]", "")), '
        f"STR({variable}))"
    )
    return f'ENCODE_FOR_URI(COALESCE({value}, "-"))'


def _cell(cube: Cube, iris: Iris) -> str:
    prefix = f"{iris.base}summary/{cube.name}"
    parts = [f'"{prefix}"'] + [f'"/", {_key_part(var, iris.base)}' for var, _ in cube.dimensions]
    return f"BIND(IRI(CONCAT({', '.join(parts)})) AS ?cell)"


def _groups(cube: Cube, graph: str, iris: Iris) -> str:
    """The sub-select whose rows are the cells' counts over ``graph`` (an IRI, or
    ``?g`` for every article graph)."""
    dims = " ".join(var for var, _ in cube.dimensions)
    aggregates = " ".join(
        f"({aggregate.replace('{graph}', graph)} AS {var})" for var, _, aggregate in cube.measures
    )
    # placeholders filled by replace, not format: the patterns are full of braces
    pattern = cube.pattern.replace("{graph}", graph)
    if graph == "?g":  # every article graph, not the shared ones
        pattern = f"?g a dip:Article .\n      {pattern}"
    group = f"GROUP BY {dims}" if dims else ""
    return f"""{{ SELECT {dims} {aggregates} WHERE {{ GRAPH {graph} {{
      {pattern} }} }} {group} }}"""


@dataclass(frozen=True)
class Cell:
    """One cell's dimensions (property, term as N-Triples) and measure values."""

    cube: Cube
    dimensions: tuple[tuple[str, str], ...]
    measures: tuple[int, ...]


Part = dict[str, Cell]  # cell IRI -> what one article graph counts in it


Deltas = dict[str, tuple[Cell, list[int]]]  # cell IRI -> (the cell, change of each measure)


def deltas(removed: list[Part], added: list[Part]) -> Deltas:
    """How each cell changes when the ``removed`` parts go and the ``added`` come."""
    changes: Deltas = {}
    for sign, parts in ((-1, removed), (1, added)):
        for part in parts:
            for iri, cell in part.items():
                _, totals = changes.setdefault(iri, (cell, [0] * len(cell.measures)))
                for i, count in enumerate(cell.measures):
                    totals[i] += sign * count
    return {iri: change for iri, change in changes.items() if any(change[1])}


def change_ops(changes: Deltas, iris: Iris) -> list[str]:
    """Update operations applying ``changes`` to the counts the store holds when
    they run (so concurrent writers on a SPARQL service add up). The cells are
    named in VALUES, so the store finds each by its index."""
    ops = []
    for cube in CUBES:
        rows = [(iri, cell, d) for iri, (cell, d) in changes.items() if cell.cube is cube]
        if rows:
            ops.append(_apply(cube, rows, iris))
        shrinking = [iri for iri, _, d in rows if d[0] < 0]
        if shrinking:
            ops.append(_empty_cells(cube, shrinking, iris))
    return ops


Held = Callable[[list[str]], dict[tuple[str, str], int]]


def data_change(changes: Deltas, held: Held) -> tuple[str, str]:
    """``changes`` as the triples to delete and to insert in the summaries graph
    (for DELETE DATA and INSERT DATA), from the counts ``held`` says
    the store has ({(cell IRI, measure as a prefixed name): count} for the cells
    asked): for a store only this process writes, where reading first cannot
    race, and plain data operations cost a fraction of pattern-matching ones.
    Written in the compact syntax, prefixed names and bare integers: a load
    parses this text once an article."""
    counts = held(list(changes))
    deleted: list[str] = []
    inserted: list[str] = []
    for iri, (cell, delta) in changes.items():
        measures, old, new = _counts(iri, cell, delta, counts)
        gone = [f"{p} {o}" for p, o in zip(measures, old, strict=True) if o is not None]
        if new[0] == 0:
            gone += _description(cell)
        elif old[0] is None:
            inserted.append(f"<{iri}> {' ; '.join(_description(cell))} ;")
        if gone:
            deleted.append(f"<{iri}> {' ; '.join(gone)} .\n")
        if new[0] != 0:
            kept = " ; ".join(f"{p} {n}" for p, n in zip(measures, new, strict=True))
            inserted.append(f"<{iri}> {kept} .\n" if old[0] is not None else f" {kept} .\n")
    return "".join(deleted), "".join(inserted)


def counts_after(changes: Deltas, counts: dict[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    """Each changed cell's counts by measure name once ``changes`` are made to the
    ``counts`` held, as ``data_change`` writes them ({}: the cell is gone)."""
    after: dict[str, dict[str, int]] = {}
    for iri, (cell, delta) in changes.items():
        measures, _old, new = _counts(iri, cell, delta, counts)
        after[iri] = dict(zip(measures, new, strict=True)) if new[0] != 0 else {}
    return after


def _counts(
    iri: str, cell: Cell, delta: tuple[int, ...], counts: dict[tuple[str, str], int]
) -> tuple[list[str], list[int | None], list[int]]:
    """A cell's measures, the counts held of each (None: none), and the counts after."""
    measures = [prop for _, prop, _ in cell.cube.measures]
    old = [counts.get((iri, prop)) for prop in measures]
    return measures, old, [(o or 0) + d for o, d in zip(old, delta, strict=True)]


def measure_names() -> list[str]:
    """Every measure of every cube, as prefixed names."""
    return sorted({prop for cube in CUBES for _, prop, _ in cube.measures})


def _description(cell: Cell) -> list[str]:
    """The cell's type, data set and dimensions, as predicate-object pairs."""
    return [
        "a qb:Observation",
        f"qb:dataSet dip:{cell.cube.name}",
        *(f"{prop} {term}" for prop, term in cell.dimensions),
    ]


def expand(name: str) -> str:
    """A prefixed name of the cubes' vocabulary as a full IRI."""
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


def _apply(cube: Cube, rows: list[tuple[str, Cell, list[int]]], iris: Iris) -> str:
    summaries = f"<{iris.summary_graph}>"
    props = [prop for _, prop in cube.dimensions]
    values = " ".join(
        "(<{}> {} {})".format(
            iri,
            " ".join(dict(cell.dimensions).get(prop, "UNDEF") for prop in props),
            " ".join(str(d) for d in delta),
        )
        for iri, cell, delta in rows
    )
    dim_vars = " ".join(f"?d{i}" for i in range(len(props)))
    delta_vars = " ".join(f"?delta{i}" for i in range(len(cube.measures)))
    dims = " ".join(f"; {prop} ?d{i}" for i, prop in enumerate(props))
    olds = " ".join(
        f"OPTIONAL {{ GRAPH {summaries} {{ ?cell {prop} ?old{i} }} }}"
        for i, (_, prop, _) in enumerate(cube.measures)
    )
    news = " ".join(
        f"BIND(COALESCE(?old{i}, 0) + ?delta{i} AS ?new{i})" for i in range(len(cube.measures))
    )
    deleted = " ".join(f"?cell {prop} ?old{i} ." for i, (_, prop, _) in enumerate(cube.measures))
    inserted = " ".join(f"; {prop} ?new{i}" for i, (_, prop, _) in enumerate(cube.measures))
    return f"""DELETE {{ GRAPH {summaries} {{ {deleted} }} }}
INSERT {{ GRAPH {summaries} {{ ?cell a qb:Observation ; qb:dataSet dip:{cube.name}
  {dims} {inserted} }} }}
WHERE {{ VALUES (?cell {dim_vars} {delta_vars}) {{ {values} }} {olds} {news} }}"""


def _empty_cells(cube: Cube, cells: list[str], iris: Iris) -> str:
    """Remove those of ``cells`` a removal brought to zero."""
    summaries = f"<{iris.summary_graph}>"
    values = " ".join(f"<{iri}>" for iri in cells)
    return (
        f"DELETE {{ GRAPH {summaries} {{ ?cell ?p ?o }} }} WHERE {{ VALUES ?cell {{ {values} }} "
        f"GRAPH {summaries} {{ ?cell {cube.main_measure} 0 ; ?p ?o }} }}"
    )


def rebuild_update(iris: Iris) -> str:
    """The update that recomputes every cube from every article graph."""
    summaries = f"<{iris.summary_graph}>"
    ops = [f"DROP SILENT GRAPH {summaries}"]
    for cube in CUBES:
        dims = " ".join(f"; {prop} {var}" for var, prop in cube.dimensions)
        measures = " ".join(f"; {prop} {var}" for var, prop, _ in cube.measures)
        ops.append(
            f"""INSERT {{ GRAPH {summaries} {{ ?cell a qb:Observation ;
  qb:dataSet dip:{cube.name} {dims} {measures} }} }}
WHERE {{ {_groups(cube, "?g", iris)} {_cell(cube, iris)} }}"""
        )
    ops.append(_version_marker(iris))
    return " ;\n".join(ops)


def _version_marker(iris: Iris) -> str:
    summaries = f"<{iris.summary_graph}>"
    marker = f"{summaries} dip:summaryVersion {SUMMARY_VERSION}"
    return f"INSERT DATA {{ GRAPH {summaries} {{ {marker} }} }}"


def version_query(iris: Iris) -> str:
    """A SELECT answering the summaries' version (no row: there are none)."""
    summaries = f"<{iris.summary_graph}>"
    return f"SELECT ?v WHERE {{ GRAPH {summaries} {{ {summaries} dip:summaryVersion ?v }} }}"
