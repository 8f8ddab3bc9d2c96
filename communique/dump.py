"""Dumping the whole dataset to a file or stdout, never half-written.

A dump to a file is written beside it under a temporary name and renamed
into place once complete.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyoxigraph as ox

from communique.store import Store

DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def dump_store(store: Store, output: Path, fmt: str = "nquads") -> None:
    rdf_format = DUMP_FORMATS[fmt]
    if str(output) == "-":
        store.dump(sys.stdout.buffer, rdf_format)
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(f".{output.name}.partial")
    try:
        with tmp.open("wb") as stream:
            store.dump(stream, rdf_format)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
