"""Answers held to the result caps: at most so many rows and about so many bytes,
ended as a complete document of their format when a cap cuts them.

A public endpoint must not let one query pull gigabytes. Cutting the byte
stream would leave a document no parser accepts, so the answer is written row
by row and stops between rows: the client gets valid JSON, XML, CSV, TSV or
RDF holding the first rows, and is told of the cut out of band (the worker
reports it; the server says so in a header).

Solutions are written here, row by row, since pyoxigraph's serializers take a
whole result; TSV, whose rows are lines (terms are written escaped, so a line
break never falls inside one), keeps pyoxigraph's faster writer and is cut at
a line end. Graphs keep pyoxigraph's writers, fed triple by triple.

>>> from communique.formats import SOLUTION_FORMATS
>>> out = io.BytesIO()
>>> store = ox.Store()
>>> rows = store.query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
>>> write_capped(rows, SOLUTION_FORMATS["json"], out, ResultCap(rows=2))
'rows'
>>> json.loads(out.getvalue())["results"]["bindings"][-1]["n"]["value"]
'2'
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from communique.formats import Format
from communique.vocab import PREFIXES

TAIL_ROOM = 256  # bytes kept free under the byte cap for the end of the document
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class ResultCap:
    """The most rows (solutions or triples) and bytes an answer may hold (None: no cap)."""

    rows: int | None = None
    bytes: int | None = None

    def header(self) -> str:
        """The caps as a client reads them from a response header."""
        parts = [
            f"rows={self.rows}" if self.rows else "",
            f"bytes={self.bytes}" if self.bytes else "",
        ]
        return ", ".join(p for p in parts if p) or "none"


class _Counted:
    """A binary writer that counts what passes through it."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.count = out, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.out.write(data)

    def flush(self) -> None:
        pass


def write_capped(
    results: Any, fmt: Format, out: IO[bytes], cap: ResultCap, *, csv_safe: bool = True
) -> str | None:
    """Write the results in ``fmt``, up to the caps; which cap cut them (``rows``,
    ``bytes``) or None when they are complete."""
    counted = _Counted(out)
    if isinstance(results, ox.QueryBoolean):
        results.serialize(counted, fmt.engine)
        return None
    if is_graph_result(results):
        return _write_graph(results, fmt, counted, cap)
    if fmt.name == "tsv":
        return _write_tsv(results, counted, cap)
    writer = SOLUTION_WRITERS[fmt.name](csv_safe=csv_safe)
    return _write_solutions(results, writer, counted, cap)


# --------------------------------------------------------------------------- graphs
def _write_graph(results: Any, fmt: Format, out: _Counted, cap: ResultCap) -> str | None:
    cut: list[str] = []

    def triples() -> Iterator[Any]:
        for n, triple in enumerate(results):
            if cap.rows is not None and n >= cap.rows:
                cut.append("rows")
                return
            # the serializer buffers a little, so the byte cap holds to within its buffer
            if cap.bytes is not None and out.count > cap.bytes - TAIL_ROOM:
                cut.append("bytes")
                return
            yield triple

    ox.serialize(triples(), out, fmt.engine, prefixes=PREFIXES)
    return cut[0] if cut else None


# --------------------------------------------------------------------------- solutions
def _write_solutions(
    results: ox.QuerySolutions, writer: _SolutionWriter, out: _Counted, cap: ResultCap
) -> str | None:
    names = [v.value for v in results.variables]
    out.write(writer.head(names))
    cut = None
    batch = io.BytesIO()  # rows gathered, as one write per row is slow through a pipe
    for n, row in enumerate(results):
        if cap.rows is not None and n >= cap.rows:
            cut = "rows"
            break
        data = writer.row(names, row)
        if cap.bytes is not None and out.count + batch.tell() + len(data) > cap.bytes - TAIL_ROOM:
            cut = "bytes"
            break
        batch.write(data)
        if batch.tell() >= 64 * 1024:
            out.write(batch.getvalue())
            batch = io.BytesIO()
    out.write(batch.getvalue())
    out.write(writer.tail())
    return cut


