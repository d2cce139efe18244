"""Progress of a long import: a bar on a terminal, periodic log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

logger = logging.getLogger(__name__)

BAR_WIDTH = 30
BAR_INTERVAL = 0.2
LOG_INTERVAL = 10.0


class ProgressMeter:
    """Reports bytes read of the total and HOSOs done; silent when disabled."""

    def __init__(
        self,
        total_bytes: int,
        *,
        enabled: bool = True,
        stream: TextIO | None = None,
        log_interval: float = LOG_INTERVAL,
    ) -> None:
        self.total_bytes = max(total_bytes, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.as_bar = enabled and self.stream.isatty()
        self._interval = BAR_INTERVAL if self.as_bar else log_interval
        self._started = time.monotonic()
        self._last_shown = self._started
        self._drawn = False

    def update(self, bytes_done: int, hoso_done: int, rejected: int) -> None:
        """Show progress if enough time has passed since the last report."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_shown < self._interval:
            return
        self._last_shown = now
        self._show(bytes_done, hoso_done, rejected, now)

    def finish(self, bytes_done: int, hoso_done: int, rejected: int) -> None:
        """Show the final state and end the bar's line."""
        if not self.enabled:
            return
        if self.as_bar:
            self._show(bytes_done, hoso_done, rejected, time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
        elif self._drawn:
            self._show(bytes_done, hoso_done, rejected, time.monotonic())

    def _show(self, bytes_done: int, hoso_done: int, rejected: int, now: float) -> None:
        fraction = min(bytes_done / self.total_bytes, 1.0)
        rate = hoso_done / max(now - self._started, 1e-9)
        self._drawn = True
        if self.as_bar:
            filled = int(fraction * BAR_WIDTH)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(
                f"\r[{bar}] {fraction:4.0%}  {hoso_done} HOSO  {rejected} rejected  {rate:.0f}/s"
            )
            self.stream.flush()
        else:
            logger.info(
                "xml130 import: %.0f%% read, %d HOSO, %d rejected, %.0f HOSO/s",
                fraction * 100,
                hoso_done,
                rejected,
                rate,
            )
