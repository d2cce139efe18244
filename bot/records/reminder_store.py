"""Writing the reminder schedule: one `reminder_deliveries` row per reminder, never two.

Rows are added for booked appointments starting within 24 hours and for cards ending within
30 days, in bulk, ignoring rows another process added first (INSERT ... ON CONFLICT DO
NOTHING on the unique kind and object). A row not yet sent follows its appointment when
the appointment is moved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db.models import Appointment, Coverage, ReminderDelivery, TelegramAccount
from bot.records.appointments import BOOKED
from bot.records.common import LOCAL_ZONE, local_date
from bot.records.reminder_schedule import ReminderKind, appointment_reminder_due, card_reminder_due

APPOINTMENT_KINDS = (ReminderKind.APPOINTMENT_24H, ReminderKind.APPOINTMENT_2H)
CARD_KINDS = (ReminderKind.CARD_30D, ReminderKind.CARD_7D)
APPOINTMENT_HORIZON = timedelta(hours=24)
CARD_HORIZON_DAYS = 30
_INSERT_CHUNK = 500

Existing = dict[tuple[str, int], tuple[int, datetime, bool]]
"""(kind, object id) -> (row id, due at, already sent)."""


def recipient_of(citizen_id: Any) -> Any:
    """Join condition: the account that receives reminders for `citizen_id`."""
    return and_(
        TelegramAccount.citizen_id == citizen_id,
        TelegramAccount.consented_at.is_not(None),
        TelegramAccount.reminders_enabled.is_(True),
        TelegramAccount.blocked_at.is_(None),
    )


def not_renewed(coverage: Any) -> Any:
    """The card has not been renewed: no card of the same citizen runs longer."""
    newer = aliased(Coverage)
    return ~exists().where(
        newer.citizen_id == coverage.citizen_id, newer.valid_to > coverage.valid_to
    )


def _row(
    kind: ReminderKind, object_id: int, citizen_id: int, due: datetime, now: datetime
) -> dict[str, Any]:
    return {
        "kind": str(kind),
        "object_id": object_id,
        "citizen_id": citizen_id,
        "due_at": due,
        "attempts": 0,
        "created_at": now,
    }


async def _store(session: AsyncSession, wanted: list[dict[str, Any]], existing: Existing) -> None:
    """Insert missing rows (in key order: concurrent inserts cannot deadlock); move unsent ones."""
    missing = sorted(
        (row for row in wanted if (row["kind"], row["object_id"]) not in existing),
        key=lambda row: (row["kind"], row["object_id"]),
    )
    moved = []
    for row in wanted:
        found = existing.get((row["kind"], row["object_id"]))
        if found is not None and not found[2] and found[1] != row["due_at"]:
            moved.append({"id": found[0], "due_at": row["due_at"]})
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for first in range(0, len(missing), _INSERT_CHUNK):
        statement = insert(ReminderDelivery).values(missing[first : first + _INSERT_CHUNK])
        await session.execute(
            statement.on_conflict_do_nothing(index_elements=["kind", "object_id"])
        )
    if moved:
        await session.execute(update(ReminderDelivery), moved)


async def schedule_appointment_reminders(session: AsyncSession, now: datetime) -> None:
    """Schedule the reminders of booked appointments starting within 24 hours."""
    query = select(Appointment.id, Appointment.citizen_id, Appointment.start).join(
        TelegramAccount, recipient_of(Appointment.citizen_id)
    )
    for kind in APPOINTMENT_KINDS:
        delivery = aliased(ReminderDelivery, name=f"d_{kind}")
        query = query.add_columns(
            delivery.id.label(f"{kind}_id"),
            delivery.due_at.label(f"{kind}_due"),
            delivery.sent_at.label(f"{kind}_sent"),
        ).outerjoin(
            delivery, and_(delivery.kind == str(kind), delivery.object_id == Appointment.id)
        )
    rows = await session.execute(
        query.where(
            Appointment.status == BOOKED,
            Appointment.start > now,
            Appointment.start <= now + APPOINTMENT_HORIZON,
        )
    )
    wanted: list[dict[str, Any]] = []
    existing: Existing = {}
    for row in rows:
        for kind in APPOINTMENT_KINDS:
            due = appointment_reminder_due(kind, row.start)
            wanted.append(_row(kind, row.id, row.citizen_id, due, now))
            row_id = getattr(row, f"{kind}_id")
            if row_id is not None:
                sent = getattr(row, f"{kind}_sent") is not None
                existing[(str(kind), row.id)] = (row_id, getattr(row, f"{kind}_due"), sent)
    await _store(session, wanted, existing)


async def schedule_card_reminders(session: AsyncSession, now: datetime) -> None:
    """Schedule the expiry reminders of cards ending within 30 days and not renewed."""
    today = local_date(now, LOCAL_ZONE)
    delivery = ReminderDelivery
    rows = await session.execute(
        select(
            Coverage.id,
            Coverage.citizen_id,
            Coverage.valid_to,
            delivery.id.label("delivery_id"),
            delivery.kind,
            delivery.due_at,
            delivery.sent_at,
        )
        .join(TelegramAccount, recipient_of(Coverage.citizen_id))
        .outerjoin(delivery, and_(delivery.kind.in_(CARD_KINDS), delivery.object_id == Coverage.id))
        .where(
            Coverage.valid_to >= today,
            Coverage.valid_to <= today + timedelta(days=CARD_HORIZON_DAYS),
            not_renewed(Coverage),
        )
    )
    wanted: dict[tuple[str, int], dict[str, Any]] = {}
    existing: Existing = {}
    for row in rows:
        for kind in CARD_KINDS:
            due = card_reminder_due(kind, row.valid_to)
            wanted[(str(kind), row.id)] = _row(kind, row.id, row.citizen_id, due, now)
        if row.delivery_id is not None:
            existing[(row.kind, row.id)] = (row.delivery_id, row.due_at, row.sent_at is not None)
    await _store(session, list(wanted.values()), existing)
