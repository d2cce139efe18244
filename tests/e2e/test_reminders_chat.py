"""Reminders with a fake clock: each goes out once, at its time, across a restart; none when cancelled.

The reminder sender runs as a job every minute; here the tests call it at chosen fake times
(`send_due_reminders`) and switch the periodic job off so each send is the test's own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.app import services_of
from bot.db.models import Appointment, Citizen, TelegramAccount
from bot.emulator.driver import EmulatedUser
from handlers.reminder_job import send_due_reminders
from tests.e2e_record_support import callbacks, say, signed_in_user, tap_for_edit, tap_for_messages
from tests.e2e_support import RunningBot
from tests.factories import make_citizen
from tests.records.factories import make_appointment, make_coverage, make_facility, make_guardian_with_child

pytestmark = pytest.mark.e2e


def _utc(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def _quiet_job(bot: RunningBot) -> None:
    """Switch off the every-minute job so only the test's calls send reminders."""
    assert bot.application is not None and bot.application.job_queue is not None
    for job in bot.application.job_queue.get_jobs_by_name("reminders"):
        job.enabled = False


async def _restart(bot: RunningBot) -> None:
    await bot.restart()
    await _quiet_job(bot)


async def _send_at(bot: RunningBot, moment: datetime) -> int:
    """Move the fake clock to `moment` and run the reminder sender once."""
    bot.clock.set(moment)
    assert bot.application is not None
    return await send_due_reminders(bot.application.bot, services_of(bot.application))


async def _chatting(bot: RunningBot, citizen: Citizen, **account: Any) -> EmulatedUser:
    """A user signed in as `citizen` who has written to the bot (so the bot can write to them)."""
    user, _ = await signed_in_user(bot, citizen, **account)
    await say(bot, user, "/start")
    return user


def _reminders(user: EmulatedUser) -> list[str]:
    return [m.text or "" for m in user.messages if "Reminder:" in (m.text or "")]


async def test_appointment_reminders_go_out_once_24_and_2_hours_ahead(running_bot: RunningBot) -> None:
    await _quiet_job(running_bot)
    now = running_bot.clock.now()
    async with running_bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        clinic = await make_facility(session, "Trung tâm Y tế Năm Căn")
        kept = await make_appointment(session, citizen, clinic, _utc(28, 3), reason="Tái khám huyết áp")
        dropped = await make_appointment(session, citizen, clinic, _utc(28, 4), reason="Khám răng")
    user = await _chatting(running_bot, citizen, session_length=timedelta(days=60))
    assert await _send_at(running_bot, now) == 0

    [listing] = await say(running_bot, user, "/appointments")  # cancelled in the chat
    await tap_for_edit(running_bot, user, f"appt:cancel:{dropped.id}", listing)
    await tap_for_edit(running_bot, user, f"appt:cancelok:{dropped.id}", listing)
    assert _reminders(user) == []

    assert await _send_at(running_bot, _utc(27, 2, 59)) == 0
    assert await _send_at(running_bot, _utc(27, 3)) == 1  # 24 hours ahead, 10:00 in Cà Mau
    [first] = _reminders(user)
    assert "appointment tomorrow" in first and "Tái khám huyết áp" in first
    assert "Trung tâm Y tế Năm Căn" in first
    assert user.messages[-1].protect_content
    assert callbacks(user.messages[-1]) == [f"appt:ics:{kept.id}", f"appt:cancel:{kept.id}", "rem:off"]
    assert await _send_at(running_bot, _utc(27, 3, 1)) == 0
    await _restart(running_bot)
    assert await _send_at(running_bot, _utc(27, 3, 2)) == 0
    assert len(_reminders(user)) == 1

    assert await _send_at(running_bot, _utc(28, 0, 59)) == 0
    assert await _send_at(running_bot, _utc(28, 1)) == 1  # 2 hours ahead
    assert "appointment today" in _reminders(user)[-1]
    await _restart(running_bot)
    assert await _send_at(running_bot, _utc(28, 1, 5)) == 0
    assert await _send_at(running_bot, _utc(28, 2, 30)) == 0
    reminders = _reminders(user)
    assert len(reminders) == 2 and not any("Khám răng" in text for text in reminders)


async def test_a_reminder_due_at_night_waits_until_seven(running_bot: RunningBot) -> None:
    await _quiet_job(running_bot)
    async with running_bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        await make_appointment(session, citizen, None, _utc(27, 15), reason="Khám buổi tối")  # 22:00 local
    user = await _chatting(running_bot, citizen)
    assert await _send_at(running_bot, _utc(26, 15)) == 0  # 22:00: 24 hours ahead, but night
    assert await _send_at(running_bot, _utc(26, 23, 59)) == 0  # 06:59
    assert await _send_at(running_bot, _utc(27, 0)) == 1  # 07:00
    assert "appointment today" in _reminders(user)[0]
    assert await _send_at(running_bot, _utc(27, 12, 59)) == 0
    assert await _send_at(running_bot, _utc(27, 13)) == 1  # 20:00, two hours ahead
    assert len(_reminders(user)) == 2