class _SolutionWriter:
    def __init__(self, *, csv_safe: bool = True) -> None:
        self.csv_safe = csv_safe
        self.first = True

    def head(self, names: list[str]) -> bytes:
        raise NotImplementedError

    def row(self, names: list[str], row: Any) -> bytes:
        raise NotImplementedError

    def tail(self) -> bytes:
        return b""


class _JsonWriter(_SolutionWriter):
    """SPARQL 1.1 Query Results JSON, one binding object per row."""

    def head(self, names: list[str]) -> bytes:
        self.keys = [_quoted(name) for name in names]
        return ('{"head":{"vars":[' + ",".join(self.keys) + ']},"results":{"bindings":[').encode()

    def row(self, names: list[str], row: Any) -> bytes:
        parts = [
            key + ":" + json_term(term)
            for key, term in zip(self.keys, row, strict=True)
            if term is not None
        ]
        separator = "" if self.first else ","
        self.first = False
        return (separator + "{" + ",".join(parts) + "}").encode("utf-8")

    def tail(self) -> bytes:
        return b"]}}"


def json_term(term: Any) -> str:
    """A term as SPARQL JSON writes it, as JSON text."""
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type":"uri","value":' + _quoted(term.value) + "}"
    if kind is ox.Literal:
        value = _quoted(term.value)
        if term.language:
            return f'{{"type":"literal","value":{value},"xml:lang":{_quoted(term.language)}}}'
        if term.datatype.value == XSD_STRING:
            return '{"type":"literal","value":' + value + "}"
        datatype = _quoted(term.datatype.value)
        return f'{{"type":"literal","value":{value},"datatype":{datatype}}}'
    if kind is ox.BlankNode:
        return '{"type":"bnode","value":' + _quoted(term.value) + "}"
    parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
    inner = ",".join(f'"{name}":{json_term(part)}' for name, part in parts)
    return '{"type":"triple","value":{' + inner + "}}"


# a JSON string, as json.dumps writes it but without its per-call set-up (the
# standard library's C encoder; characters beyond ASCII stay as UTF-8)
_quoted = json.encoder.encode_basestring  # type: ignore[attr-defined]


class _XmlWriter(_SolutionWriter):
    """SPARQL Query Results XML."""

    def head(self, names: list[str]) -> bytes:
        variables = "".join(f"<variable name={quoteattr(name)}/>" for name in names)
        return (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{variables}</head><results>"
        ).encode()

    def row(self, names: list[str], row: Any) -> bytes:
        bindings = "".join(
            f"<binding name={quoteattr(name)}>{xml_term(term)}</binding>"
            for name, term in zip(names, row, strict=True)
            if term is not None
        )
        return f"<result>{bindings}</result>".encode()

    def tail(self) -> bytes:
        return b"</results></sparql>"


def xml_term(term: Any) -> str:
    kind = type(term)
    if kind is ox.NamedNode:
        return f"<uri>{escape(term.value)}</uri>"
    if kind is ox.Literal:
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value == XSD_STRING:
            return f"<literal>{escape(term.value)}</literal>"
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    if kind is ox.BlankNode:
        return f"<bnode>{escape(term.value)}</bnode>"
    return (
        f"<triple><subject>{xml_term(term.subject)}</subject>"
        f"<predicate>{xml_term(term.predicate)}</predicate>"
        f"<object>{xml_term(term.object)}</object></triple>"
    )


class _CsvWriter(_SolutionWriter):
    """SPARQL 1.1 CSV; with ``csv_safe``, cells a spreadsheet would run as a
    formula are prefixed with an apostrophe."""

    def head(self, names: list[str]) -> bytes:
        return _csv_line(names)

    def row(self, names: list[str], row: Any) -> bytes:
        return _csv_line([csv_cell(term, safe=self.csv_safe) for term in row])


