"""The durable outbox: creation, claiming under a lease, resuming after a crash, settling, cancelling."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.broadcast import outbox, service
from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.kinds import BroadcastStatus
from bot.broadcast.outbox import Claimed, Outcome, Settle
from bot.broadcast.service import Actor, BroadcastRefusedError, CancelOutcome
from bot.db.models import AuditEntry, Broadcast, BroadcastDelivery, TelegramAccount
from bot.db.session import Database
from bot.signin.consent import withdraw_and_erase
from bot.staff.roles import Role
from tests.broadcast.support import (
    CATALOGS,
    NOW,
    TODAY,
    bound_staff,
    dengue,
    linked_citizen,
)

LEASE = timedelta(seconds=60)
CLI = Actor("cli")


async def _people(db: Database, count: int) -> None:
    async with db.unit_of_work() as session:
        for user_id in range(1, count + 1):
            await linked_citizen(session, user_id)


async def _create(db: Database, draft: service.Draft | None = None, actor: Actor = CLI) -> int:
    async with db.unit_of_work() as session:
        broadcast_id, _ = await service.create(
            session, draft or dengue(), actor, now=NOW, today=TODAY, catalogs=CATALOGS
        )
    return broadcast_id


async def _claim(db: Database, worker: str, now: object = NOW, limit: int = 100) -> list[Claimed]:
    async with db.unit_of_work() as session:
        return await outbox.claim(session, worker_id=worker, now=now, limit=limit, lease=LEASE)  # type: ignore[arg-type]


async def _settle(db: Database, worker: str, outcomes: list[Outcome], now: object = NOW) -> None:
    async with db.unit_of_work() as session:
        await outbox.settle(session, worker, outcomes, now=now, max_attempts=3)  # type: ignore[arg-type]
        await outbox.finish_completed(session, now)  # type: ignore[arg-type]


async def _statuses(db: Database, broadcast_id: int) -> dict[str, int]:
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(BroadcastDelivery.status, func.count())
            .where(BroadcastDelivery.broadcast_id == broadcast_id)
            .group_by(BroadcastDelivery.status)
        )
        return dict(rows.all())


async def test_creation_writes_one_row_per_recipient_and_an_audit_entry(db: Database) -> None:
    await _people(db, 5)
    broadcast_id = await _create(db)
    assert await _statuses(db, broadcast_id) == {"pending": 5}
    async with db.unit_of_work() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "broadcast.create.notice")
        )
    assert broadcast is not None and broadcast.status == "sending" and broadcast.total == 5
    assert set(broadcast.content) == {"vi", "en", "km", "bn"}
    assert entry is not None and f"broadcast={broadcast_id}" in (entry.detail or "")


async def test_a_crashed_workers_claims_are_taken_over_after_the_lease_and_nobody_is_skipped(
    db: Database,
) -> None:
    await _people(db, 10)
    broadcast_id = await _create(db)
    first = await _claim(db, "crashed", limit=4)
    assert len(first) == 4
    second = await _claim(db, "survivor")
    assert {c.id for c in second}.isdisjoint({c.id for c in first}) and len(second) == 6
    await _settle(db, "survivor", [Outcome(c, Settle.SENT, message_id=c.id) for c in second])
    assert await _claim(db, "survivor", now=NOW + LEASE) == [], "a lease still running is respected"
    later = NOW + LEASE + timedelta(seconds=1)
    taken_over = await _claim(db, "survivor", now=later)
    assert sorted(c.id for c in taken_over) == sorted(c.id for c in first)
    await _settle(db, "crashed", [Outcome(c, Settle.SENT, message_id=1) for c in first], now=later)
    assert (await _statuses(db, broadcast_id))["sending"] == 4, (
        "a late settle of a lost lease is ignored"
    )
    await _settle(
        db, "survivor", [Outcome(c, Settle.SENT, message_id=2) for c in taken_over], now=later
    )
    assert await _statuses(db, broadcast_id) == {"sent": 10}
    async with db.unit_of_work() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
    assert (
        broadcast is not None
        and broadcast.status == BroadcastStatus.DONE
        and broadcast.finished_at == later
    )


async def test_outcomes_retry_with_backoff_then_fail_and_blocked_users_are_marked(
    db: Database,
) -> None:
    await _people(db, 4)
    broadcast_id = await _create(db)
    retry, blocked, gone, released = await _claim(db, "w")
    await _settle(
        db,
        "w",
        [
            Outcome(retry, Settle.RETRY, error="Timed out"),
            Outcome(blocked, Settle.BLOCKED, error="Forbidden: bot was blocked by the user"),
            Outcome(gone, Settle.CHAT_NOT_FOUND, error="Chat not found"),
            Outcome(released, Settle.RELEASE),
        ],
    )
    assert [c.id for c in await _claim(db, "w")] == [released.id], "a released row is due at once"
    assert [c.id for c in await _claim(db, "w", now=NOW + timedelta(seconds=4))] == []
    again = await _claim(db, "w", now=NOW + timedelta(seconds=5))
    assert [(c.id, c.attempts) for c in again] == [(retry.id, 1)]
    await _settle(db, "w", [Outcome(again[0], Settle.RETRY)], now=NOW + timedelta(seconds=5))
    third = await _claim(db, "w", now=NOW + timedelta(seconds=15))
    await _settle(
        db,
        "w",
        [Outcome(third[0], Settle.RETRY, error="Bad Gateway")],
        now=NOW + timedelta(seconds=15),
    )
    async with db.unit_of_work() as session:
        rows = {row.id: row for row in await session.scalars(select(BroadcastDelivery))}
        account = await session.get(TelegramAccount, blocked.telegram_user_id)
    assert (rows[retry.id].status, rows[retry.id].attempts, rows[retry.id].last_error) == (
        "failed",
        3,
        "Bad Gateway",
    )
    assert (rows[blocked.id].status, rows[blocked.id].reason) == ("unreachable", "blocked")
    assert (rows[gone.id].status, rows[gone.id].reason) == ("unreachable", "chat_not_found")
    assert rows[released.id].attempts == 0
    assert account is not None and account.blocked_at == NOW
    assert broadcast_id


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert outbox.backoff(30) == timedelta(minutes=15)


async def test_scheduled_broadcasts_wait_for_their_time(db: Database) -> None:
    await _people(db, 2)
    broadcast_id = await _create(db, dengue(scheduled_at=NOW + timedelta(hours=2)))
    assert await _claim(db, "w", now=NOW + timedelta(hours=1)) == []
    async with db.unit_of_work() as session:
        await outbox.activate_due(session, NOW + timedelta(hours=2))
    assert len(await _claim(db, "w", now=NOW + timedelta(hours=2))) == 2
    async with db.unit_of_work() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
    assert broadcast is not None and broadcast.started_at == NOW + timedelta(hours=2)


async def test_cancel_stops_pending_messages_but_lets_in_flight_ones_finish(db: Database) -> None:
    await _people(db, 5)
    broadcast_id = await _create(db)
    in_flight = await _claim(db, "w", limit=2)
    async with db.unit_of_work() as session:
        assert await service.cancel(session, broadcast_id, CLI, now=NOW) is CancelOutcome.CANCELLED
        assert (
            await service.cancel(session, broadcast_id, CLI, now=NOW)
            is CancelOutcome.ALREADY_FINISHED
        )
        assert await service.cancel(session, 999, CLI, now=NOW) is CancelOutcome.NOT_FOUND
    assert await _claim(db, "w") == []
    await _settle(db, "w", [Outcome(c, Settle.SENT, message_id=1) for c in in_flight])
    async with db.unit_of_work() as session:
        state = await service.progress(session, broadcast_id, NOW)
    assert state is not None and (state.sent, state.cancelled, state.pending) == (2, 3, 0)
    assert state.status is BroadcastStatus.CANCELLED and state.finished


async def test_only_the_author_or_an_admin_may_cancel(db: Database) -> None:
    await _people(db, 1)
    async with db.unit_of_work() as session:
        author = await bound_staff(session, Role.NOTIFIER, 901)
        colleague = await bound_staff(session, Role.NOTIFIER, 902)
        admin = await bound_staff(session, Role.ADMIN, 903)
    first = await _create(db, actor=Actor("bot", author))
    second = await _create(db, actor=Actor("bot", author))
    async with db.unit_of_work() as session:
        assert (
            await service.cancel(session, first, Actor("bot", colleague), now=NOW)
            is CancelOutcome.NOT_ALLOWED
        )
        assert (
            await service.cancel(session, first, Actor("bot", author), now=NOW)
            is CancelOutcome.CANCELLED
        )
        assert (
            await service.cancel(session, second, Actor("bot", admin), now=NOW)
            is CancelOutcome.CANCELLED
        )


@pytest.mark.parametrize(
    ("role", "template", "allowed"),
    [
        (Role.NOTIFIER, "dengue", True),
        (Role.NOTIFIER, "place_alert", False),
        (Role.TRACER, "dengue", False),
        (Role.TRACER, "place_alert", True),
        (Role.ADMIN, "dengue", True),
        (Role.ADMIN, "place_alert", True),
    ],
)
async def test_roles_decide_which_broadcasts_staff_may_create(
    db: Database, role: Role, template: str, allowed: bool
) -> None:
    await _people(db, 1)
    async with db.unit_of_work() as session:
        staff = await bound_staff(session, role, 910)
    params = {
        "place": "Chợ Cà Mau",
        "phone": "115",
        "disease": "COVID-19",
        "start": "2026-11-20T01:00:00+00:00",
        "end": "2026-11-20T03:00:00+00:00",
    }
    draft = dengue(
        template=template,
        params={
            k: params[k]
            for k in (
                ("place", "phone")
                if template == "dengue"
                else ("place", "start", "end", "disease", "phone")
            )
        },
    )
    if allowed:
        assert await _create(db, draft, Actor("bot", staff)) > 0
    else:
        with pytest.raises(PermissionError):
            await _create(db, draft, Actor("bot", staff))
        async with db.unit_of_work() as session:
            assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0


async def test_a_contact_alert_needs_a_cccd_list(db: Database) -> None:
    draft = dengue(template="contact_alert", params={"disease": "Sởi", "phone": "115"})
    with pytest.raises(BroadcastRefusedError):
        await _create(db, draft)


async def test_named_contacts_who_cannot_be_reached_are_kept_for_the_export(db: Database) -> None:
    async with db.unit_of_work() as session:
        reachable = await linked_citizen(session, 1)
    listed = Audience(AudienceKind.CCCD, national_ids=(reachable.national_id or "", "096185000777"))
    broadcast_id = await _create(
        db,
        dengue(
            template="contact_alert", audience=listed, params={"disease": "Sởi", "phone": "115"}
        ),
    )
    assert await _statuses(db, broadcast_id) == {"pending": 1, "unreachable": 1}


async def test_an_empty_audience_finishes_at_once(db: Database) -> None:
    broadcast_id = await _create(db)
    async with db.unit_of_work() as session:
        state = await service.progress(session, broadcast_id, NOW)
    assert state is not None and state.status is BroadcastStatus.DONE and state.total == 0


async def test_concurrent_claimers_never_take_the_same_row(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("row claiming across connections is the PostgreSQL case; SQLite has one writer")
    await _people(db, 60)
    await _create(db)
    others = [Database(db.url) for _ in range(3)]
    try:
        batches = await asyncio.gather(
            *(_claim(other, f"w{index}", limit=25) for index, other in enumerate(others)),
            _claim(db, "w3", limit=25),
        )
    finally:
        for other in others:
            await other.dispose()
    claimed = [c.id for batch in batches for c in batch]
    assert len(claimed) == len(set(claimed)) == 60
    assert await _statuses(db, await _first_broadcast(db)) == {"sending": 60}


async def _first_broadcast(db: Database) -> int:
    async with db.unit_of_work() as session:
        first = await session.scalar(select(func.min(Broadcast.id)))
    assert first is not None
    return int(first)


async def test_recipients_who_erase_their_data_after_the_broadcast_is_written_are_skipped(
    db: Database,
) -> None:
    await _people(db, 3)
    broadcast_id = await _create(db)
    async with db.unit_of_work() as session:
        await withdraw_and_erase(session, 2, NOW)
        withdrawn_consent = await session.get(TelegramAccount, 3)
        assert withdrawn_consent is not None
        withdrawn_consent.consented_at = None
    claimed = await _claim(db, "w")
    assert [c.telegram_user_id for c in claimed] == [1]
    async with db.unit_of_work() as session:
        rows = list(await session.scalars(select(BroadcastDelivery).order_by(BroadcastDelivery.id)))
    assert [(r.status, r.reason, r.chat_id) for r in rows[1:]] == [
        ("unreachable", "withdrawn", None),
        ("unreachable", "withdrawn", None),
    ]
    assert broadcast_id
