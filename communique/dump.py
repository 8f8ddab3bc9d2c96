"""Dumping the whole dataset, to a file, stdout or an HTTP response.

N-Quads and TriG keep the named graphs (one per article); N-Triples and
Turtle hold the union. Each can be gzip-compressed (level 1: about as fast
as no compression, a fifth of the size). A dump to a file is written beside
it under a temporary name and renamed into place once complete.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from communique.chunked import ChunkedWriter
from communique.formats import DUMP_FORMATS, Format, Kind
from communique.store.base import Store
from communique.vocab import PREFIXES

GZIP_LEVEL = 1
CHUNK = 256 * 1024


def write_dump(store: Store, out: IO[bytes], fmt: Format, *, gzip: bool = False) -> None:
    """Write the dataset in one format to a binary stream, as the store produces it."""
    writer: IO[bytes] = _GzipWriter(out) if gzip else out  # type: ignore[assignment]
    if fmt.kind is Kind.DATASET:
        store.dump(writer, fmt.engine)
    else:
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        ox.serialize(triples, writer, fmt.engine, prefixes=PREFIXES)
    if gzip:
        writer.close()


def dump_store(store: Store, output: Path, fmt: str = "nquads", *, gzip: bool = False) -> None:
    """``communique dump``: to stdout for '-', else to a file, never half-written."""
    chosen = DUMP_FORMATS[fmt]
    if str(output) == "-":
        write_dump(store, sys.stdout.buffer, chosen, gzip=gzip)
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(f".{output.name}.partial")
    try:
        with tmp.open("wb") as stream:
            write_dump(store, stream, chosen, gzip=gzip)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)


def stream_dump(store: Store, fmt: Format, *, gzip: bool) -> Iterator[bytes]:
    """The dump as an iterator of chunks, produced by a thread into a bounded queue,
    so an HTTP response streams it with flat memory however big the store."""
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
    stop = threading.Event()

    def produce() -> None:
        try:
            write_dump(store, _QueueWriter(chunks, stop), fmt, gzip=gzip)
            chunks.put(None)
        except _Stopped:
            return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            chunks.put(exc)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while (chunk := chunks.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        stop.set()  # the client left early: let the producer give up


class _Stopped(Exception):
    pass


class _QueueWriter(ChunkedWriter):
    def __init__(
        self, chunks: queue.Queue[bytes | BaseException | None], stop: threading.Event
    ) -> None:
        super().__init__(CHUNK)
        self.chunks = chunks
        self.stop = stop

    def send(self, chunk: bytes) -> None:
        while True:
            if self.stop.is_set():
                raise _Stopped
            try:
                self.chunks.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue


class _GzipWriter:
    """gzip-compress what is written, passing compressed bytes on to ``out``."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    def write(self, data: bytes) -> int:
        compressed = self.compressor.compress(data)
        if compressed:
            self.out.write(compressed)
        return len(data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        self.out.write(self.compressor.flush())
        self.out.flush()
