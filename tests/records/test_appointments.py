"""Appointments: ordering, the cancellation rules and their audit trail."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.models import Appointment, AuditEntry
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.appointments import CancelOutcome, appointments_overview, cancel_appointment
from bot.records.callbacks import Callback, CallbackAction, parse_callback
from bot.settings import SUPPORTED_LOCALES
from bot.views.appointments import appointments as render_appointments
from bot.views.appointments import cancel_confirmation, cancel_result
from tests.factories import make_citizen
from tests.records.factories import NOW, make_appointment, make_facility


async def test_upcoming_soonest_first_and_last_five_past_newest_first(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        hospital = await make_facility(session, "BV <Đa khoa> & Cà Mau")
        later = await make_appointment(session, citizen, hospital, NOW + timedelta(days=9))
        soon = await make_appointment(session, citizen, hospital, NOW + timedelta(hours=3))
        await make_appointment(
            session, citizen, hospital, NOW + timedelta(days=2), status="cancelled"
        )
        past = [
            await make_appointment(
                session, citizen, hospital, NOW - timedelta(days=d), status="fulfilled"
            )
            for d in range(1, 9)
        ]
        overview = await appointments_overview(session, citizen.id, NOW)
    assert [a.appointment_id for a in overview.upcoming.items] == [soon.id, later.id]
    assert [a.appointment_id for a in overview.past] == [p.id for p in past[:5]]
    for locale in SUPPORTED_LOCALES:
        replies = render_appointments(catalogs.get(locale), overview, NOW)
        text = "\n".join(reply.text for reply in replies)
        assert "BV &lt;Đa khoa&gt; &amp; Cà Mau" in text
        assert "Lý Thường Kiệt" in text and "BS. Trần Văn An" in text and "Nhịn ăn sáng" in text
        if (
            locale == "vi"
        ):  # local time (UTC+7) with the weekday: 03:00 UTC + 3 h is 13:00 on a Thursday
            assert "Thứ Năm, 26 tháng 11, 2026 13:00" in text
        callbacks = [parse_callback(b.data) for row in replies[-1].buttons for b in row]
        assert Callback(CallbackAction.CANCEL_ASK, soon.id) in callbacks
        assert Callback(CallbackAction.CALENDAR, later.id) in callbacks


async def test_no_appointments_says_so(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        overview = await appointments_overview(session, citizen.id, NOW)
    text = render_appointments(catalogs.get("en"), overview, NOW)[0].text
    assert "You have no upcoming appointments." in text and "No past appointments recorded." in text


async def test_cancel_is_stored_audited_and_happens_once(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        appointment = await make_appointment(session, citizen, None, NOW + timedelta(days=1))
    async with db.unit_of_work() as session:
        first = await cancel_appointment(session, citizen.id, appointment.id, 5551, NOW)
        second = await cancel_appointment(session, citizen.id, appointment.id, 5551, NOW)
    assert first.outcome is CancelOutcome.CANCELLED
    assert second.outcome is CancelOutcome.ALREADY_CANCELLED
    async with db.unit_of_work() as session:
        stored = await session.get(Appointment, appointment.id)
        audit = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert stored is not None
    assert (stored.status, stored.cancelled_at, stored.cancelled_by_telegram_id) == (
        "cancelled",
        NOW,
        5551,
    )
    assert [(a.action, a.outcome, a.subject_citizen_id, a.actor_telegram_id) for a in audit] == [
        ("appointment_cancel", "success", citizen.id, 5551),
        ("appointment_cancel", "refused", citizen.id, 5551),
    ]
    t = catalogs.get("en")
    assert "is cancelled" in cancel_result(t, first).text
    assert "already cancelled" in cancel_result(t, second).text


async def test_cancel_refuses_other_citizens_past_and_finished_appointments(db: Database) -> None:
    async with db.unit_of_work() as session:
        owner = await make_citizen(session)
        stranger = await make_citizen(session)
        future = await make_appointment(session, owner, None, NOW + timedelta(days=1))
        started = await make_appointment(session, owner, None, NOW)
        done = await make_appointment(
            session, owner, None, NOW + timedelta(hours=1), status="fulfilled"
        )
    async with db.unit_of_work() as session:
        refused = await cancel_appointment(session, stranger.id, future.id, 7, NOW)
        missing = await cancel_appointment(session, owner.id, 999_999, 7, NOW)
        past = await cancel_appointment(session, owner.id, started.id, 7, NOW)
        finished = await cancel_appointment(session, owner.id, done.id, 7, NOW)
    assert refused.outcome is CancelOutcome.NOT_FOUND and refused.appointment is None
    assert missing.outcome is CancelOutcome.NOT_FOUND
    assert past.outcome is CancelOutcome.IN_PAST
    assert finished.outcome is CancelOutcome.NOT_CANCELLABLE
    async with db.unit_of_work() as session:
        untouched = await session.get(Appointment, future.id)
    assert untouched is not None and untouched.status == "booked" and untouched.cancelled_at is None


async def test_confirmation_asks_before_cancelling(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        appointment = await make_appointment(session, citizen, None, NOW + timedelta(days=1))
        overview = await appointments_overview(session, citizen.id, NOW)
    reply = cancel_confirmation(catalogs.get("bn"), overview.upcoming.items[0])
    callbacks = [parse_callback(b.data) for row in reply.buttons for b in row]
    assert callbacks == [
        Callback(CallbackAction.CANCEL_CONFIRM, appointment.id),
        Callback(CallbackAction.APPOINTMENTS),
    ]
