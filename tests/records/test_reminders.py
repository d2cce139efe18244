"""Reminders from the database: timing, quiet hours, cancellations, exactly once."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.db.models import Appointment, Citizen, ReminderDelivery, TelegramAccount
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.reminder_schedule import ReminderKind
from bot.records.reminders import (
    DueReminder,
    claim,
    due_reminders,
    mark_sent,
    release,
    set_reminders,
)
from bot.settings import SUPPORTED_LOCALES
from bot.views.reminders import reminder_message, reminders_setting
from tests.factories import make_account, make_citizen
from tests.records.factories import make_appointment, make_coverage, make_facility

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H24, H2 = ReminderKind.APPOINTMENT_24H, ReminderKind.APPOINTMENT_2H
CARD30, CARD7 = ReminderKind.CARD_30D, ReminderKind.CARD_7D


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """An aware moment in Vietnam, 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


async def _linked_citizen(db: Database, telegram_user_id: int = 9001, **account: Any) -> int:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        await make_account(
            session, telegram_user_id, citizen_id=citizen.id, language="km", **account
        )
        return citizen.id


async def _appointment(db: Database, citizen_id: int, start: datetime, **overrides: object) -> int:
    async with db.unit_of_work() as session:
        facility = await make_facility(session, "Bệnh viện Năm Căn")
        citizen = await session.get(Citizen, citizen_id)
        assert citizen is not None
        return (await make_appointment(session, citizen, facility, start, **overrides)).id


async def _due(db: Database, now: datetime) -> list[DueReminder]:
    async with db.unit_of_work() as session:
        return await due_reminders(session, now)


async def _send_all(db: Database, now: datetime) -> list[ReminderKind]:
    """What one run of a sender delivers at `now` (claim, then mark sent, each committed)."""
    sent = []
    for reminder in await _due(db, now):
        async with db.unit_of_work() as session:
            taken = await claim(session, reminder.delivery_id, now)
        if taken:
            async with db.unit_of_work() as session:
                assert await mark_sent(session, reminder.delivery_id, now)
            sent.append(reminder.kind)
    return sent


async def test_24_and_2_hours_ahead_once_each_even_after_a_restart(
    db: Database, catalogs: Catalogs
) -> None:
    citizen_id = await _linked_citizen(db)
    start = local(27, 15)
    appointment_id = await _appointment(db, citizen_id, start)
    assert await _send_all(db, local(26, 14, 59)) == []
    due = await _due(db, local(26, 15))
    assert [(r.kind, r.recipient.telegram_user_id, r.recipient.locale) for r in due] == [
        (H24, 9001, "km")
    ]
    assert due[0].appointment is not None and due[0].appointment.appointment_id == appointment_id
    assert due[0].appointment.facility == "Bệnh viện Năm Căn"
    for locale in SUPPORTED_LOCALES:
        reply = reminder_message(catalogs.get(locale), due[0], local(26, 15))
        assert "Bệnh viện Năm Căn" in reply.text
    assert (
        "appointment tomorrow" in reminder_message(catalogs.get("en"), due[0], local(26, 15)).text
    )
    assert await _send_all(db, local(26, 15)) == [H24]
    assert await _send_all(db, local(26, 15, 1)) == []
    assert await _send_all(db, local(27, 12, 59)) == []
    assert await _send_all(db, local(27, 13)) == [H2]
    restarted = Database(db.url)  # another process, or the same one after a restart
    try:
        assert await _send_all(restarted, local(27, 13, 5)) == []
        async with restarted.unit_of_work() as session:
            rows = await session.scalar(select(func.count()).select_from(ReminderDelivery))
        assert rows == 2
    finally:
        await restarted.dispose()


async def test_quiet_hours_defer_to_seven_unless_same_day(db: Database, catalogs: Catalogs) -> None:
    citizen_id = await _linked_citizen(db)
    await _appointment(db, citizen_id, local(27, 22))  # 24 h reminder would be 22:00 the day before
    await _appointment(db, citizen_id, local(28, 7, 30))  # 2 h reminder at 05:30 the same day
    assert await _send_all(db, local(26, 22)) == []
    assert await _send_all(db, local(27, 6, 59)) == []
    [deferred] = await _due(db, local(27, 7))
    text = reminder_message(catalogs.get("en"), deferred, local(27, 7)).text
    assert "appointment today" in text  # the deferred 24-hour reminder falls on the day itself
    assert await _send_all(db, local(27, 7)) == [H24]
    assert await _send_all(db, local(27, 7, 30)) == [H24]
    assert await _send_all(db, local(27, 20)) == [H2]
    assert await _send_all(db, local(28, 5, 29)) == []
    assert await _send_all(db, local(28, 5, 30)) == [H2]


async def test_booked_late_gets_only_the_2_hour_reminder(db: Database) -> None:
    citizen_id = await _linked_citizen(db)
    await _appointment(db, citizen_id, local(26, 11, 30))
    assert await _send_all(db, local(26, 10)) == [H2]
    assert await _send_all(db, local(26, 11)) == []


async def test_no_reminder_for_an_appointment_cancelled_after_scheduling(db: Database) -> None:
    citizen_id = await _linked_citizen(db)
    appointment_id = await _appointment(db, citizen_id, local(27, 15))
    due = await _due(db, local(26, 15))
    assert [r.kind for r in due] == [H24]
    async with db.unit_of_work() as session:
        await session.execute(
            update(Appointment).where(Appointment.id == appointment_id).values(status="cancelled")
        )
    async with db.unit_of_work() as session:
        assert not await claim(session, due[0].delivery_id, local(26, 15))  # listed, then cancelled
    assert await _send_all(db, local(26, 15, 1)) == []
    assert await _send_all(db, local(27, 13)) == []
    assert await _due(db, local(26, 14)) == []