def _csv_line(cells: list[str]) -> bytes:
    quoted = (
        '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\r\n') else cell
        for cell in cells
    )
    return (",".join(quoted) + "\r\n").encode("utf-8")


SOLUTION_WRITERS: dict[str, type[_SolutionWriter]] = {
    "json": _JsonWriter,
    "xml": _XmlWriter,
    "csv": _CsvWriter,
}


# --------------------------------------------------------------------------- TSV
def _write_tsv(results: ox.QuerySolutions, out: _Counted, cap: ResultCap) -> str | None:
    """pyoxigraph's TSV, cut at the line end where a cap falls."""
    lines = _LineCap(out, cap)
    try:
        results.serialize(lines, ox.QueryResultsFormat.TSV)
    except (_Stop, OSError):  # pyoxigraph passes the writer's exception on as an OSError
        if lines.cut is None:
            raise
    lines.finish()
    return lines.cut


def write_tsv_chunks(chunks: Iterator[bytes], out: IO[bytes], cap: ResultCap) -> str | None:
    """TSV bytes from an engine, passed on up to the caps; which cap cut them."""
    lines = _LineCap(_Counted(out), cap)
    try:
        for chunk in chunks:
            lines.write(chunk)
    except _Stop:
        pass
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # stop reading the engine's answer
    lines.finish()
    return lines.cut


class _Stop(Exception):
    """Raised into the serializer to stop it once a cap is reached."""


class _LineCap:
    """Passes whole lines on until a cap (the first line, the header, is not a
    row); a line split between two writes waits for its end."""

    def __init__(self, out: _Counted, cap: ResultCap) -> None:
        self.out, self.cap = out, cap
        self.rows = -1
        self.pending = b""
        self.cut: str | None = None

    def write(self, data: bytes) -> int:
        if self.cut is not None:
            raise _Stop
        size = len(data)
        data = self.pending + data
        end = data.rfind(b"\n") + 1
        whole, self.pending = data[:end], data[end:]
        lines = whole.count(b"\n")
        over_rows = self.cap.rows is not None and self.rows + lines > self.cap.rows
        over_bytes = self.cap.bytes is not None and self.out.count + len(whole) > self.cap.bytes
        if over_rows or over_bytes:
            self._write_until_cap(whole, "rows" if over_rows else "bytes")
            raise _Stop
        self.rows += lines
        self.out.write(whole)
        return size

    def _write_until_cap(self, data: bytes, cut: str) -> None:
        end = 0
        while (found := data.find(b"\n", end)) >= 0:
            if self.cap.rows is not None and self.rows + 1 > self.cap.rows:
                break
            if self.cap.bytes is not None and self.out.count + found + 1 > self.cap.bytes:
                break
            self.rows += 1
            end = found + 1
        self.out.write(data[:end])
        self.pending, self.cut = b"", cut

    def finish(self) -> None:
        """The last line, when the answer ended without a line break."""
        if self.cut is None and self.pending:
            self.out.write(self.pending)
        self.pending = b""

    def flush(self) -> None:
        pass


# --------------------------------------------------------------------------- helpers
def is_graph_result(results: Any) -> bool:
    """Triples (CONSTRUCT, DESCRIBE). Every engine answers SELECT and ASK with
    pyoxigraph's solutions or boolean; what it gives for a graph is its own
    iterable of triples (``ox.QueryTriples``, the remote store's stream)."""
    return not isinstance(results, ox.QuerySolutions | ox.QueryBoolean)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def csv_cell(term: Any, *, safe: bool) -> str:
    """A term as a CSV cell; with ``safe``, text a spreadsheet would run as a
    formula ('=HYPERLINK(…)', '@SUM(…)') gets an apostrophe before it (numbers
    stay as they are)."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return guard_formula(term.value) if safe else term.value


def guard_formula(value: str) -> str:
    """Text a spreadsheet would run as a formula, with an apostrophe before it."""
    if value.startswith(FORMULA_STARTS) and not NUMERIC.match(value):
        return "'" + value
    return value
