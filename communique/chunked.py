"""A binary file-like that passes on what is written in chunks, not in the many
small writes serializers make (each pass-on crosses a queue or a pipe)."""

from __future__ import annotations


class ChunkedWriter:
    """Gathers writes until ``size`` bytes, then hands them to :meth:`send`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= self.size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.send(bytes(self.buffer))
            self.buffer.clear()

    def send(self, chunk: bytes) -> None:
        raise NotImplementedError