async def test_two_processes_claiming_at_once_send_exactly_once(db: Database) -> None:
    citizen_id = await _linked_citizen(db)
    await _appointment(db, citizen_id, local(27, 15))
    now = local(26, 15)
    [reminder] = await _due(db, now)
    other = Database(db.url)

    async def claim_in(database: Database) -> bool:
        async with database.unit_of_work() as session:
            return await claim(session, reminder.delivery_id, now)

    try:
        results = await asyncio.gather(claim_in(db), claim_in(other), claim_in(other), claim_in(db))
    finally:
        await other.dispose()
    assert sorted(results) == [False, False, False, True]


async def test_a_claim_expires_after_the_lease_and_release_gives_it_back(db: Database) -> None:
    citizen_id = await _linked_citizen(db)
    await _appointment(db, citizen_id, local(27, 15))
    now = local(26, 15)
    [reminder] = await _due(db, now)
    async with db.unit_of_work() as session:
        assert await claim(session, reminder.delivery_id, now)
    assert (
        await _due(db, now + timedelta(minutes=1)) == []
    )  # claimed by a process that may still send
    async with db.unit_of_work() as session:
        assert not await claim(session, reminder.delivery_id, now + timedelta(minutes=1))
        assert await claim(
            session, reminder.delivery_id, now + timedelta(minutes=6)
        )  # that process died
        await release(session, reminder.delivery_id)
        assert await claim(session, reminder.delivery_id, now + timedelta(minutes=7))
        assert await mark_sent(session, reminder.delivery_id, now + timedelta(minutes=7))
        assert not await mark_sent(session, reminder.delivery_id, now + timedelta(minutes=8))
        attempts = await session.scalar(
            select(ReminderDelivery.attempts).where(ReminderDelivery.id == reminder.delivery_id)
        )
    assert attempts == 3


async def test_only_linked_consenting_accounts_with_reminders_on(
    db: Database, catalogs: Catalogs
) -> None:
    enabled = await _linked_citizen(db, 1)
    no_consent = await _linked_citizen(db, 2, consented_at=None)
    switched_off = await _linked_citizen(db, 3, reminders_enabled=False)
    blocked = await _linked_citizen(db, 4, blocked_at=local(1, 8))
    async with db.unit_of_work() as session:
        unlinked = (await make_citizen(session)).id
    for citizen_id in (enabled, no_consent, switched_off, blocked, unlinked):
        await _appointment(db, citizen_id, local(27, 15))
    due = await _due(db, local(26, 15))
    assert [r.recipient.telegram_user_id for r in due] == [1]
    async with db.unit_of_work() as session:
        assert await set_reminders(session, 1, False)
        assert await set_reminders(session, 3, True)
        assert not await set_reminders(session, 404, True)
    async with db.unit_of_work() as session:
        assert not await claim(session, due[0].delivery_id, local(26, 15))  # turned off meanwhile
    assert [r.recipient.telegram_user_id for r in await _due(db, local(26, 15, 1))] == [3]
    async with db.unit_of_work() as session:
        assert (await session.get(TelegramAccount, 1)).reminders_enabled is False  # type: ignore[union-attr]
    assert "Reminders are off" in reminders_setting(catalogs.get("en"), False).text


async def test_card_expiry_reminders_30_and_7_days_ahead_once_each(
    db: Database, catalogs: Catalogs
) -> None:
    citizen_id = await _linked_citizen(db)
    async with db.unit_of_work() as session:
        citizen = await session.get(Citizen, citizen_id)
        assert citizen is not None
        await make_coverage(session, citizen, date(2026, 12, 30), card_number="HS4960987654321")
    assert await _send_all(db, local(30, 8, 59)) == []
    due = await _due(db, local(30, 9))
    assert [r.kind for r in due] == [CARD30]
    assert due[0].card is not None and due[0].card.valid_to == date(2026, 12, 30)
    for locale in SUPPORTED_LOCALES:
        text = reminder_message(catalogs.get(locale), due[0], local(30, 9)).text
        assert (
            "4321" in text and "987654" not in text
        )  # the card number is masked in a push message
    assert "in 30 days" in reminder_message(catalogs.get("en"), due[0], local(30, 9)).text
    assert await _send_all(db, local(30, 9)) == [CARD30]
    assert await _send_all(db, local(2, 9, month=12)) == []
    assert await _send_all(db, local(22, 23, month=12)) == []
    assert await _send_all(db, local(23, 8, month=12)) == []
    assert await _send_all(db, local(23, 9, month=12)) == [CARD7]
    assert await _send_all(db, local(29, 9, month=12)) == []


async def test_no_card_reminder_once_renewed_or_in_the_night(db: Database) -> None:
    citizen_id = await _linked_citizen(db)
    async with db.unit_of_work() as session:
        citizen = await session.get(Citizen, citizen_id)
        assert citizen is not None
        await make_coverage(session, citizen, date(2026, 12, 30))
    assert await _send_all(db, local(30, 22)) == []  # quiet hours: waits for the morning
    async with db.unit_of_work() as session:
        citizen = await session.get(Citizen, citizen_id)
        assert citizen is not None
        await make_coverage(session, citizen, date(2027, 12, 30), card_number="DN4960000000001")
    assert await _send_all(db, local(1, 9, month=12)) == []
