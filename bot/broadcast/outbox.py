"""The durable outbox: claiming due deliveries under a lease, and settling their outcomes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.kinds import OPEN_DELIVERY_STATUSES, BroadcastStatus, DeliveryStatus, Unreachable
from bot.db.models import Broadcast, BroadcastDelivery, TelegramAccount

MAX_BACKOFF = timedelta(minutes=15)
BASE_BACKOFF = timedelta(seconds=5)
_DELIVERIES = BroadcastDelivery.__table__  # Core table, for executemany UPDATEs by id


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds until `lease_until`."""

    id: int
    broadcast_id: int
    chat_id: int
    telegram_user_id: int | None
    locale: str
    attempts: int


class Settle(StrEnum):
    """What happened to a claimed delivery."""

    SENT = "sent"
    RETRY = "retry"  # transient trouble: back off, then try again
    RELEASE = "release"  # not attempted (a 429 pause began): back to pending, no attempt counted
    BLOCKED = "blocked"
    CHAT_NOT_FOUND = "chat_not_found"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """The result of one claimed delivery."""

    delivery: Claimed
    settle: Settle
    message_id: int | None = None
    error: str | None = None


def backoff(attempts: int) -> timedelta:
    """Delay before attempt number `attempts + 1`: 5 s doubling to at most 15 minutes."""
    delay: timedelta = BASE_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


