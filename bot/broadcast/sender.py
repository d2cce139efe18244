"""The sender worker: claims due deliveries, paces them, sends, and records every outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.broadcast import coordination, outbox
from bot.broadcast.outbox import Claimed, Outcome, Settle
from bot.broadcast.pacing import ChatSpacing, InFlight, Pacer, Sleep, TimeSource
from bot.broadcast.recorder import OutcomeRecorder
from bot.broadcast.sender_config import SenderConfig
from bot.broadcast.service import Progress, progress
from bot.broadcast.transport import OutgoingMessage, ResultKind, Transport
from bot.clock import Clock
from bot.db.models import Broadcast
from bot.db.session import Database

logger = logging.getLogger(__name__)

Buttons = Sequence[Sequence[tuple[str, str]]]
ProgressRenderer = Callable[[Progress, str], tuple[str, Buttons]]
Housekeeping = Callable[[], Awaitable[None]]
ALERT_CALLBACK_PREFIX = "alr"
_SETTLE_FOR = {
    ResultKind.BLOCKED: Settle.BLOCKED,
    ResultKind.CHAT_NOT_FOUND: Settle.CHAT_NOT_FOUND,
    ResultKind.TRANSIENT: Settle.RETRY,
    ResultKind.PERMANENT: Settle.FAILED,
}


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
        self._database_turn = asyncio.Lock()  # claims and flushes take turns (one SQLite writer)
        self._recorder = OutcomeRecorder(
            database,
            self.worker_id,
            clock,
            max_attempts=self.config.max_attempts,
            interval=self.config.record_interval,
            lock=self._database_turn,
        )
        self._prefetched: list[Claimed] = []
        self._finishing: asyncio.Task[None] | None = None

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
                await self._wind_down()
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
        """Claim one batch, send it paced, record the outcomes; returns the batch size.

        While the batch goes out, the next one is claimed and outcomes are recorded every
        `record_interval`; the last outcomes of a batch are recorded while the next one starts,
        so the database work overlaps the sending instead of pausing it.
        """
        await self.pacer.wait_unpaused()
        claimed, self._prefetched = self._prefetched, []
        if not claimed:
            await self._finish_previous()  # released rows become due once recorded
            claimed = await self._claim()
        if not claimed:
            await self._sweep()
            return 0
        await self._load_contents({item.broadcast_id for item in claimed})
        self._recorder.start()
        next_batch = None if self._stopping else asyncio.create_task(self._claim())
        started = _Countdown(len(claimed))
        sending = [asyncio.create_task(self._deliver_and_record(i, started)) for i in claimed]
        try:
            await started.wait()  # the last answers of this batch arrive while the next one starts
        except BaseException:
            await _cancel_all(sending)
            await self._recorder.flush()  # an error or a cancellation: keep what was sent
            raise
        finally:
            if next_batch is not None:
                self._prefetched = await _claimed_or_nothing(next_batch)
        await self._finish_previous()
        broadcast_ids = {item.broadcast_id for item in claimed}
        self._finishing = asyncio.create_task(self._finish_batch(sending, broadcast_ids))
        return len(claimed)

    async def drain(self, max_batches: int = 100_000) -> int:
        """Run batches until nothing is due; returns how many deliveries were handled."""
        handled = 0
        try:
            for _ in range(max_batches):
                count = await self.run_once()
                if not count:
                    break
                handled += count
        finally:
            await self._wind_down()
        return handled

    async def _finish_batch(
        self, sending: list[asyncio.Task[None]], broadcast_ids: set[int]
    ) -> None:
        try:
            await asyncio.gather(*sending)
        finally:
            await self._recorder.flush()
        async with self._database_turn, self.database.unit_of_work() as session:
            done = await outbox.finish_completed(session, self.clock.now())
        self._spacing.forget_old()
        await self._show_progress(broadcast_ids | set(done))

    async def _finish_previous(self) -> None:
        finishing, self._finishing = self._finishing, None
        if finishing is not None:
            await finishing

    async def _claim(self) -> list[Claimed]:
        now = self.clock.now()
        async with self._database_turn, self.database.unit_of_work() as session:
            await outbox.activate_due(session, now)
            return await outbox.claim(
                session,
                worker_id=self.worker_id,
                now=now,
                limit=self.config.batch_size,
                lease=self.config.lease,
            )

    async def _wind_down(self) -> None:
        """Record the last batch and give back a claimed one that will not be sent (stopping)."""
        try:
            await self._finish_previous()
        finally:
            self._recorder.add_all(Outcome(item, Settle.RELEASE) for item in self._prefetched)
            self._prefetched = []
            await self._recorder.close()

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

    async def _deliver_and_record(self, item: Claimed, started: _Countdown) -> None:
        try:
            self._recorder.add(await self._deliver(item, started))
        finally:
            started.done(item.id)  # also when it failed before its turn

    async def _deliver(self, item: Claimed, started: _Countdown) -> Outcome:
        await self._spacing.wait(item.chat_id)
        async with self._in_flight.slot():
            got_slot = await self.pacer.take_slot()
            started.done(item.id)
            if not got_slot:
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
            target = await coordination.progress_target(
                session, broadcast_id, now, self.config.progress_interval
            )
            if target is None:  # no progress message, or edited moments ago: skip the counting
                return
            state = await progress(session, broadcast_id, now)
            if state is None:
                return
            if state.finished:
                allowed = await coordination.claim_final_report(session, broadcast_id)
            else:
                allowed = await coordination.claim_progress_edit(
                    session, broadcast_id, now, self.config.progress_interval
                )
        if not allowed:
            return
        chat_id, message_id, locale = target
        text, buttons = self._render_progress(state, locale or "vi")
        async with self._in_flight.slot():
            if await self.pacer.take_slot():
                await self.transport.edit(chat_id, message_id, text, buttons)


async def _claimed_or_nothing(claiming: asyncio.Task[list[Claimed]]) -> list[Claimed]:
    """The next batch; a failed claim only means claiming again later (its rows stay due)."""
    try:
        return await claiming
    except Exception:
        logger.warning("broadcast: claiming the next batch failed", exc_info=True)
        return []


class _Countdown:
    """Set once every delivery of a batch has had its turn to send (or failed before it)."""

    def __init__(self, count: int) -> None:
        self._waiting_for = count
        self._seen: set[int] = set()
        self._all = asyncio.Event()
        if count == 0:
            self._all.set()

    def done(self, delivery_id: int) -> None:
        """Count one delivery (once, however often it is reported)."""
        if delivery_id not in self._seen:
            self._seen.add(delivery_id)
            if len(self._seen) >= self._waiting_for:
                self._all.set()

    async def wait(self) -> None:
        """Return when every delivery was counted."""
        await self._all.wait()


async def _cancel_all(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
