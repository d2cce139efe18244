"""The tracers' CSV: answers to an alert, and the named contacts the bot could not reach."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.kinds import BroadcastKind, DeliveryStatus
from bot.db.models import AlertResponse, Broadcast, BroadcastDelivery, Citizen, CitizenPhone
from bot.staff.audit import audit

EXPORT_COLUMNS = (
    "category",
    "delivery_id",
    "national_id",
    "full_name",
    "phone",
    "answer_or_reason",
    "answered_at_utc",
    "phone_shared",
)


async def _phones(session: AsyncSession, citizen_ids: set[int]) -> dict[int, str]:
    phones: dict[int, str] = {}
    if citizen_ids:
        rows = await session.execute(
            select(CitizenPhone.citizen_id, CitizenPhone.e164)
            .where(CitizenPhone.citizen_id.in_(citizen_ids))
            .order_by(CitizenPhone.id)
        )
        for citizen_id, e164 in rows:
            phones.setdefault(citizen_id, e164)
    return phones


async def export_csv(
    session: AsyncSession,
    broadcast_id: int,
    *,
    now: datetime,
    actor_kind: str,
    actor_telegram_id: int | None,
) -> tuple[str, int] | None:
    """The tracers' CSV: every answer, and the named contacts the bot could not reach.

    Names and numbers appear only where the health team needs them: a responder's identity and
    phone when they agreed to share it (or were named by the team), and the phone on record of a
    named contact who could not be reached through the bot. Returns the text and its row count.
    """
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or not BroadcastKind(broadcast.kind).is_alert:
        return None
    named = BroadcastKind(broadcast.kind) is BroadcastKind.CONTACT_ALERT
    answered = (
        await session.execute(
            select(
                AlertResponse, BroadcastDelivery.national_id, Citizen.full_name, Citizen.national_id
            )
            .join(BroadcastDelivery, BroadcastDelivery.id == AlertResponse.delivery_id)
            .outerjoin(Citizen, Citizen.id == AlertResponse.citizen_id)
            .where(AlertResponse.broadcast_id == broadcast_id)
            .order_by(AlertResponse.delivery_id)
        )
    ).all()
    unreached = (
        (
            await session.execute(
                select(BroadcastDelivery, Citizen.full_name)
                .outerjoin(Citizen, Citizen.id == BroadcastDelivery.citizen_id)
                .where(
                    BroadcastDelivery.broadcast_id == broadcast_id,
                    BroadcastDelivery.status.in_(
                        [DeliveryStatus.UNREACHABLE.value, DeliveryStatus.FAILED.value]
                    ),
                )
                .order_by(BroadcastDelivery.id)
            )
        ).all()
        if named
        else []
    )
    phones = await _phones(
        session,
        {r.citizen_id for r, *_ in answered if r.citizen_id and r.phone_shared}
        | {d.citizen_id for d, _ in unreached if d.citizen_id},
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for response, listed_id, name, citizen_national_id in answered:
        identified = named or bool(response.phone_shared)
        writer.writerow(
            [
                "response",
                response.delivery_id,
                (listed_id or citizen_national_id or "") if identified else "",
                (name or "") if identified else "",
                phones.get(response.citizen_id or 0, "") if response.phone_shared else "",
                response.answer,
                response.answered_at.strftime("%Y-%m-%d %H:%M:%S"),
                {True: "yes", False: "no", None: ""}[response.phone_shared],
            ]
        )
    for delivery, name in unreached:
        writer.writerow(
            [
                "unreachable",
                delivery.id,
                delivery.national_id or "",
                name or "",
                phones.get(delivery.citizen_id or 0, ""),
                delivery.reason or delivery.status,
                "",
                "",
            ]
        )
    rows = len(answered) + len(unreached)
    await audit(
        session,
        at=now,
        actor_kind=actor_kind,
        actor_telegram_id=actor_telegram_id,
        action="alert.export",
        outcome="ok",
        detail=f"broadcast={broadcast_id} rows={rows}",
    )
    return buffer.getvalue(), rows
