"""The article as read from input, before any extraction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Article:
    """One news article, its body verbatim (UTF-8 decoded, line ends as ``\\n``).

    ``origin`` says where it came from for messages: a file, or ``file:line``.
    """

    body: str
    headline: str
    origin: str
    source_id: str | None = None
    published: date | datetime | None = None
    publisher: str | None = None
    url: str | None = None
    author: str | None = None
    # the file it was read from: its path under the folder (or beside the file)
    # given to `load`, and an opaque key of that folder's absolute path, so that
    # `load --prune` can find it again and no local path is published
    source_file: str | None = None
    source_root: str | None = None
    notes: tuple[str, ...] = ()  # what the reader changed or doubted, for the report

    @property
    def identifier(self) -> str:
        """sha256 of the body as stored: the same text is the same article."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()
