"""The paid-broadcast sender: bounded in-flight sends, batched outcomes, 429 and crash mid-batch."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import event, select

from bot.broadcast import outbox, service
from bot.broadcast.outbox import Outcome, Settle
from bot.broadcast.sender import BroadcastSender
from bot.broadcast.sender_config import SenderConfig
from bot.broadcast.service import Actor
from bot.broadcast.transport import CallResult, OutgoingMessage, Transport
from bot.clock import FakeClock
from bot.db.models import BroadcastDelivery
from bot.db.session import Database
from bot.emulator import BotApiEmulator, FloodLimits
from tests.broadcast.emulated import delivery_statuses, emulated_sender, many_linked, received
from tests.broadcast.support import CATALOGS, NOW, TODAY, dengue, linked_citizen

PAID = SenderConfig(rate_per_second=1000, paid_broadcast=True, concurrency=4, max_batch=40)


async def _create(db: Database) -> int:
    async with db.unit_of_work() as session:
        broadcast_id, _ = await service.create(
            session, dengue(), Actor("cli"), now=NOW, today=TODAY, catalogs=CATALOGS
        )
    return broadcast_id




class Gate:
    """Wraps a transport: counts sends in flight; can hold every send after the first `open_for`."""

    def __init__(self, inner: Transport, open_for: int | None = None) -> None:
        self.inner, self.open_for = inner, open_for
        self.in_flight = self.most_in_flight = self.passed = 0
        self.opened = asyncio.Event()
        self.held = asyncio.Event()

    async def send(self, message: OutgoingMessage) -> CallResult:
        """Send, unless the gate is closed for this one."""
        if self.open_for is not None and self.passed >= self.open_for:
            self.held.set()
            await self.opened.wait()
        self.passed += 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.005)  # an answer takes a moment, so sends overlap
            return await self.inner.send(message)
        finally:
            self.in_flight -= 1

    async def edit(
        self, chat_id: int, message_id: int, text: str, buttons: Sequence[Sequence[tuple[str, str]]]
    ) -> CallResult:
        """Edit through the inner transport."""
        return await self.inner.edit(chat_id, message_id, text, buttons)

    async def set_chat_commands(
        self, chat_id: int, commands: Sequence[tuple[str, str]]
    ) -> CallResult:
        """Through the inner transport."""
        return await self.inner.set_chat_commands(chat_id, commands)

    async def delete_chat_commands(self, chat_id: int) -> CallResult:
        """Through the inner transport."""
        return await self.inner.delete_chat_commands(chat_id)


def _gated(sender: BroadcastSender, open_for: int | None = None) -> Gate:
    gate = Gate(sender.transport, open_for)
    sender.transport = gate
    return gate


async def test_paid_broadcasts_keep_at_most_the_configured_sends_in_flight(
    db: Database, clock: FakeClock
) -> None:
    async with BotApiEmulator(FloodLimits.off()) as emulator:
        users = await many_linked(db, emulator, 90_000, 60)
        await _create(db)
        async with emulated_sender(db, emulator, clock, PAID) as sender:
            gate = _gated(sender)
            assert await sender.drain() == 60
        assert gate.most_in_flight == PAID.in_flight_limit() == 4, "bounded, and the bound is used"
        assert received(emulator) == Counter({user: 1 for user in users})
    assert await delivery_statuses(db) == {"sent": 60}


async def test_a_429_in_the_middle_of_a_paid_batch_pauses_then_sends_the_rest_once(
    db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    users = await many_linked(db, emulator, 91_000, 40)
    await _create(db)
    emulator.faults.force_retry_after(1, retry_after=1, chat_id=users[20])
    async with emulated_sender(db, emulator, clock, PAID) as sender:
        started = asyncio.get_running_loop().time()
        assert await sender.drain() >= 40
        elapsed = asyncio.get_running_loop().time() - started
    assert emulator.bot().counters.too_many_requests == 1
    assert elapsed >= 1.0, "retry_after was not honoured"
    assert received(emulator) == Counter({user: 1 for user in users})
    async with db.unit_of_work() as session:
        attempts = Counter(await session.scalars(select(BroadcastDelivery.attempts)))
    assert attempts == Counter({1: 40}), "messages held back by the pause count no attempt"


async def test_a_worker_stopped_mid_batch_keeps_what_it_sent_and_the_next_sends_no_duplicate(
    db: Database, clock: FakeClock
) -> None:
    async with BotApiEmulator(FloodLimits.off()) as emulator:
        users = await many_linked(db, emulator, 92_000, 40)
        await _create(db)
        async with emulated_sender(db, emulator, clock, PAID, "crashing") as crashing:
            gate = _gated(crashing, open_for=15)
            draining = asyncio.create_task(crashing.drain())
            await asyncio.wait_for(gate.held.wait(), 10)
            while gate.in_flight:
                await asyncio.sleep(0.01)
            draining.cancel()
            await asyncio.gather(draining, return_exceptions=True)
        assert (await delivery_statuses(db))["sent"] == 15, "the sends before the crash were recorded"
        clock.advance(PAID.lease + timedelta(seconds=1))
        async with emulated_sender(db, emulator, clock, PAID, "survivor") as survivor:
            await survivor.drain()
        assert received(emulator) == Counter({user: 1 for user in users})
    assert await delivery_statuses(db) == {"sent": 40}


async def test_outcomes_are_recorded_while_the_batch_is_still_going_out(
    db: Database, clock: FakeClock
) -> None:
    config = SenderConfig(
        rate_per_second=1000, paid_broadcast=True, concurrency=4, max_batch=40, record_interval=0.05
    )
    async with BotApiEmulator(FloodLimits.off()) as emulator:
        await many_linked(db, emulator, 93_000, 40)
        await _create(db)
        async with emulated_sender(db, emulator, clock, config) as sender:
            gate = _gated(sender, open_for=10)
            draining = asyncio.create_task(sender.drain())
            await asyncio.wait_for(gate.held.wait(), 10)
            await asyncio.sleep(0.3)
            assert (await delivery_statuses(db)).get("sent") == 10, "not recorded until the batch ended"
            gate.opened.set()
            assert await draining == 40
    assert await delivery_statuses(db) == {"sent": 40}


async def test_outcomes_of_a_batch_are_settled_in_one_statement_per_kind(db: Database) -> None:
    await many_people(db, 30)
    await _create(db)
    async with db.unit_of_work() as session:
        claimed = await outbox.claim(
            session, worker_id="w", now=NOW, limit=30, lease=timedelta(seconds=60)
        )
    kinds = [Settle.SENT] * 20 + [Settle.RELEASE] * 8 + [Settle.RETRY] * 2
    outcomes = [
        Outcome(item, kind, message_id=item.id if kind is Settle.SENT else None)
        for item, kind in zip(claimed, kinds, strict=True)
    ]
    statements: list[str] = []
    async with db.unit_of_work() as session:
        connection = await session.connection()

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(connection.sync_connection, "before_cursor_execute", count)
        await outbox.settle(session, "w", outcomes, now=NOW, max_attempts=3)
        event.remove(connection.sync_connection, "before_cursor_execute", count)
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 3, updates
    assert await delivery_statuses(db) == {"sent": 20, "pending": 10}
    async with db.unit_of_work() as session:
        retried = list(
            await session.scalars(
                select(BroadcastDelivery).where(BroadcastDelivery.attempts == 1).where(
                    BroadcastDelivery.status == "pending"
                )
            )
        )
    assert len(retried) == 2
    assert all(r.next_attempt_at == NOW + timedelta(seconds=5) for r in retried)


async def test_abandoned_leases_are_claimed_before_pending_rows_in_order(db: Database) -> None:
    await many_people(db, 6)
    await _create(db)
    lease = timedelta(seconds=60)
    async with db.unit_of_work() as session:
        crashed = await outbox.claim(session, worker_id="crashed", now=NOW, limit=2, lease=lease)
    later = NOW + lease + timedelta(seconds=1)
    async with db.unit_of_work() as session:
        first = await outbox.claim(session, worker_id="w", now=later, limit=3, lease=lease)
        rest = await outbox.claim(session, worker_id="w", now=later, limit=10, lease=lease)
    assert {c.id for c in crashed} < {c.id for c in first}, "taken over before anything pending"
    assert len(first) == 3 and len(rest) == 3
    everyone = [c.id for c in first] + [c.id for c in rest]
    assert sorted(everyone) == everyone and len(set(everyone)) == 6


async def many_people(db: Database, count: int) -> None:
    """`count` linked, consenting citizens (no chats needed: nothing is sent)."""
    async with db.unit_of_work() as session:
        for user_id in range(1, count + 1):
            await linked_citizen(session, user_id)
