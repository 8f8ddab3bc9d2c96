"""The events table written out: CSV (for pandas, R and spreadsheets), Parquet
(typed columns, by pyarrow) and PLOVER JSON Lines (one event a line, in the
PLOVER data model's field names; ``docs/export.md`` lists them and
``docs/plover-event.schema.json`` is the schema a test validates against).

Each writer takes rows from ``Exporter.rows`` and writes as they come: an
export never holds the table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from communique import __version__
from communique.export.columns import COLUMNS, DATE, FLOAT, INTEGER, NAMES

PARQUET_BATCH = 10_000  # rows a Parquet row group is written from
ARROW_TYPES = {DATE: pa.date32(), INTEGER: pa.int64(), FLOAT: pa.float64()}
SCHEMA = pa.schema([(c.name, ARROW_TYPES.get(c.kind, pa.string())) for c in COLUMNS])
CODEBOOK = "plover"  # PLOVER's base codebook; this tool codes no PLOVER extension


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], cell: Callable[[str], str]) -> int:
    """The table as CSV (RFC 4180, a header row, dates as YYYY-MM-DD, empty for
    unknown); ``cell`` may guard text against spreadsheet formulas."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    count = 0
    for row in rows:
        writer.writerow([_csv_value(row.get(name), cell) for name in NAMES])
        count += 1
    return count


def csv_chunks(rows: Iterable[dict[str, Any]], cell: Callable[[str], str]) -> Iterator[str]:
    """The CSV a few hundred rows at a time, for a streamed response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(NAMES)
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(row.get(name), cell) for name in NAMES])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_parquet(rows: Iterable[dict[str, Any]], out: IO[bytes] | str) -> int:
    """The table as Parquet, typed as the columns table says, a row group at a time."""
    count = 0
    with pq.ParquetWriter(out, SCHEMA) as writer:
        iterator = iter(rows)
        while batch := list(islice(iterator, PARQUET_BATCH)):
            columns = {name: [row.get(name) for row in batch] for name in NAMES}
            writer.write_table(pa.table(columns, schema=SCHEMA))
            count += len(batch)
    return count


def plover_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One PLOVER JSON record a line."""
    coded = datetime.now(UTC)
    for row in rows:
        yield json.dumps(plover_record(row, coded), ensure_ascii=False) + "\n"


def plover_record(row: dict[str, Any], coded: datetime) -> dict[str, Any]:
    """An event in the PLOVER data model's field names ("Data Fields" in the
    PLOVER manual); the fields PLOVER has no name for are listed in docs/export.md."""
    when = row["date"] or row["published"]
    record: dict[str, Any] = {
        "id": row["event_iri"],
        "date": when.isoformat() if when else None,
        "actor": [_entity(a) for a in row["actors"]["source"]],
        "recipient": [_entity(a) for a in row["actors"]["target"]],
        "event": [row["event_type"]] if row["event_type"] else [],
        "mode": [row["mode"]] if row["mode"] else [],
        "context": [row["context"]] if row["context"] else [],
        "event_text": [row["sentence"]] if row["sentence"] else [],
        "quad_code": row["quad_class"],
        "text_info": {"start": row["sentence_start"], "end": row["sentence_end"]},
        "cite_info": {
            "url": row["article_url"],
            "title": row["headline"],
            "citation": row["article_iri"],
            "codebook": CODEBOOK,
        },
        "coder": f"communique {__version__}",
        "coded_date": coded.date().isoformat(),
        "coded_time": coded.time().isoformat(timespec="seconds"),
        "date_precision": row["date_precision"] or ("publication" if when else None),
        "confidence": row["confidence"],
        "num_sources": row["num_sources"],
        "status": row["status"],
    }
    place = row["actors"]["place"]
    if place is not None:
        record["event_loc"] = _location(place)
    return record


def _entity(actor: Any) -> dict[str, Any]:
    entity = {
        "code": actor.country,
        "sector": actor.sector,
        "entity_text": actor.label,
        "identifier_id": actor.wikidata,  # PLOVER asks for the Wikidata item
        "identifier_text": actor.label,
        "iri": actor.iri,
    }
    return {key: value for key, value in entity.items() if value is not None}


def _location(place: Any) -> dict[str, Any]:
    found = {
        "extracted_place": place.label,
        "resolved_place": place.label,
        "country_code": place.country,
        "lat": place.point[0] if place.point else None,
        "lon": place.point[1] if place.point else None,
        "resolution": 1 if place.kind == "Country" else (4 if place.point else None),
    }
    return {key: value for key, value in found.items() if value is not None}


def _csv_value(value: Any, cell: Callable[[str], str]) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return cell(str(value))


def _csv_to(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        return write_csv(rows, text, str)
    finally:
        text.detach()  # the caller closes the byte stream


def _plover_to(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    count = 0
    for line in plover_lines(rows):
        out.write(line.encode("utf-8"))
        count += 1
    return count


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    media_type: str
    write: Callable[[Iterable[dict[str, Any]], IO[bytes]], int]


EXPORT_FORMATS = {
    f.name: f
    for f in (
        ExportFormat("csv", ".csv", "text/csv", _csv_to),
        ExportFormat("parquet", ".parquet", "application/vnd.apache.parquet", write_parquet),
        ExportFormat("plover-json", ".jsonl", "application/jsonl", _plover_to),
    )
}
__all__ = ["EXPORT_FORMATS", "SCHEMA", "csv_chunks", "plover_lines", "write_csv", "write_parquet"]
