"""The sender worker: claims due deliveries, paces them, sends, and records every outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.broadcast import coordination, outbox
from bot.broadcast.outbox import Claimed, Outcome, Settle
from bot.broadcast.pacing import ChatSpacing, InFlight, Pacer, Sleep, TimeSource
from bot.broadcast.service import Progress, progress
from bot.broadcast.transport import OutgoingMessage, ResultKind, Transport
from bot.clock import Clock
from bot.db.models import Broadcast
from bot.db.session import Database

logger = logging.getLogger(__name__)

Buttons = Sequence[Sequence[tuple[str, str]]]
ProgressRenderer = Callable[[Progress, str], tuple[str, Buttons]]
Housekeeping = Callable[[], Awaitable[None]]
PAID_BROADCAST_MAX_RATE = 1000.0
TELEGRAM_GLOBAL_LIMIT = 30.0
ALERT_CALLBACK_PREFIX = "alr"
_SETTLE_FOR = {
    ResultKind.BLOCKED: Settle.BLOCKED,
    ResultKind.CHAT_NOT_FOUND: Settle.CHAT_NOT_FOUND,
    ResultKind.TRANSIENT: Settle.RETRY,
    ResultKind.PERMANENT: Settle.FAILED,
}


@dataclass(frozen=True)
class SenderConfig:
    """How fast and how patiently the sender works."""

    rate_per_second: float = 25.0
    paid_broadcast: bool = False
    per_chat_interval: float = 1.0
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 8
    idle_seconds: float = 1.0
    progress_interval: timedelta = timedelta(seconds=3)
    heartbeat_seconds: float = 5.0
    concurrency: int = 32  # HTTP connections; messages in flight are bounded by in_flight_limit
    max_batch: int = 500

    @property
    def batch_size(self) -> int:
        """Deliveries claimed at once: about two seconds of sending, at most `max_batch`."""
        return max(1, min(self.max_batch, max(5, int(self.effective_rate * 2))))

    def in_flight_limit(self, live_senders: int = 1) -> int:
        """Messages sent but not yet answered, per sender.

        What the server has not processed yet can land in the same second as the next `rate`
        messages, so only the headroom under Telegram's limit (about 30 per second) may be in
        flight, shared by the live senders: 25 per second leaves 5.
        """
        if self.paid_broadcast:
            return max(1, self.concurrency // live_senders)
        headroom = TELEGRAM_GLOBAL_LIMIT - self.effective_rate
        return max(1, min(self.concurrency, math.floor(headroom / live_senders)))

    @property
    def effective_rate(self) -> float:
        """The configured rate; paid broadcasts may go up to 1000 per second."""
        limit = PAID_BROADCAST_MAX_RATE if self.paid_broadcast else self.rate_per_second
        return min(self.rate_per_second, limit)


def alert_callback(delivery_id: int, action: str) -> str:
    """Callback data of an alert answer button: `alr:<delivery id>:<answer>`."""
    return f"{ALERT_CALLBACK_PREFIX}:{delivery_id}:{action}"


def new_worker_id() -> str:
    """A worker id unique across hosts and restarts."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class BroadcastSender:
    """Delivers the outbox at a global rate shared by all live senders; a 429 pauses only it."""

    def __init__(
        self,
        database: Database,
        transport: Transport,
        *,
        clock: Clock,
        config: SenderConfig | None = None,
        render_progress: ProgressRenderer | None = None,
        housekeeping: Housekeeping | None = None,
        worker_id: str | None = None,
        now: TimeSource = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.database, self.transport, self.clock = database, transport, clock
        self.config = config or SenderConfig()
        self.worker_id = worker_id or new_worker_id()
        self.pacer = Pacer(self.config.effective_rate, now=now, sleep=sleep)
        self._spacing = ChatSpacing(self.config.per_chat_interval, now=now, sleep=sleep)
        self._render_progress, self._housekeeping = render_progress, housekeeping
        self._monotonic = now
        self._in_flight = InFlight(self.config.in_flight_limit())
        self._contents: dict[int, dict[str, Any]] = {}
        self._wake = asyncio.Event()
        self._stopping = False
        self._next_heartbeat = 0.0

    def notify(self) -> None:
        """Wake the worker now (a broadcast was just created)."""
        self._wake.set()

    def stop(self) -> None:
        """Ask the loop to end after the current batch."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Send until stopped; database or network trouble is logged and retried, never fatal."""
        logger.info("broadcast sender %s started at %.1f/s", self.worker_id, self.pacer.rate)
        try:
            while not self._stopping:
                try:
                    await self._beat()
                    handled = await self.run_once()
                except Exception:
                    logger.exception("broadcast sender %s: cycle failed", self.worker_id)
                    handled = 0
                if not handled and not self._stopping:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.config.idle_seconds)
        finally:
            try:
                async with self.database.unit_of_work() as session:
                    await coordination.sign_off(session, self.worker_id)
            except Exception:
                logger.warning(
                    "broadcast sender %s: could not sign off", self.worker_id, exc_info=True
                )
            logger.info("broadcast sender %s stopped", self.worker_id)

    async def _beat(self) -> None:
        if self._monotonic() < self._next_heartbeat:
            return
        self._next_heartbeat = self._monotonic() + self.config.heartbeat_seconds
        async with self.database.unit_of_work() as session:
            live = await coordination.heartbeat(
                session,
                self.worker_id,
                self.clock.now(),
                timedelta(seconds=3 * self.config.heartbeat_seconds),
            )
        self.pacer.rate = self.config.effective_rate / live
        await self._in_flight.set_limit(self.config.in_flight_limit(live))
        if self._housekeeping is not None:
            await self._housekeeping()

    async def run_once(self) -> int:
        """Claim one batch, send it paced, record the outcomes; returns the batch size."""
        await self.pacer.wait_unpaused()
        now = self.clock.now()
        async with self.database.unit_of_work() as session:
            await outbox.activate_due(session, now)
            claimed = await outbox.claim(
                session,
                worker_id=self.worker_id,
                now=now,
                limit=self.config.batch_size,
                lease=self.config.lease,
            )
        if not claimed:
            await self._sweep()
            return 0
        await self._load_contents({item.broadcast_id for item in claimed})
        outcomes = await asyncio.gather(*(self._deliver(item) for item in claimed))
        async with self.database.unit_of_work() as session:
            await outbox.settle(
                session,
                self.worker_id,
                outcomes,
                now=self.clock.now(),
                max_attempts=self.config.max_attempts,
            )
            done = await outbox.finish_completed(session, self.clock.now())
        self._spacing.forget_old()
        await self._show_progress({item.broadcast_id for item in claimed} | set(done))
        return len(claimed)

    async def drain(self, max_batches: int = 100_000) -> int:
        """Run batches until nothing is due; returns how many deliveries were handled."""
        handled = 0
        for _ in range(max_batches):
            count = await self.run_once()
            if not count:
                break
            handled += count
        return handled

    async def _sweep(self) -> None:
        async with self.database.unit_of_work() as session:
            done = await outbox.finish_completed(session, self.clock.now())
            due = await coordination.reports_due(session)
        if done or due:
            await self._show_progress(set(done) | set(due))

    async def _load_contents(self, broadcast_ids: set[int]) -> None:
        missing = broadcast_ids - self._contents.keys()
        if not missing:
            return
        if len(self._contents) > 200:  # bounded cache: start afresh with this batch's broadcasts
            self._contents.clear()
            missing = set(broadcast_ids)
        async with self.database.unit_of_work() as session:
            rows = await session.execute(
                select(Broadcast.id, Broadcast.content).where(Broadcast.id.in_(missing))
            )
            self._contents.update({broadcast_id: content for broadcast_id, content in rows})

    def _message(self, item: Claimed) -> OutgoingMessage:
        content = self._contents[item.broadcast_id]
        localized = content.get(item.locale) or next(iter(content.values()))
        buttons = [
            [(button["label"], alert_callback(item.id, button["action"])) for button in row]
            for row in localized.get("buttons", [])
        ]
        return OutgoingMessage(
            item.chat_id, localized["text"], buttons, paid_broadcast=self.config.paid_broadcast
        )

    async def _deliver(self, item: Claimed) -> Outcome:
        await self._spacing.wait(item.chat_id)
        async with self._in_flight.slot():
            if not await self.pacer.take_slot():
                return Outcome(item, Settle.RELEASE)
            try:
                result = await self.transport.send(self._message(item))
            except Exception as error:  # a transport bug must not lose the row
                logger.exception("delivery %s: unexpected error", item.id)
                return Outcome(item, Settle.RETRY, error=type(error).__name__)
        if result.kind is ResultKind.DELIVERED:
            return Outcome(item, Settle.SENT, message_id=result.message_id)
        if result.kind is ResultKind.RATE_LIMITED:
            logger.warning("429 from the Bot API: sender pauses %.1f s", result.retry_after)
            self.pacer.pause(result.retry_after)
            return Outcome(item, Settle.RELEASE, error="429")
        logger.info("delivery %s: %s %s", item.id, result.kind.value, result.error)
        return Outcome(item, _SETTLE_FOR[result.kind], error=(result.error or "")[:255] or None)

    async def _show_progress(self, broadcast_ids: set[int]) -> None:
        if self._render_progress is None:
            return
        for broadcast_id in sorted(broadcast_ids):
            try:
                await self._show_one(broadcast_id)
            except Exception:
                logger.warning("broadcast %s: progress update failed", broadcast_id, exc_info=True)

    async def _show_one(self, broadcast_id: int) -> None:
        assert self._render_progress is not None
        now = self.clock.now()
        async with self.database.unit_of_work() as session:
            state = await progress(session, broadcast_id, now)
            if state is None:
                return
            if state.finished:
                allowed = await coordination.claim_final_report(session, broadcast_id)
            else:
                allowed = await coordination.claim_progress_edit(
                    session, broadcast_id, now, self.config.progress_interval
                )
            target = await session.execute(
                select(
                    Broadcast.progress_chat_id,
                    Broadcast.progress_message_id,
                    Broadcast.progress_locale,
                ).where(Broadcast.id == broadcast_id)
            )
            chat_id, message_id, locale = target.one()
        if not allowed or chat_id is None or message_id is None:
            return
        text, buttons = self._render_progress(state, locale or "vi")
        async with self._in_flight.slot():
            if await self.pacer.take_slot():
                await self.transport.edit(chat_id, message_id, text, buttons)
