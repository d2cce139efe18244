"""Reminders kept in the database, so each goes out exactly once across restarts and processes.

A sender (a job in each bot process, say every minute) runs each step in its own unit of
work, committing between them:

    due = await due_reminders(session, now)                 # schedules new rows, lists due ones
    for reminder in due:
        if await claim(session, reminder.delivery_id, now):   # commit before sending
            send it, then mark_sent(...) -- or release(...) when sending failed

`claim` is one conditional UPDATE checked by its row count: only one process can take a
reminder, and a claim left by a crashed process expires after the lease (that process may
then have sent it; nothing can tell). Reminders go to the account linked to the citizen
with consent given, reminders on and the bot not blocked; an expired sign-in session does
not stop them (they carry no clinical detail, and /reminders turns them off). The claim
re-checks that the appointment is still booked and ahead, and that the card was not
renewed, so nothing goes out for an appointment cancelled after it was scheduled.
Timing rules: `bot.records.reminder_schedule`. Children's appointments are not reminded
(the reminder goes to the citizen's own account only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Appointment, Coverage, ReminderDelivery, TelegramAccount
from bot.i18n import resolve_locale
from bot.records.appointments import (
    BOOKED,
    AppointmentItem,
    appointment_from_row,
    appointment_select,
)
from bot.records.reminder_schedule import (
    ReminderKind,
    appointment_reminder_deliverable,
    card_reminder_deliverable,
)
from bot.records.reminder_store import (
    APPOINTMENT_KINDS,
    CARD_KINDS,
    not_renewed,
    recipient_of,
    schedule_appointment_reminders,
    schedule_card_reminders,
)

DEFAULT_LEASE = timedelta(minutes=5)
APPOINTMENT_MAX_LATENESS = timedelta(hours=25)
CARD_MAX_LATENESS = timedelta(days=31)
"""Older unsent rows (dropped 24-hour reminders, cancelled appointments) are never looked at."""


@dataclass(frozen=True)
class Recipient:
    """Where a reminder goes and in which language."""

    telegram_user_id: int
    chat_id: int
    locale: str


@dataclass(frozen=True)
class CardReminderFacts:
    """What a card expiry reminder is about."""

    coverage_id: int
    card_number: str
    valid_to: date


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send now; exactly one of `appointment` and `card` is set."""

    delivery_id: int
    kind: ReminderKind
    due_at: datetime
    citizen_id: int
    recipient: Recipient
    appointment: AppointmentItem | None = None
    card: CardReminderFacts | None = None


def _account_columns() -> tuple[Any, ...]:
    a = TelegramAccount
    return (a.telegram_user_id, a.chat_id, a.language, a.telegram_language_code)


def _recipient(row: Any) -> Recipient:
    locale = resolve_locale(row.language, row.telegram_language_code)
    return Recipient(row.telegram_user_id, row.chat_id, locale)


def _claimable(now: datetime, lease: timedelta) -> Any:
    return and_(
        ReminderDelivery.sent_at.is_(None),
        ReminderDelivery.due_at <= now,
        or_(ReminderDelivery.claimed_at.is_(None), ReminderDelivery.claimed_at < now - lease),
    )


async def _due_appointment_reminders(
    session: AsyncSession, now: datetime, lease: timedelta, limit: int
) -> list[DueReminder]:
    delivery = ReminderDelivery
    rows = await session.execute(
        appointment_select(
            delivery.id.label("delivery_id"),
            delivery.kind,
            delivery.due_at,
            Appointment.citizen_id,
            *_account_columns(),
        )
        .join(
            delivery,
            and_(delivery.object_id == Appointment.id, delivery.kind.in_(APPOINTMENT_KINDS)),
        )
        .join(TelegramAccount, recipient_of(Appointment.citizen_id))
        .where(
            _claimable(now, lease),
            delivery.due_at > now - APPOINTMENT_MAX_LATENESS,
            Appointment.status == BOOKED,
            Appointment.start > now,
        )
        .order_by(delivery.due_at, delivery.id)
        .limit(limit)
    )
    return [
        DueReminder(
            row.delivery_id,
            ReminderKind(row.kind),
            row.due_at,
            row.citizen_id,
            _recipient(row),
            appointment=appointment_from_row(row),
        )
        for row in rows
        if appointment_reminder_deliverable(ReminderKind(row.kind), row.start, now)
    ]


