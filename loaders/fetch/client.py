"""A polite HTTP client for news pages and feeds.

Polite, as a crawler of someone else's site must be: it reads each host's
robots.txt (RFC 9309, parsed by Protego) and obeys it, waits between two
requests to one host (the longer of the setting and the site's Crawl-delay),
names itself in User-Agent, asks conditionally (ETag, Last-Modified) for what
it fetched before, and backs off and retries when a server is busy.

Defensive, as a client of anyone's server must be: a response has a deadline
as a whole (a server that hangs, or trickles a byte a second, is given up on),
a size limit checked against Content-Length and again while reading, and
redirects are followed one hop at a time, up to a cap, each hop checked
against robots.txt, and a loop is named as one.

Every failure is an :class:`InputError` naming the URL, never an exception
out of :meth:`PoliteClient.get`.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from communique import __version__
from communique.errors import InputError

REDIRECTS = frozenset({301, 302, 303, 307, 308})
BUSY = frozenset({429, 500, 502, 503, 504})  # worth asking again, after a while
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks parsers to read at least 500 KiB
CHUNK = 64 * 1024
DEFAULT_USER_AGENT = f"communique/{__version__} (news knowledge graph; polite fetcher)"


@dataclass(frozen=True)
class Politeness:
    """How the client behaves: who it says it is, how often it asks one host,
    and what it accepts from a server."""

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 30.0  # seconds for a whole response, connecting included
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 2  # further attempts after a connection failure or a busy answer
    backoff: float = 1.0  # seconds before the first retry; doubled each time


@dataclass(frozen=True)
class Validators:
    """What a server said about a response, to ask it later whether it changed."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        asked = {}
        if self.etag:
            asked["If-None-Match"] = self.etag
        if self.last_modified:
            asked["If-Modified-Since"] = self.last_modified
        return asked


@dataclass(frozen=True)
class Fetched:
    """One answer: 200 with a body, or 304 (not modified) without one."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    body: bytes
    content_type: str
    validators: Validators
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _CappedRetry(Retry):
    """urllib3's retries, with a server's Retry-After honoured up to the backoff
    ceiling: a server asking for an hour's pause must not stop a load for one."""

    def get_retry_after(self, response):  # type: ignore[no-untyped-def]
        asked = super().get_retry_after(response)
        return None if asked is None else min(asked, self.backoff_max)


