"""A plain HTTP client for tests against a server on a real socket: it sends
exactly the bytes it is given (no quoting, no encoding guessed)."""

from __future__ import annotations

import http.client
import urllib.parse


class Reply:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def request(
    base: str,
    method: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    url = path + ("?" + urllib.parse.urlencode(params) if params else "")
    data = body.encode("utf-8") if isinstance(body, str) else body
    connection.request(method, url, body=data, headers=headers or {})
    reply = Reply(connection.getresponse())
    connection.close()
    return reply
