"""A web site on 127.0.0.1 for the fetch tests: pages with ETags, robots.txt,
and the misbehaviour of real servers (one that hangs, one that sends 2 GB, one
that redirects in a loop, one that is busy). It logs every request it gets,
with its headers, so tests can say what was asked and how."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG, HUGE, ENDLESS, BUSY_THEN_OK = "hang", "huge", "endless", "busy-then-ok"
TWO_GB = 2_000_000_000


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # a redirect's target
    behaviour: str | None = None  # HANG, HUGE, ENDLESS, BUSY_THEN_OK
    busy_answers: int = 2  # for BUSY_THEN_OK: how many 503s first


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]


class Handler(BaseHTTPRequestHandler):
    """Answers from the site its server carries (``server.site``)."""

    protocol_version = "HTTP/1.1"

    @property
    def site(self) -> Site:
        return self.server.site  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.site.log.append(Request(self.path, dict(self.headers.items()), time.monotonic()))
        route = self.site.routes.get(self.path)
        if route is None:
            self._answer(404, b"not here", "text/plain")
        elif route.behaviour == HANG:
            self.site.stopping.wait(60)  # never answers while the test runs
        elif route.behaviour in (HUGE, ENDLESS):
            self._stream_forever(route)
        elif self._busy(route):
            self._answer(503, b"busy", "text/plain", {"Retry-After": "0"})
        else:
            self._plain(route)

    def _busy(self, route: Route) -> bool:
        asked = len(self.site.asked(self.path))
        return route.behaviour == BUSY_THEN_OK and asked <= route.busy_answers

    def _plain(self, route: Route) -> None:
        if route.location is not None:
            self._answer(route.status, b"", "text/plain", {"Location": route.location})
        elif self._unchanged(route):
            self._answer(304, b"", None, self._validators(route))
        else:
            self._answer(route.status, route.body, route.content_type, self._validators(route))

    def _unchanged(self, route: Route) -> bool:
        asked_tag = self.headers.get("If-None-Match")
        if route.etag and asked_tag:
            return asked_tag == route.etag
        asked_date = self.headers.get("If-Modified-Since")
        return bool(route.last_modified and asked_date == route.last_modified)

    @staticmethod
    def _validators(route: Route) -> dict[str, str]:
        found = {"ETag": route.etag, "Last-Modified": route.last_modified}
        return {k: v for k, v in found.items() if v}

    def _answer(
        self, status: int, body: bytes, kind: str | None, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream_forever(self, route: Route) -> None:
        """Zeros until the client hangs up (HUGE says it is 2 GB first)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if route.behaviour == HUGE:
            self.send_header("Content-Length", str(TWO_GB))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"0" * 65_536 + b"</p>"
        try:
            while not self.site.stopping.is_set():
                self.wfile.write(chunk)
        except OSError:
            pass  # the client stopped reading, as it should
        self.close_connection = True


@contextmanager
def local_site(routes: dict[str, Route] | None = None) -> Iterator[Site]:
    """A site on a free port of 127.0.0.1, stopped (and its hanging answers
    released) when the block ends."""
    site = Site(routes=dict(routes or {}))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.site = site  # type: ignore[attr-defined]
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="local-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