async def _due_card_reminders(
    session: AsyncSession, now: datetime, lease: timedelta, limit: int
) -> list[DueReminder]:
    delivery = ReminderDelivery
    rows = await session.execute(
        select(
            delivery.id.label("delivery_id"),
            delivery.kind,
            delivery.due_at,
            Coverage.id.label("coverage_id"),
            Coverage.citizen_id,
            Coverage.card_number,
            Coverage.valid_to,
            *_account_columns(),
        )
        .join(Coverage, and_(Coverage.id == delivery.object_id, delivery.kind.in_(CARD_KINDS)))
        .join(TelegramAccount, recipient_of(Coverage.citizen_id))
        .where(
            _claimable(now, lease),
            delivery.due_at > now - CARD_MAX_LATENESS,
            not_renewed(Coverage),
        )
        .order_by(delivery.due_at, delivery.id)
        .limit(limit)
    )
    return [
        DueReminder(
            row.delivery_id,
            ReminderKind(row.kind),
            row.due_at,
            row.citizen_id,
            _recipient(row),
            card=CardReminderFacts(row.coverage_id, row.card_number, row.valid_to),
        )
        for row in rows
        if card_reminder_deliverable(ReminderKind(row.kind), row.valid_to, now)
    ]


async def due_reminders(
    session: AsyncSession, now: datetime, *, lease: timedelta = DEFAULT_LEASE, limit: int = 500
) -> list[DueReminder]:
    """Schedule what is new, then list the reminders to send now, the earliest due first."""
    await schedule_appointment_reminders(session, now)
    await schedule_card_reminders(session, now)
    appointments = await _due_appointment_reminders(session, now, lease, limit)
    cards = await _due_card_reminders(session, now, lease, limit)
    return sorted([*appointments, *cards], key=lambda due: (due.due_at, due.delivery_id))


def _still_wanted(now: datetime) -> Any:
    """Recipient still wants reminders; appointment still booked and ahead, or card not renewed."""
    booked = exists().where(
        Appointment.id == ReminderDelivery.object_id,
        Appointment.status == BOOKED,
        Appointment.start > now,
    )
    card = exists().where(Coverage.id == ReminderDelivery.object_id, not_renewed(Coverage))
    return and_(
        exists().where(recipient_of(ReminderDelivery.citizen_id)),
        or_(
            and_(ReminderDelivery.kind.in_(APPOINTMENT_KINDS), booked),
            and_(ReminderDelivery.kind.in_(CARD_KINDS), card),
        ),
    )


async def claim(
    session: AsyncSession, delivery_id: int, now: datetime, lease: timedelta = DEFAULT_LEASE
) -> bool:
    """Take a due reminder for sending; True for exactly one caller. Commit before sending."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id, _claimable(now, lease), _still_wanted(now))
        .values(claimed_at=now, attempts=ReminderDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def mark_sent(session: AsyncSession, delivery_id: int, now: datetime) -> bool:
    """Record that a claimed reminder went out; False if it was already marked."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id, ReminderDelivery.sent_at.is_(None))
        .values(sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def release(session: AsyncSession, delivery_id: int) -> None:
    """Give a claimed reminder back after a failed send, so the next run retries it."""
    await session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.id == delivery_id, ReminderDelivery.sent_at.is_(None))
        .values(claimed_at=None)
        .execution_options(synchronize_session=False)
    )


async def set_reminders(session: AsyncSession, telegram_user_id: int, enabled: bool) -> bool:
    """Turn a user's reminders on or off; False when the user has no account yet."""
    result = await session.execute(
        update(TelegramAccount)
        .where(TelegramAccount.telegram_user_id == telegram_user_id)
        .values(reminders_enabled=enabled)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
