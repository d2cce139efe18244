"""Aggregate statistics for admins: no single citizen can be picked out of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.kinds import BroadcastKind, DeliveryStatus
from bot.db.models import AlertResponse, Broadcast, BroadcastDelivery, Citizen, TelegramAccount

WINDOW = timedelta(days=30)
SMALL_GROUP = 5  # districts with fewer linked users are pooled, so nobody is singled out


@dataclass(frozen=True)
class Statistics:
    """Usage and broadcast figures over the last `WINDOW`."""

    linked_total: int
    linked_by_district: list[tuple[str | None, int]]
    active_users: int
    muted_users: int
    broadcasts: int
    notices_sent: int
    alerts_sent: int
    reach_percent: float | None
    response_percent: float | None


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


async def statistics(session: AsyncSession, now: datetime) -> Statistics:
    """Linked citizens by district, active users, broadcasts sent, reach and response rates."""
    since = now - WINDOW
    linked = TelegramAccount.citizen_id.is_not(None) & TelegramAccount.consented_at.is_not(None)
    by_district = list(
        await session.execute(
            select(Citizen.district, func.count())
            .join(TelegramAccount, TelegramAccount.citizen_id == Citizen.id)
            .where(linked)
            .group_by(Citizen.district)
            .order_by(func.count().desc())
        )
    )
    shown: list[tuple[str | None, int]] = [
        (district, count) for district, count in by_district if count >= SMALL_GROUP and district
    ]
    pooled = sum(count for district, count in by_district if count < SMALL_GROUP or not district)
    if pooled:
        shown.append((None, pooled))
    active = await session.scalar(select(func.count()).where(TelegramAccount.last_seen_at >= since))
    muted = await session.scalar(
        select(func.count()).where(linked, TelegramAccount.notices_muted.is_(True))
    )
    recent = select(Broadcast.id).where(Broadcast.created_at >= since)
    broadcasts = await session.scalar(select(func.count()).select_from(recent.subquery()))
    outcome_rows = await session.execute(
        select(Broadcast.kind, BroadcastDelivery.status, func.count())
        .join(Broadcast, Broadcast.id == BroadcastDelivery.broadcast_id)
        .where(Broadcast.created_at >= since)
        .group_by(Broadcast.kind, BroadcastDelivery.status)
    )
    sent = {kind: 0 for kind in BroadcastKind}
    attempted = 0
    for kind, status, count in outcome_rows:
        if status == DeliveryStatus.SENT:
            sent[BroadcastKind(kind)] += count
        if status in (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.UNREACHABLE):
            attempted += count
    answers = await session.scalar(
        select(func.count())
        .select_from(AlertResponse)
        .join(Broadcast, Broadcast.id == AlertResponse.broadcast_id)
        .where(Broadcast.created_at >= since)
    )
    alerts_sent = sent[BroadcastKind.CONTACT_ALERT] + sent[BroadcastKind.PLACE_ALERT]
    return Statistics(
        linked_total=sum(count for _, count in by_district),
        linked_by_district=shown,
        active_users=int(active or 0),
        muted_users=int(muted or 0),
        broadcasts=int(broadcasts or 0),
        notices_sent=sent[BroadcastKind.NOTICE],
        alerts_sent=alerts_sent,
        reach_percent=_percent(sum(sent.values()), attempted),
        response_percent=_percent(int(answers or 0), alerts_sent),
    )