async def test_card_expiry_reminders_go_out_once_30_and_7_days_ahead(running_bot: RunningBot) -> None:
    await _quiet_job(running_bot)
    async with running_bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        await make_coverage(session, citizen, date(2027, 1, 5), card_number="DN4960123456789")
    user = await _chatting(running_bot, citizen, session_length=timedelta(days=90))
    assert await _send_at(running_bot, _utc(6, 1, 59, month=12)) == 0
    assert await _send_at(running_bot, _utc(6, 2, month=12)) == 1  # 09:00, 30 days before
    [thirty] = _reminders(user)
    assert "(in 30 days)" in thirty and "•••••••••••6789" in thirty and "DN4960123456789" not in thirty
    assert callbacks(user.messages[-1]) == ["ins:show", "rem:off"]
    await _restart(running_bot)
    assert await _send_at(running_bot, _utc(6, 3, month=12)) == 0
    assert await _send_at(running_bot, _utc(28, 12, month=12)) == 0
    assert await _send_at(running_bot, _utc(29, 2, month=12)) == 1  # 7 days before
    assert "(in 7 days)" in _reminders(user)[-1]
    await _restart(running_bot)
    assert await _send_at(running_bot, _utc(3, 2, month=1, year=2027)) == 0
    assert len(_reminders(user)) == 2


async def test_turning_reminders_off_from_a_reminder_works_after_the_session_ended(
    running_bot: RunningBot,
) -> None:
    await _quiet_job(running_bot)
    async with running_bot.db.unit_of_work() as session:
        citizen = await make_citizen(session)
        await make_coverage(session, citizen, date(2027, 1, 5))
    user = await _chatting(running_bot, citizen, session_length=timedelta(days=5))
    assert await _send_at(running_bot, _utc(6, 2, month=12)) == 1  # the session ended on 1 December
    [reminder] = await user.wait_for_messages(1)
    [answer] = await tap_for_messages(running_bot, user, "rem:off", message=reminder)
    assert "Reminders are off" in answer.text and callbacks(answer) == ["rem:on"]
    assert reminder.edited == 0, "the reminder itself stays readable"
    assert await _send_at(running_bot, _utc(29, 2, month=12)) == 0
    assert len(_reminders(user)) == 1
    async with running_bot.db.unit_of_work() as session:
        account = await session.get(TelegramAccount, user.id)
        assert account is not None and account.reminders_enabled is False
    [state] = await say(running_bot, user, "/reminders")
    assert "Reminders are off" in state.text
    [on] = await say(running_bot, user, "/reminders on")
    assert "Reminders are on" in on.text and callbacks(on) == ["rem:off"]


async def test_a_reminder_telegram_refuses_does_not_hold_up_the_others(running_bot: RunningBot) -> None:
    await _quiet_job(running_bot)
    async with running_bot.db.unit_of_work() as session:
        gone, blocked, waiting = [await make_citizen(session) for _ in range(3)]
        for citizen in (gone, blocked, waiting):
            await make_coverage(session, citizen, date(2027, 1, 5))
    await signed_in_user(running_bot, gone)  # never wrote to the bot: "chat not found"
    blocker = await _chatting(running_bot, blocked)
    await blocker.block()
    user = await _chatting(running_bot, waiting)

    assert await _send_at(running_bot, _utc(6, 2, month=12)) == 3
    assert len(_reminders(user)) == 1 and _reminders(blocker) == []
    assert await _send_at(running_bot, _utc(6, 2, 10, month=12)) == 0, "refused ones are not retried"


async def test_a_guardian_viewing_a_childs_record_can_act_on_their_own_reminder(
    running_bot: RunningBot,
) -> None:
    await _quiet_job(running_bot)
    async with running_bot.db.unit_of_work() as session:
        guardian, child = await make_guardian_with_child(session, date(2020, 1, 1))
        own = await make_appointment(session, guardian, None, _utc(27, 3), reason="Khám thai")
    user = await _chatting(running_bot, guardian, acting_for_citizen_id=child.id)
    assert await _send_at(running_bot, _utc(26, 3)) == 1
    [reminder] = await user.wait_for_messages(1)
    await tap_for_edit(running_bot, user, f"appt:cancel:{own.id}", reminder)
    done = await tap_for_edit(running_bot, user, f"appt:cancelok:{own.id}", reminder)
    assert "The appointment is cancelled" in done.text and "Khám thai" in done.text
    async with running_bot.db.unit_of_work() as session:
        stored = await session.get(Appointment, own.id)
        assert stored is not None and stored.status == "cancelled"
