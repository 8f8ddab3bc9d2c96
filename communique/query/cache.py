"""Small query answers kept in memory, by the ETag of the request that made them.

The ETag already names everything an answer depends on: the query text, the
result format, the dataset parameters and the store's generation, which every
write counts up. So an entry can never be served after the store changed: the
next request has another ETag. Dashboards, the query page's examples and shared
links ask the same questions again and again; their answers are mostly small.
An entry may hold at most ``max_entry_bytes`` (larger results stream as always,
every time), and the least recently used entries go first once the cache holds
its size in bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class ResultCache:
    """A bounded, thread-safe map from ETag to the answer's bytes."""

    def __init__(self, max_bytes: int, max_entry_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Bytes held now."""
        return self._size

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._entries.get(etag)
            if body is not None:
                self._entries.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> bool:
        """Keep the answer, unless it is larger than an entry may be; whether kept."""
        if len(body) > self.max_entry_bytes:
            return False
        with self._lock:
            old = self._entries.pop(etag, None)
            if old is not None:
                self._size -= len(old)
            self._entries[etag] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)
        return True
