"""A progress bar for long command-line runs (imports, exports), on stderr when it is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from streams.contract.danish import whole


class ProgressBar:
    """`[######----]  12.345 / 50.000 rækker  24 %`, redrawn at most ten times a second.

    >>> bar = ProgressBar(total=10, unit="rækker", stream=None)
    >>> bar.advance(10); bar.close()
    """

    def __init__(self, total: int, unit: str, stream: TextIO | None = sys.stderr, width: int = 30) -> None:
        self.total = max(total, 1)
        self.unit = unit
        self.done = 0
        self.width = width
        self._stream = stream if stream is not None and stream.isatty() else None
        self._drawn = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self._stream is not None and (now - self._drawn > 0.1 or self.done >= self.total):
            self._drawn = now
            filled = self.width * min(self.done, self.total) // self.total
            share = 100 * min(self.done, self.total) // self.total
            count = f"{whole(self.done)} / {whole(self.total)}"
            self._stream.write(f"\r[{'#' * filled}{'-' * (self.width - filled)}] {count} {self.unit} {share:3d} %")
            self._stream.flush()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.write("\n")
            self._stream.flush()
