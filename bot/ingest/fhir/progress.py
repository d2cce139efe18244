"""Progress of a long import: a bar on a terminal, periodic log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import TextIO

logger = logging.getLogger(__name__)

_BAR_WIDTH = 30
_REDRAW_SECONDS = 0.2


class Progress:
    """Tracks bytes read and resources imported against the total size of the files."""

    def __init__(
        self,
        total_bytes: int,
        enabled: bool = True,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        log_every_seconds: float = 10.0,
    ) -> None:
        self.total_bytes = max(total_bytes, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.bar = enabled and self.stream.isatty()
        self.clock = clock
        self.log_every_seconds = log_every_seconds
        self.started = self.last_shown = clock()
        self.bytes_done = 0
        self.resources = 0

    def advance(self, size_bytes: int, resources: int) -> None:
        """Count a processed batch."""
        self.bytes_done += size_bytes
        self.resources += resources
        if not self.enabled:
            return
        now = self.clock()
        if self.bar and now - self.last_shown >= _REDRAW_SECONDS:
            self._draw(now)
        elif not self.bar and now - self.last_shown >= self.log_every_seconds:
            self.last_shown = now
            logger.info(
                "import: %d resources, %.0f%% of the input, %.0f resources/s",
                self.resources,
                100 * self.fraction,
                self.rate(now),
            )

    @property
    def fraction(self) -> float:
        """Share of the input read."""
        return min(self.bytes_done / self.total_bytes, 1.0)

    def rate(self, now: float) -> float:
        """Resources per second so far."""
        elapsed = now - self.started
        return self.resources / elapsed if elapsed > 0 else 0.0

    def _draw(self, now: float) -> None:
        self.last_shown = now
        filled = round(_BAR_WIDTH * self.fraction)
        bar = "#" * filled + "." * (_BAR_WIDTH - filled)
        percent, rate = 100 * self.fraction, self.rate(now)
        self.stream.write(f"\r[{bar}] {percent:3.0f}%  {self.resources} resources  {rate:.0f}/s")
        self.stream.flush()

    def close(self) -> None:
        """Finish the bar's line."""
        if self.bar:
            self._draw(self.clock())
            self.stream.write("\n")
            self.stream.flush()