async def activate_due(session: AsyncSession, now: datetime) -> None:
    """Start scheduled broadcasts whose time has come."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.status == BroadcastStatus.SCHEDULED.value, Broadcast.scheduled_at <= now)
        .values(status=BroadcastStatus.SENDING.value, started_at=now)
    )


def _due(now: datetime) -> object:
    pending = and_(
        BroadcastDelivery.status == DeliveryStatus.PENDING.value,
        BroadcastDelivery.next_attempt_at <= now,
    )
    abandoned = and_(
        BroadcastDelivery.status == DeliveryStatus.SENDING.value,
        BroadcastDelivery.lease_until < now,
    )
    return or_(pending, abandoned)


async def claim(
    session: AsyncSession, *, worker_id: str, now: datetime, limit: int, lease: timedelta
) -> list[Claimed]:
    """Take up to `limit` due deliveries of running broadcasts, including abandoned leases.

    On PostgreSQL rows are picked with FOR UPDATE SKIP LOCKED, so several workers never take the
    same row; on SQLite the single writer re-checks the due condition in the same UPDATE.
    Recipients who withdrew consent or erased their data since the broadcast was written are
    settled as unreachable here and never sent to.
    """
    while True:
        claimed = await _claim_batch(session, worker_id, now, limit, lease)
        sendable = await _drop_withdrawn(session, claimed)
        if sendable or not claimed:
            return sendable


async def _drop_withdrawn(session: AsyncSession, claimed: list[Claimed]) -> list[Claimed]:
    users = {item.telegram_user_id for item in claimed if item.telegram_user_id is not None}
    consenting = set(
        await session.scalars(
            select(TelegramAccount.telegram_user_id).where(
                TelegramAccount.telegram_user_id.in_(users),
                TelegramAccount.consented_at.is_not(None),
            )
        )
    )
    withdrawn = [item.id for item in claimed if item.telegram_user_id not in consenting]
    if withdrawn:
        await session.execute(
            update(BroadcastDelivery)
            .where(BroadcastDelivery.id.in_(withdrawn))
            .values(
                status=DeliveryStatus.UNREACHABLE.value,
                reason=Unreachable.WITHDRAWN.value,
                telegram_user_id=None,
                chat_id=None,
                claimed_by=None,
                lease_until=None,
            )
            .execution_options(synchronize_session=False)
        )
    return [item for item in claimed if item.telegram_user_id in consenting]


async def _due_ids(session: AsyncSession, now: datetime, limit: int) -> list[int]:
    """Ids of up to `limit` due deliveries: abandoned leases first, then pending ones.

    Each part walks an index in order and stops at `limit` (pending rows by `next_attempt_at`,
    ties in insertion order), so a claim costs the same at the first row of a broadcast of
    100,000 as at the last; one query with `OR` and `ORDER BY id` sorted every pending row.
    """
    running = select(Broadcast.id).where(Broadcast.status == BroadcastStatus.SENDING.value)
    abandoned = (
        select(BroadcastDelivery.id)
        .where(
            BroadcastDelivery.status == DeliveryStatus.SENDING.value,
            BroadcastDelivery.lease_until < now,
            BroadcastDelivery.broadcast_id.in_(running),
        )
        .order_by(BroadcastDelivery.id)
    )
    pending = (
        select(BroadcastDelivery.id)
        .where(
            BroadcastDelivery.status == DeliveryStatus.PENDING.value,
            BroadcastDelivery.next_attempt_at <= now,
            BroadcastDelivery.broadcast_id.in_(running),
        )
        .order_by(BroadcastDelivery.next_attempt_at)
    )
    ids: list[int] = []
    for picked in (abandoned, pending):
        picked = picked.limit(limit - len(ids))
        if session.get_bind().dialect.name == "postgresql":
            picked = picked.with_for_update(skip_locked=True, of=BroadcastDelivery)
        ids.extend(await session.scalars(picked))  # locked until commit on PostgreSQL
        if len(ids) >= limit:
            break
    return ids


async def _claim_batch(
    session: AsyncSession, worker_id: str, now: datetime, limit: int, lease: timedelta
) -> list[Claimed]:
    ids = await _due_ids(session, now, limit)
    if not ids:
        return []
    result = await session.execute(
        update(BroadcastDelivery)
        .where(BroadcastDelivery.id.in_(ids), _due(now))  # type: ignore[arg-type]
        .values(status=DeliveryStatus.SENDING.value, claimed_by=worker_id, lease_until=now + lease)
        .returning(
            BroadcastDelivery.id,
            BroadcastDelivery.broadcast_id,
            BroadcastDelivery.chat_id,
            BroadcastDelivery.telegram_user_id,
            BroadcastDelivery.locale,
            BroadcastDelivery.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    claimed = [
        Claimed(
            row.id,
            row.broadcast_id,
            row.chat_id or 0,
            row.telegram_user_id,
            row.locale,
            row.attempts,
        )
        for row in result
    ]
    return sorted(claimed, key=lambda item: item.id)


async def settle(
    session: AsyncSession,
    worker_id: str,
    outcomes: Sequence[Outcome],
    *,
    now: datetime,
    max_attempts: int,
) -> None:
    """Record outcomes; a row whose lease another worker has since taken over is left alone.

    Outcomes that change the same columns share one executemany UPDATE (a batch of 500 sent
    messages, or the rest of a batch released by a 429, is one statement, not 500).
    """
    same_columns: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.settle is Settle.BLOCKED:
            continue
        values = _settled_values(outcome, now, max_attempts)
        same_columns[tuple(sorted(values))].append(
            {"b_id": outcome.delivery.id, **{f"b_{key}": value for key, value in values.items()}}
        )
    for columns, rows in same_columns.items():
        await session.execute(
            update(_DELIVERIES)  # type: ignore[arg-type]
            .where(
                _DELIVERIES.c.id == bindparam("b_id"),
                _DELIVERIES.c.claimed_by == worker_id,
                _DELIVERIES.c.status == DeliveryStatus.SENDING.value,
            )
            .values({column: bindparam(f"b_{column}") for column in columns}),
            rows,
        )
    for outcome in outcomes:
        if outcome.settle is Settle.BLOCKED:
            await _settle_blocked(session, worker_id, outcome, now)


def _settled_values(outcome: Outcome, now: datetime, max_attempts: int) -> dict[str, object]:
    """The columns a settled delivery gets (all but BLOCKED, which also marks the account)."""
    attempts = outcome.delivery.attempts  # nobody else changed it while the lease was held
    values: dict[str, object] = {
        "claimed_by": None,
        "lease_until": None,
        "last_error": outcome.error,
    }
    if outcome.settle is Settle.SENT:
        values.update(
            status=DeliveryStatus.SENT.value,
            sent_at=now,
            message_id=outcome.message_id,
            attempts=attempts + 1,
            last_error=None,
        )
    elif outcome.settle is Settle.RELEASE:
        values.update(status=DeliveryStatus.PENDING.value, next_attempt_at=now)
    elif outcome.settle is Settle.RETRY and attempts + 1 < max_attempts:
        values.update(
            status=DeliveryStatus.PENDING.value,
            attempts=attempts + 1,
            next_attempt_at=now + backoff(attempts + 1),
        )
    elif outcome.settle is Settle.CHAT_NOT_FOUND:
        values.update(
            status=DeliveryStatus.UNREACHABLE.value,
            reason=Unreachable.CHAT_NOT_FOUND.value,
            attempts=attempts + 1,
        )
    else:
        values.update(status=DeliveryStatus.FAILED.value, attempts=attempts + 1)
    return values


async def _settle_blocked(
    session: AsyncSession, worker_id: str, outcome: Outcome, now: datetime
) -> None:
    result = await session.execute(
        update(BroadcastDelivery)
        .where(
            BroadcastDelivery.id == outcome.delivery.id,
            BroadcastDelivery.claimed_by == worker_id,
            BroadcastDelivery.status == DeliveryStatus.SENDING.value,
        )
        .values(
            claimed_by=None,
            lease_until=None,
            last_error=outcome.error,
            status=DeliveryStatus.UNREACHABLE.value,
            reason=Unreachable.BLOCKED.value,
            attempts=outcome.delivery.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount and outcome.delivery.telegram_user_id:  # type: ignore[attr-defined]
        await session.execute(
            update(TelegramAccount)
            .where(TelegramAccount.telegram_user_id == outcome.delivery.telegram_user_id)
            .values(blocked_at=now)
        )


async def finish_completed(session: AsyncSession, now: datetime) -> list[int]:
    """Mark running broadcasts with nothing left to send as done; returns their ids."""
    open_rows = exists().where(
        BroadcastDelivery.broadcast_id == Broadcast.id,
        BroadcastDelivery.status.in_([s.value for s in OPEN_DELIVERY_STATUSES]),
    )
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.status == BroadcastStatus.SENDING.value, ~open_rows)
        .values(status=BroadcastStatus.DONE.value, finished_at=now)
        .returning(Broadcast.id)
        .execution_options(synchronize_session=False)
    )
    done = [row[0] for row in result]
    await session.execute(  # in-flight rows of a cancelled broadcast whose sender died
        update(BroadcastDelivery)
        .where(
            BroadcastDelivery.status == DeliveryStatus.SENDING.value,
            BroadcastDelivery.lease_until < now,
            BroadcastDelivery.broadcast_id.in_(
                select(Broadcast.id).where(Broadcast.status == BroadcastStatus.CANCELLED.value)
            ),
        )
        .values(status=DeliveryStatus.CANCELLED.value, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return done
