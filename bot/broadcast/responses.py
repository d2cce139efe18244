"""Citizens' answers to alerts, consent to share their phone, and live counts for staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.kinds import ANSWERS_BY_KIND, AlertAnswer, BroadcastKind, DeliveryStatus
from bot.db.models import AlertResponse, Broadcast, BroadcastDelivery
from bot.staff.audit import audit


class AnswerOutcome(StrEnum):
    """The result of pressing an answer button."""

    RECORDED = "recorded"
    NOT_YOURS = "not_yours"  # a forwarded alert pressed by someone else
    UNKNOWN = "unknown"  # no such delivery, or an answer that does not fit the alert


@dataclass(frozen=True)
class AnswerResult:
    """What was recorded, and whether to ask the citizen to share their phone."""

    outcome: AnswerOutcome
    answer: AlertAnswer | None = None
    delivery_id: int | None = None

    @property
    def asks_for_phone(self) -> bool:
        """True when the health team wants to call back."""
        return self.outcome is AnswerOutcome.RECORDED and bool(
            self.answer and self.answer.asks_for_phone
        )


@dataclass(frozen=True)
class AlertCounts:
    """Live numbers of one alert for /alerts."""

    broadcast_id: int
    kind: BroadcastKind
    created_at: datetime
    delivered: int
    unreachable: int
    pending: int
    answers: dict[AlertAnswer, int] = field(default_factory=dict)
    phones_shared: int = 0

    @property
    def answered(self) -> int:
        """How many recipients answered at all."""
        return sum(self.answers.values())


async def _own_delivery(
    session: AsyncSession, delivery_id: int, telegram_user_id: int
) -> tuple[AnswerOutcome, BroadcastDelivery | None, BroadcastKind | None]:
    row = await session.execute(
        select(BroadcastDelivery, Broadcast.kind)
        .join(Broadcast, Broadcast.id == BroadcastDelivery.broadcast_id)
        .where(BroadcastDelivery.id == delivery_id)
    )
    found = row.first()
    if found is None:
        return AnswerOutcome.UNKNOWN, None, None
    delivery, kind = found
    if delivery.telegram_user_id != telegram_user_id:
        return AnswerOutcome.NOT_YOURS, None, None
    return AnswerOutcome.RECORDED, delivery, BroadcastKind(kind)


async def record_answer(
    session: AsyncSession,
    delivery_id: int,
    telegram_user_id: int,
    answer: AlertAnswer,
    now: datetime,
) -> AnswerResult:
    """Store the citizen's answer (a later press replaces an earlier one)."""
    outcome, delivery, kind = await _own_delivery(session, delivery_id, telegram_user_id)
    if delivery is None or kind is None:
        return AnswerResult(outcome)
    if answer not in ANSWERS_BY_KIND[kind]:
        return AnswerResult(AnswerOutcome.UNKNOWN)
    response = await session.scalar(
        select(AlertResponse).where(AlertResponse.delivery_id == delivery_id)
    )
    if response is None:
        response = AlertResponse(
            delivery_id=delivery_id,
            broadcast_id=delivery.broadcast_id,
            citizen_id=delivery.citizen_id,
            answer=answer.value,
            answered_at=now,
        )
        session.add(response)
    else:
        response.answer, response.answered_at = answer.value, now
    await audit(
        session,
        at=now,
        actor_kind="telegram_user",
        actor_telegram_id=telegram_user_id,
        action="alert.answer",
        outcome=answer.value,
        detail=f"broadcast={delivery.broadcast_id} delivery={delivery_id}",
    )
    return AnswerResult(AnswerOutcome.RECORDED, answer, delivery_id)


async def decide_phone_sharing(
    session: AsyncSession, delivery_id: int, telegram_user_id: int, share: bool, now: datetime
) -> AnswerOutcome:
    """Record whether the citizen lets the health team see their phone number."""
    outcome, delivery, _kind = await _own_delivery(session, delivery_id, telegram_user_id)
    if delivery is None:
        return outcome
    response = await session.scalar(
        select(AlertResponse).where(AlertResponse.delivery_id == delivery_id)
    )
    if response is None:
        return AnswerOutcome.UNKNOWN
    response.phone_shared, response.phone_decided_at = share, now
    await audit(
        session,
        at=now,
        actor_kind="telegram_user",
        actor_telegram_id=telegram_user_id,
        action="alert.phone_sharing",
        outcome="shared" if share else "declined",
        detail=f"broadcast={delivery.broadcast_id} delivery={delivery_id}",
    )
    return AnswerOutcome.RECORDED


async def alert_counts(session: AsyncSession, broadcast_id: int) -> AlertCounts | None:
    """Delivered, unreachable and pending counts, and answers by kind."""
    broadcast = await session.get(Broadcast, broadcast_id, populate_existing=True)
    if broadcast is None or not BroadcastKind(broadcast.kind).is_alert:
        return None
    by_status = dict(
        (status, count)
        for status, count in await session.execute(
            select(BroadcastDelivery.status, func.count())
            .where(BroadcastDelivery.broadcast_id == broadcast_id)
            .group_by(BroadcastDelivery.status)
        )
    )
    answers = {
        AlertAnswer(answer): count
        for answer, count in await session.execute(
            select(AlertResponse.answer, func.count())
            .where(AlertResponse.broadcast_id == broadcast_id)
            .group_by(AlertResponse.answer)
        )
    }
    shared = await session.scalar(
        select(func.count()).where(
            AlertResponse.broadcast_id == broadcast_id, AlertResponse.phone_shared.is_(True)
        )
    )
    return AlertCounts(
        broadcast_id=broadcast_id,
        kind=BroadcastKind(broadcast.kind),
        created_at=broadcast.created_at,
        delivered=by_status.get(DeliveryStatus.SENT, 0),
        unreachable=by_status.get(DeliveryStatus.UNREACHABLE, 0)
        + by_status.get(DeliveryStatus.FAILED, 0),
        pending=by_status.get(DeliveryStatus.PENDING, 0) + by_status.get(DeliveryStatus.SENDING, 0),
        answers=answers,
        phones_shared=int(shared or 0),
    )


async def recent_alerts(session: AsyncSession, limit: int = 5) -> list[AlertCounts]:
    """The latest alerts with their live counts, newest first."""
    ids = await session.scalars(
        select(Broadcast.id)
        .where(Broadcast.kind != BroadcastKind.NOTICE.value)
        .order_by(Broadcast.id.desc())
        .limit(limit)
    )
    counts = [await alert_counts(session, broadcast_id) for broadcast_id in list(ids)]
    return [item for item in counts if item is not None]
