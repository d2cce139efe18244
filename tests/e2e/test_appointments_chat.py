"""/appointments through the chat: order, calendar files, cancelling with confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta

import pytest

from bot.db.models import Appointment, Citizen
from tests.e2e_record_support import (
    audit_entries,
    callbacks,
    say,
    signed_in_user,
    tap_for_edit,
    tap_for_messages,
)
from tests.e2e_support import RunningBot
from tests.factories import make_citizen
from tests.records.factories import make_appointment, make_facility

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Diary:
    """A citizen's appointments: three upcoming (soonest first), one cancelled, seven past."""

    citizen: Citizen
    upcoming: tuple[Appointment, ...]
    cancelled: Appointment


async def _diary(bot: RunningBot) -> Diary:
    now = bot.clock.now()
    async with bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        hospital = await make_facility(
            session, "Bệnh viện Đa khoa Cà Mau", address="16 Hải Thượng Lãn Ông, Phường 6"
        )
        later = await make_appointment(session, citizen, hospital, now + timedelta(days=3), reason="Khám mắt")
        soonest = await make_appointment(
            session, citizen, hospital, now + timedelta(days=1, minutes=30), reason="Tái khám tiểu đường"
        )
        pending = await make_appointment(
            session, citizen, hospital, now + timedelta(days=10), status="pending", reason="Siêu âm bụng"
        )
        cancelled = await make_appointment(
            session, citizen, hospital, now + timedelta(days=2), status="cancelled", reason="Đã huỷ trước"
        )
        for number in range(1, 8):
            clinic = await make_facility(session, f"Phòng khám số {number}")
            status = "noshow" if number == 2 else "fulfilled"
            await make_appointment(session, citizen, clinic, now - timedelta(days=10 * number), status=status)
    return Diary(citizen, (soonest, later, pending), cancelled)


async def test_upcoming_soonest_first_then_the_last_five_past(running_bot: RunningBot) -> None:
    diary = await _diary(running_bot)
    user, _ = await signed_in_user(running_bot, diary.citizen)
    [message] = await say(running_bot, user, "/appointments")
    text = message.text or ""
    assert text.index("Tái khám tiểu đường") < text.index("Khám mắt") < text.index("Siêu âm bụng")
    assert "awaiting confirmation" in text
    assert "Đã huỷ trước" not in text, "a cancelled appointment is not upcoming"
    past = text[text.index("Past appointments") :]
    shown = [number for number in range(1, 8) if f"Phòng khám số {number}" in past]
    assert shown == [1, 2, 3, 4, 5]
    assert past.index("Phòng khám số 1") < past.index("Phòng khám số 2")
    assert "missed" in past and "attended" in past
    soonest, later, pending = (item.id for item in diary.upcoming)
    assert callbacks(message)[:6] == [
        f"appt:cancel:{soonest}", f"appt:ics:{soonest}",
        f"appt:cancel:{later}", f"appt:ics:{later}",
        f"appt:cancel:{pending}", f"appt:ics:{pending}",
    ]
    assert message.protect_content


async def test_calendar_file_holds_the_appointment_in_utc(running_bot: RunningBot) -> None:
    diary = await _diary(running_bot)
    soonest = diary.upcoming[0]
    user, _ = await signed_in_user(running_bot, diary.citizen)
    await say(running_bot, user, "/appointments")
    [calendar] = await tap_for_messages(running_bot, user, f"appt:ics:{soonest.id}")
    assert calendar.document is not None
    assert calendar.document.file_name == "appointment-20261127-0930.ics"  # 09:30 in Cà Mau
    lines = calendar.document.content.decode().split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert soonest.start.astimezone(UTC).hour == 2
    assert "DTSTART:20261127T023000Z" in lines  # 09:30 in Cà Mau is 02:30 UTC
    assert "DTEND:20261127T030000Z" in lines
    assert "SUMMARY:Medical appointment: Bệnh viện Đa khoa Cà Mau" in lines
    assert any(line.startswith("LOCATION:Bệnh viện Đa khoa Cà Mau\\, 16 Hải Thượng") for line in lines)


async def test_cancelling_asks_first_then_stores_and_audits(running_bot: RunningBot) -> None:
    diary = await _diary(running_bot)
    later = diary.upcoming[1]
    user, _ = await signed_in_user(running_bot, diary.citizen)
    [message] = await say(running_bot, user, "/appointments")

    question = await tap_for_edit(running_bot, user, f"appt:cancel:{later.id}", message)
    assert "Do you want to cancel this appointment?" in question.text and "Khám mắt" in question.text
    assert callbacks(question) == [f"appt:cancelok:{later.id}", "appt:list"]
    kept = await tap_for_edit(running_bot, user, "appt:list", message)
    assert "Khám mắt" in kept.text
    async with running_bot.db.unit_of_work() as session:
        assert (await session.get(Appointment, later.id)).status == "booked"  # type: ignore[union-attr]

    await tap_for_edit(running_bot, user, f"appt:cancel:{later.id}", message)
    done = await tap_for_edit(running_bot, user, f"appt:cancelok:{later.id}", message)
    assert "The appointment is cancelled" in done.text and "Khám mắt" in done.text
    async with running_bot.db.unit_of_work() as session:
        stored = await session.get(Appointment, later.id)
        assert stored is not None and stored.status == "cancelled"
        assert stored.cancelled_at == running_bot.clock.now()
        assert stored.cancelled_by_telegram_id == user.id
    [audit] = await audit_entries(running_bot.db, action="appointment_cancel")
    assert (audit.actor_telegram_id, audit.actor_citizen_id) == (user.id, diary.citizen.id)
    assert (audit.subject_citizen_id, audit.outcome) == (diary.citizen.id, "success")

    listing = await tap_for_edit(running_bot, user, "appt:list", message)
    assert "Khám mắt" not in listing.text
    assert f"appt:cancel:{later.id}" not in callbacks(listing)
