"""What several senders agree on through the database: progress edits, reports, shared rate."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.kinds import BroadcastStatus
from bot.db.models import Broadcast, BroadcastSender


async def claim_progress_edit(
    session: AsyncSession, broadcast_id: int, now: datetime, interval: timedelta
) -> bool:
    """True for the one worker that should edit the progress message now."""
    result = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.id == broadcast_id,
            Broadcast.progress_message_id.is_not(None),
            Broadcast.report_sent.is_(False),
            or_(
                Broadcast.progress_edited_at.is_(None),
                Broadcast.progress_edited_at <= now - interval,
            ),
        )
        .values(progress_edited_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_final_report(session: AsyncSession, broadcast_id: int) -> bool:
    """True for the one worker that should turn the progress message into the final report."""
    result = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.id == broadcast_id,
            Broadcast.progress_message_id.is_not(None),
            Broadcast.report_sent.is_(False),
            Broadcast.status.in_([BroadcastStatus.DONE.value, BroadcastStatus.CANCELLED.value]),
        )
        .values(report_sent=True)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def progress_target(
    session: AsyncSession, broadcast_id: int, now: datetime, interval: timedelta
) -> tuple[int, int, str | None] | None:
    """Where a broadcast's progress message is, if it may be edited or turned into a report now."""
    row = (
        await session.execute(
            select(
                Broadcast.progress_chat_id,
                Broadcast.progress_message_id,
                Broadcast.progress_locale,
                Broadcast.report_sent,
                Broadcast.status,
                Broadcast.progress_edited_at,
            ).where(Broadcast.id == broadcast_id)
        )
    ).one_or_none()
    if row is None or row.progress_chat_id is None or row.progress_message_id is None:
        return None
    ending = row.status in (BroadcastStatus.DONE.value, BroadcastStatus.CANCELLED.value)
    recently_edited = row.progress_edited_at is not None and row.progress_edited_at > now - interval
    if row.report_sent or (recently_edited and not ending):
        return None
    return row.progress_chat_id, row.progress_message_id, row.progress_locale


async def reports_due(session: AsyncSession) -> list[int]:
    """Finished or cancelled broadcasts whose progress message has not become a report yet."""
    rows = await session.scalars(
        select(Broadcast.id).where(
            Broadcast.progress_message_id.is_not(None),
            Broadcast.report_sent.is_(False),
            Broadcast.status.in_([BroadcastStatus.DONE.value, BroadcastStatus.CANCELLED.value]),
        )
    )
    return list(rows)


async def heartbeat(session: AsyncSession, worker_id: str, now: datetime, ttl: timedelta) -> int:
    """Record this worker as alive; returns how many workers are alive (itself included)."""
    row = await session.get(BroadcastSender, worker_id)
    if row is None:
        session.add(BroadcastSender(worker_id=worker_id, seen_at=now))
    else:
        row.seen_at = now
    await session.flush()
    await session.execute(delete(BroadcastSender).where(BroadcastSender.seen_at < now - 10 * ttl))
    live = await session.scalar(select(func.count()).where(BroadcastSender.seen_at >= now - ttl))
    return max(int(live or 0), 1)


async def sign_off(session: AsyncSession, worker_id: str) -> None:
    """Forget this worker, so the others take over its share of the rate."""
    await session.execute(delete(BroadcastSender).where(BroadcastSender.worker_id == worker_id))
