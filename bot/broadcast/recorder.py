"""Outcomes of a sender written to the outbox in batches while its messages are still going out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable

from bot.broadcast import outbox
from bot.broadcast.outbox import Outcome
from bot.clock import Clock
from bot.db.session import Database

logger = logging.getLogger(__name__)


class OutcomeRecorder:
    """Collects outcomes and settles them in one transaction per flush.

    Once started, outcomes are flushed every `interval` seconds, so the database work overlaps the
    sending, and a worker that dies mid-batch leaves at most the last interval's messages
    unrecorded (those are sent again after their lease). The sender flushes the rest when a batch
    ends, also when it ends by an error or a cancellation.
    """

    def __init__(
        self,
        database: Database,
        worker_id: str,
        clock: Clock,
        *,
        max_attempts: int,
        interval: float,
        lock: asyncio.Lock,
    ) -> None:
        self._database, self._worker_id, self._clock = database, worker_id, clock
        self._max_attempts, self._interval, self._lock = max_attempts, interval, lock
        self._pending: list[Outcome] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()

    def add(self, outcome: Outcome) -> None:
        """Keep one outcome for the next flush."""
        self._pending.append(outcome)

    def add_all(self, outcomes: Iterable[Outcome]) -> None:
        """Keep several outcomes for the next flush."""
        self._pending.extend(outcomes)

    async def flush(self) -> None:
        """Settle everything collected so far; on failure the outcomes are kept for the next try."""
        if not self._pending:
            return
        taken, self._pending = self._pending, []
        try:
            async with self._lock, self._database.unit_of_work() as session:
                await outbox.settle(
                    session,
                    self._worker_id,
                    taken,
                    now=self._clock.now(),
                    max_attempts=self._max_attempts,
                )
        except BaseException:
            self._pending[:0] = taken  # settling twice is harmless: only leased rows change
            raise

    def start(self) -> None:
        """Flush every `interval` seconds from now on, until `close`."""
        if self._flusher is None or self._flusher.done():
            self._closing = asyncio.Event()
            self._flusher = asyncio.create_task(self._flush_until(self._closing))

    async def close(self) -> None:
        """Stop the periodic flushes and record what is left."""
        flusher, self._flusher = self._flusher, None
        if flusher is not None:
            self._closing.set()
            await asyncio.gather(flusher, return_exceptions=True)
        await self.flush()

    async def _flush_until(self, closing: asyncio.Event) -> None:
        while not closing.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(closing.wait(), self._interval)
            if closing.is_set():
                return
            try:
                await self.flush()
            except Exception:
                logger.warning("broadcast outcomes could not be recorded yet", exc_info=True)
