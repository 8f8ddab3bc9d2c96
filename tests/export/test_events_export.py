"""The events table (`communique export events`, /export/events.*): its rows
are the store's events, its filters select what the store's own queries
select, it reads back in pandas with the documented columns and types, and
its PLOVER JSON validates against the schema in docs/."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from urllib.request import urlopen

import jsonschema
import pandas as pd
import pytest

from communique.errors import QueryError
from communique.export.columns import COLUMNS, DATE, FLOAT, INTEGER, NAMES
from communique.export.events import EventFilter, Exporter, day_of
from communique.export.writers import EXPORT_FORMATS, write_csv
from communique.store.embedded import EmbeddedStore
from communique.vocab import Iris
from tests.helpers import BASE_IRI, REPO, run_cli

DOCS = REPO / "docs" / "export.md"
SCHEMA = json.loads((REPO / "docs" / "plover-event.schema.json").read_text(encoding="utf-8"))
PANDAS_TYPES = {INTEGER: "Int64", FLOAT: "float64", DATE: "datetime64[ns]"}


@pytest.fixture(scope="module")
def analyst(analyst_store_path: Path):
    store = EmbeddedStore(analyst_store_path, Iris(BASE_IRI), read_only=True)
    yield store
    store.close()


def rows(store, **wanted) -> list[dict]:
    return list(Exporter(store).rows(EventFilter(**wanted)))


def test_there_is_one_row_for_each_event_with_the_stores_own_facts(analyst):
    exported = {r["event_iri"]: r for r in rows(analyst)}
    stored = analyst.select(
        """SELECT ?e ?type ?status ?confidence ?article WHERE { ?e dip:status ?status ;
        dip:ploverType ?type ; dip:confidence ?confidence ; prov:wasDerivedFrom ?article }"""
    )
    assert set(exported) == {str(r["e"]) for r in stored} and len(exported) > 5
    for fact in stored:
        row = exported[str(fact["e"])]
        assert row["event_type"] == fact["type"]
        assert row["status"] == str(fact["status"]).rsplit("#", 1)[1].lower()
        assert row["confidence"] == float(fact["confidence"])
        assert row["article_iri"] == str(fact["article"])


def test_source_and_target_are_the_initiators_and_recipients(analyst):
    roles = analyst.select(
        """SELECT ?e ?role ?a WHERE { ?e dip:status ?s .
        VALUES ?role { dip:initiator dip:recipient dip:participant } ?e ?role ?a }"""
    )
    by_event: dict[str, dict[str, set[str]]] = {}
    for r in roles:
        role = str(r["role"]).rsplit("#", 1)[1]
        by_event.setdefault(str(r["e"]), {}).setdefault(role, set()).add(str(r["a"]))
    for row in rows(analyst):
        found = by_event.get(row["event_iri"], {})
        sources = found.get("initiator") or found.get("participant") or set()
        assert set((row["source_actor_iri"] or "").split("; ")) - {""} == sources
        assert set((row["target_actor_iri"] or "").split("; ")) - {""} == found.get(
            "recipient", set()
        )
        cells = [row[f"source_{part}"] or "" for part in ("actor", "actor_iri", "sector")]
        assert len({cell.count("; ") for cell in cells if cell}) <= 1  # the cells line up


def test_dates_and_their_precision_follow_the_stored_date(analyst):
    stored = {str(r["e"]): r["d"] for r in analyst.select("SELECT ?e ?d WHERE { ?e dip:date ?d }")}
    precisions = {10: "day", 7: "month", 4: "year"}
    for row in rows(analyst):
        text = stored.get(row["event_iri"])
        if text is None:
            assert row["date"] is None and row["date_precision"] is None
        else:
            assert row["date_precision"] == precisions[len(text)]
            assert row["date"].isoformat().startswith(text)


@pytest.mark.parametrize(
    ("start", "end"), [("2024-02", None), (None, "2024-02-15"), ("2024-02-01", "2024-04")]
)
def test_a_date_range_keeps_the_events_whose_period_starts_in_it(analyst, start, end):
    first = day_of(start) if start else None
    last = day_of(end, end=True) if end else None
    every = rows(analyst)
    kept = {r["event_iri"] for r in rows(analyst, start=first, end=last)}

    def inside(row: dict) -> bool:
        when = row["date"] or row["published"]
        return (
            when is not None and (first is None or when >= first) and (last is None or when <= last)
        )

    assert kept == {r["event_iri"] for r in every if inside(r)}
    assert 0 < len(kept) < len(every)


@pytest.mark.parametrize("code", ["SY", "IL", "RU"])
def test_an_actor_filter_keeps_what_the_country_gathers(analyst, code):
    country = f"{BASE_IRI}country/{code}"
    gathered = analyst.select(
        """SELECT DISTINCT ?e WHERE { ?e dip:participant|dip:involvesCountry ?c }""",
        {"c": __import__("pyoxigraph").NamedNode(country)},
    )
    kept = {r["event_iri"] for r in rows(analyst, actor=country)}
    assert kept == {str(r["e"]) for r in gathered} and kept


def test_a_type_filter_keeps_that_type_and_an_unknown_type_is_refused(analyst):
    consults = rows(analyst, types=("CONSULT",))
    assert consults and {r["event_type"] for r in consults} == {"CONSULT"}
    with pytest.raises(QueryError, match=r"unknown event type MEET: give one of .*CONSULT"):
        rows(analyst, types=("MEET",))


def test_the_documented_columns_are_the_columns(analyst):
    documented = re.findall(
        r"^\| `([a-z_]+)` \| (string|date|integer|float) \|", DOCS.read_text(), re.M
    )
    assert documented == [(c.name, c.kind) for c in COLUMNS]
    out = io.StringIO()
    write_csv(rows(analyst), out, str)
    assert out.getvalue().splitlines()[0].split(",") == list(NAMES)


def test_csv_and_parquet_read_back_in_pandas_with_the_documented_types(analyst, tmp_path):
    exported = rows(analyst)
    for fmt in ("csv", "parquet"):
        with (tmp_path / f"events.{fmt}").open("wb") as out:
            EXPORT_FORMATS[fmt].write(iter(exported), out)
    kinds = {c.name: c.kind for c in COLUMNS}
    dates = [n for n, k in kinds.items() if k == DATE]
    text = {n: "string" for n, k in kinds.items() if k == "string"}
    numbers = {n: PANDAS_TYPES[k] for n, k in kinds.items() if k in (INTEGER, FLOAT)}
    from_csv = pd.read_csv(tmp_path / "events.csv", dtype={**text, **numbers}, parse_dates=dates)
    from_parquet = pd.read_parquet(tmp_path / "events.parquet")
    assert list(from_csv.columns) == list(NAMES) == list(from_parquet.columns)
    assert len(from_csv) == len(exported) == len(from_parquet)
    for name, kind in kinds.items():
        if kind == DATE:
            assert str(from_csv[name].dtype).startswith("datetime64"), name
        elif kind in (INTEGER, FLOAT):
            assert str(from_csv[name].dtype) == PANDAS_TYPES[kind], name
    # the same values both ways, and the values the exporter gave
    assert from_csv["cameo_code"].dropna().str.fullmatch(r"\d{2,4}").all()  # zeros kept
    for position, row in enumerate(exported):
        assert from_csv["event_iri"][position] == row["event_iri"]
        assert (
            from_parquet["confidence"][position]
            == row["confidence"]
            == from_csv["confidence"][position]
        )
        if row["date"] is not None:
            assert from_csv["date"][position].date() == row["date"]
            assert from_parquet["date"][position] == row["date"]
        if row["latitude"] is not None:
            assert from_csv["latitude"][position] == pytest.approx(row["latitude"])


def test_every_plover_record_validates_against_the_documented_schema(analyst, tmp_path):
    path = tmp_path / "events.jsonl"
    with path.open("wb") as out:
        EXPORT_FORMATS["plover-json"].write(Exporter(analyst).rows(EventFilter()), out)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for record in records:
        validator.validate(record)
    assert any(r.get("event_loc", {}).get("lat") for r in records)  # a town's coordinates
    broken = dict(records[0], made_up_field=1)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_places_in_towns_carry_coordinates_in_the_graph(analyst):
    points = analyst.select(
        """SELECT ?place ?lat ?long WHERE { ?e dip:location ?place .
        ?place geo:lat ?lat ; geo:long ?long }"""
    )
    assert points
    for point in points:
        assert -90 <= float(point["lat"]) <= 90 and -180 <= float(point["long"]) <= 180


def test_the_server_gives_the_same_table_with_the_pages_filters(analyst, analyst_server):
    with urlopen(f"{analyst_server}/export/events.csv?actor=country/SY&from=2024-02") as answer:
        served = pd.read_csv(answer, dtype=str)
    expected = rows(analyst, actor=f"{BASE_IRI}country/SY", start=date(2024, 2, 1))
    assert set(served["event_iri"]) == {r["event_iri"] for r in expected}
    with urlopen(f"{analyst_server}/export/events.parquet?type=consult") as answer:
        table = pd.read_parquet(io.BytesIO(answer.read()))
    assert set(table["event_type"]) == {"CONSULT"}
    with urlopen(f"{analyst_server}/export/events.jsonl") as answer:
        lines = answer.read().decode().splitlines()
    assert len(lines) == len(rows(analyst))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=MEET", "unknown event type MEET"),
        ("from=March", "is not a day"),
        ("min_confidence=2", "give a number from 0 to 1"),
    ],
)
def test_a_bad_filter_is_a_400_saying_what_to_give(analyst_server, query, message):
    from urllib.error import HTTPError

    with pytest.raises(HTTPError) as refused:
        urlopen(f"{analyst_server}/export/events.csv?{query}")
    assert refused.value.code == 400
    assert message in refused.value.read().decode()


def test_the_command_writes_a_whole_file_or_none(analyst_store_path, tmp_path):
    out = tmp_path / "events.parquet"
    done = run_cli(analyst_store_path, "export", "events", str(out), "--type", "CONSULT")
    assert done.returncode == 0, done.stderr
    assert set(pd.read_parquet(out)["event_type"]) == {"CONSULT"}
    refused = run_cli(
        analyst_store_path, "export", "events", str(tmp_path / "x.csv"), "--type", "MEET"
    )
    assert refused.returncode == 2 and "unknown event type MEET" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.parquet"]  # no partial file