class PoliteClient:
    """One session for a fetch run: its robots.txt answers and its per-host clock."""

    def __init__(self, politeness: Politeness, clock: Callable[[], float] = time.monotonic) -> None:
        self.politeness = politeness
        self.clock = clock
        self.session = requests.Session()
        self.session.headers["User-Agent"] = politeness.user_agent
        self.session.max_redirects = politeness.max_redirects  # robots.txt's own redirects
        retry = _CappedRetry(
            total=politeness.retries,
            status_forcelist=BUSY,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=politeness.backoff,
            backoff_max=max(politeness.backoff * 8, politeness.backoff),
            redirect=False,  # redirects are followed here, one checked hop at a time
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.robots: dict[str, Protego | None] = {}  # None: the site cannot be read
        self.robots_problem: dict[str, str] = {}
        self.last_request: dict[str, float] = {}

    def close(self) -> None:
        self.session.close()

    # ----------------------------------------------------------------- the one entry
    def get(self, url: str, validators: Validators | None = None) -> Fetched | InputError:
        """The answer for ``url``, following redirects; a failure as an InputError."""
        if urlsplit(url).scheme not in ("http", "https"):
            return InputError(url, "is not an http or https URL", "give the page's full address")
        hops = [url]
        asked = url
        for _ in range(self.politeness.max_redirects + 1):
            refusal = self._robots_refusal(asked)
            if refusal is not None:
                return InputError(url, refusal, "the site asks robots not to fetch it")
            answer = self._request(asked, validators)
            if isinstance(answer, InputError):
                return InputError(url, answer.problem, answer.hint)
            if not isinstance(answer, str):
                return answer if asked == url else _moved(answer, url, asked)
            if answer in hops:
                loop = " -> ".join([*hops[hops.index(answer) :], answer])
                return InputError(url, f"redirects in a loop ({loop})", "the site is misconfigured")
            hops.append(answer)
            asked = answer
        return InputError(
            url,
            f"redirects more than {self.politeness.max_redirects} times",
            "give the address it ends at, or raise --fetch-redirects",
        )

    # ----------------------------------------------------------------- one request
    def _request(self, url: str, validators: Validators | None) -> Fetched | InputError | str:
        """One hop: the answer, an error, or where it redirects to."""
        self._wait_turn(url)
        headers = validators.headers() if validators else {}
        timeout = self.politeness.timeout
        started = self.clock()
        try:
            response = self.session.get(
                url, headers=headers, stream=True, allow_redirects=False, timeout=timeout
            )
        except requests.exceptions.RetryError as exc:
            return InputError(url, f"the server stayed busy ({_reason(exc)})", "try again later")
        except requests.exceptions.RequestException as exc:
            if _timed_out(exc):
                return InputError(url, f"no answer within {timeout:g} s", "try again later")
            return InputError(url, f"cannot be fetched ({_reason(exc)})", "check the address")
        with response:
            if response.status_code in REDIRECTS and response.headers.get("Location"):
                return urljoin(url, response.headers["Location"])
            if response.status_code == 304:
                return _fetched(response, url, b"")
            if response.status_code != 200:
                return InputError(
                    url,
                    f"the server answered {response.status_code} {response.reason or ''}".strip(),
                    "check the address" if response.status_code < 500 else "try again later",
                )
            body = self._body(response, url, started)
            return body if isinstance(body, InputError) else _fetched(response, url, body)

    def _body(self, response: requests.Response, url: str, started: float) -> bytes | InputError:
        """The body, read up to the size limit and the response's deadline."""
        limit = self.politeness.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            return _too_large(url, f"says it is {int(declared):,} bytes, more")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > limit:
                    return _too_large(url, "is larger")
                if self.clock() - started > self.politeness.timeout:
                    return InputError(
                        url,
                        f"took longer than {self.politeness.timeout:g} s to arrive",
                        "try again later",
                    )
                chunks.append(chunk)
        except requests.exceptions.RequestException as exc:
            return InputError(url, f"broke off while arriving ({_reason(exc)})", "try again later")
        return b"".join(chunks)

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host may be asked again."""
        host = urlsplit(url).netloc.lower()
        delay = max(self.politeness.delay, self._crawl_delay(host))
        last = self.last_request.get(host)
        if last is not None:
            pause = last + delay - self.clock()
            if pause > 0:
                time.sleep(pause)
        self.last_request[host] = self.clock()

    # ----------------------------------------------------------------- robots.txt
    def _robots_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids ``url`` (None: it may be fetched)."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self.robots:
            self.robots[host] = self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        rules = self.robots[host]
        if rules is None:
            return self.robots_problem[host]
        if rules.can_fetch(url, self.politeness.user_agent):
            return None
        return "robots.txt disallows it"

    def _read_robots(self, robots_url: str) -> Protego | None:
        """The site's rules: its robots.txt; none (all allowed) when it has none
        (4xx); None (all disallowed) when it cannot be read, as RFC 9309 asks."""
        host = urlsplit(robots_url).netloc.lower()
        self._wait_turn(robots_url)
        started = self.clock()
        try:
            response = self.session.get(robots_url, stream=True, timeout=self.politeness.timeout)
        except requests.exceptions.RequestException as exc:
            self.robots_problem[host] = (
                f"robots.txt cannot be read ({_reason(exc)}), so the site is treated "
                "as disallowing everything (RFC 9309)"
            )
            return None
        with response:
            if 400 <= response.status_code < 500:
                return Protego.parse("")
            if response.status_code != 200:
                self.robots_problem[host] = (
                    f"robots.txt answered {response.status_code}, so the site is treated "
                    "as disallowing everything (RFC 9309)"
                )
                return None
            # RFC 9309: read at least 500 KiB, and what lies past it may be ignored
            text = _first_bytes(
                response, ROBOTS_MAX_BYTES, started, self.politeness.timeout, self.clock
            )
        return Protego.parse(text.decode("utf-8", "replace"))

    def _crawl_delay(self, host: str) -> float:
        rules = self.robots.get(host)
        if rules is None:
            return 0.0
        asked = rules.crawl_delay(self.politeness.user_agent)
        return float(asked) if asked else 0.0


def _first_bytes(
    response: requests.Response,
    limit: int,
    started: float,
    timeout: float,
    clock: Callable[[], float],
) -> bytes:
    kept = bytearray()
    try:
        for chunk in response.iter_content(CHUNK):
            kept.extend(chunk)
            if len(kept) >= limit or clock() - started > timeout:
                break
    except requests.exceptions.RequestException:
        pass  # what arrived is what the site said
    return bytes(kept[:limit])


def _fetched(response: requests.Response, url: str, body: bytes) -> Fetched:
    return Fetched(
        url=url,
        final_url=url,
        status=response.status_code,
        body=body,
        content_type=response.headers.get("Content-Type", ""),
        validators=Validators(response.headers.get("ETag"), response.headers.get("Last-Modified")),
    )


def _moved(answer: Fetched, asked: str, final: str) -> Fetched:
    return dataclasses.replace(answer, url=asked, final_url=final)


def _too_large(url: str, how: str) -> InputError:
    return InputError(
        url, f"the response {how} than the fetch limit", "raise --fetch-max-mb if it is an article"
    )


def _cause(exc: BaseException) -> BaseException:
    """What went wrong under requests' and urllib3's wrappers (retries used up)."""
    seen = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    return getattr(seen, "reason", None) or seen


def _timed_out(exc: BaseException) -> bool:
    return isinstance(exc, requests.exceptions.Timeout) or isinstance(
        _cause(exc), urllib3.exceptions.TimeoutError
    )


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests error, in one line, without the
    connection pool's own name for itself."""
    text = str(_cause(exc)) or type(exc).__name__
    text = re.sub(r"^[A-Za-z]*ConnectionPool\([^)]*\): ", "", text.splitlines()[0])
    text = re.sub(r"^<[^>]*>: ", "", text)  # urllib3's '<connection object>: '
    return text[:200]


__all__ = ["Fetched", "PoliteClient", "Politeness", "Validators"]
