"""Downloads of the whole dataset at /dumps/: N-Quads and TriG (named graphs
kept), N-Triples and Turtle (the union), each also gzip-compressed.

Dumps stream from the store (chunked transfer, memory flat however big the
store) with an ETag and Last-Modified from the last change, so a client can
skip a download it already has.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from communique.dump import stream_dump
from communique.formats import DUMP_FORMATS, Format
from communique.server import context
from communique.server.errors import ClientError
from communique.server.http import add_cors, not_modified, validators

blueprint = Blueprint("dumps", __name__)

BASENAME = "communique"


def dump_files() -> list[tuple[str, Format, bool]]:
    """(file name, format, gzip) for every download offered."""
    return [
        (f"{BASENAME}{fmt.suffix}{'.gz' if gz else ''}", fmt, gz)
        for fmt in DUMP_FORMATS.values()
        for gz in (False, True)
    ]


@blueprint.route("/dumps/")
def listing() -> str:
    return render_template(
        "dumps.html",
        files=dump_files(),
        counts=context.counts(quads=True),
        last_modified=context.store().state().get("last_modified"),
    )


@blueprint.route("/dumps/<name>")
def download(name: str) -> Response:
    found = next(((fmt, gz) for file, fmt, gz in dump_files() if file == name), None)
    if found is None:
        raise ClientError(404, f"No dump called {name!r}; see /dumps/ for the list")
    fmt, gz = found
    etag, last_modified = validators("dump", name)
    cached = not_modified(etag, last_modified)
    if cached is not None:
        return cached
    store = context.store()
    store.refresh()
    media_type = "application/gzip" if gz else fmt.media_type
    response = Response(stream_dump(store, fmt, gzip=gz), mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = last_modified
    return add_cors(response)
