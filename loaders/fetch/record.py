"""The record of what was fetched: per URL, what the server said about it last
time (ETag, Last-Modified), so the next run asks only whether it changed.

A SQLite file beside the store. A URL's row is written only once everything
read from its answer has its outcome in the store, so a run that is stopped
half-way fetches again, next time, what it had not finished loading; a failed
fetch keeps no validators, so it is fetched whole next time.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from communique.loaders.fetch.client import Validators

FILE_NAME = "communique-fetch.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY,
    final_url TEXT,
    status TEXT NOT NULL,        -- 'fetched', 'not modified' or 'failed: <why>'
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL     -- ISO 8601, UTC
)
"""


@dataclass(frozen=True)
class Attempt:
    """What one request for a URL came to, as the record keeps it."""

    url: str
    final_url: str | None
    status: str
    validators: Validators | None
    fetched_at: str

    @property
    def failed(self) -> bool:
        return self.status.startswith("failed")


class FetchRecord:
    """Read and written by one fetch run at a time (the store's writer)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30)
        with contextlib.suppress(sqlite3.OperationalError):  # a read-only folder
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def validators(self, url: str) -> Validators | None:
        """What to ask the server about ``url``: None when it never answered whole."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM fetched WHERE url = :url", {"url": url}
        ).fetchone()
        if row is None or not (row[0] or row[1]):
            return None
        return Validators(row[0], row[1])

    def note(self, visit: Attempt) -> None:
        """Keep what this visit learnt. A failure keeps the validators of the last
        answer, so a page that once loaded is still asked about conditionally."""
        given = visit.validators or Validators()
        with self._db:
            self._db.execute(
                "INSERT INTO fetched VALUES "
                "(:url, :final_url, :status, :etag, :last_modified, :fetched_at) "
                "ON CONFLICT (url) DO UPDATE SET status = excluded.status, "
                "fetched_at = excluded.fetched_at, "
                "final_url = coalesce(excluded.final_url, final_url), "
                "etag = CASE WHEN :failed THEN etag ELSE excluded.etag END, "
                "last_modified = CASE WHEN :failed THEN last_modified "
                "ELSE excluded.last_modified END",
                {
                    "url": visit.url,
                    "final_url": visit.final_url,
                    "status": visit.status,
                    "etag": given.etag,
                    "last_modified": given.last_modified,
                    "fetched_at": visit.fetched_at,
                    "failed": visit.failed,
                },
            )

    def visits(self) -> list[Attempt]:
        rows = self._db.execute(
            "SELECT url, final_url, status, etag, last_modified, fetched_at FROM fetched "
            "ORDER BY url"
        )
        return [Attempt(r[0], r[1], r[2], Validators(r[3], r[4]), r[5]) for r in rows]

    def close(self) -> None:
        self._db.close()


__all__ = ["FILE_NAME", "Attempt", "FetchRecord"]
