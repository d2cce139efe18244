"""When reminders are due: 24 and 2 hours ahead, quiet hours, same-day exception, card expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.records.reminder_schedule import (
    ReminderKind,
    appointment_reminder_deliverable,
    appointment_reminder_due,
    card_reminder_deliverable,
    card_reminder_due,
    in_quiet_hours,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H24, H2 = ReminderKind.APPOINTMENT_24H, ReminderKind.APPOINTMENT_2H


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.mark.parametrize(
    ("kind", "start", "due"),
    [
        (H24, local(2026, 12, 2, 9), local(2026, 12, 1, 9)),  # plain: 24 hours before
        (H2, local(2026, 12, 2, 9), local(2026, 12, 2, 7)),  # plain: 2 hours before, at 07:00
        (H24, local(2026, 12, 2, 22), local(2026, 12, 2, 7)),  # 22:00 is quiet: deferred to 07:00
        (H24, local(2026, 12, 2, 6, 30), local(2026, 12, 1, 7)),  # 06:30 quiet -> 07:00 that day
        (H2, local(2026, 12, 2, 7, 30), local(2026, 12, 2, 5, 30)),  # same day: sent in quiet hours
        (H2, local(2026, 12, 2, 0, 30), local(2026, 12, 1, 22, 30)),  # 07:00 would be too late
        (H2, local(2026, 12, 2, 23, 0), local(2026, 12, 2, 21, 0)),  # same day evening
    ],
)
def test_appointment_reminder_times(kind: ReminderKind, start: datetime, due: datetime) -> None:
    assert appointment_reminder_due(kind, start.astimezone(UTC)) == due


def test_a_deferred_reminder_still_comes_before_the_appointment() -> None:
    for hour in range(24):
        start = local(2026, 12, 2, hour).astimezone(UTC)
        for kind in (H24, H2):
            due = appointment_reminder_due(kind, start)
            assert due < start
            local_due = due.astimezone(VN)
            if in_quiet_hours(due):
                assert local_due.date() == start.astimezone(VN).date() or start <= local(
                    2026, 12, 2, 7
                )


def test_a_24_hour_reminder_is_dropped_once_the_2_hour_one_is_due() -> None:
    start = local(2026, 12, 2, 15).astimezone(UTC)
    assert appointment_reminder_deliverable(H24, start, local(2026, 12, 2, 9).astimezone(UTC))
    assert not appointment_reminder_deliverable(
        H24, start, local(2026, 12, 2, 13, 5).astimezone(UTC)
    )
    assert appointment_reminder_deliverable(H2, start, local(2026, 12, 2, 13, 5).astimezone(UTC))
    assert not appointment_reminder_deliverable(H2, start, start)


def test_a_late_reminder_waits_for_the_morning_unless_the_appointment_is_that_day() -> None:
    tomorrow_noon = local(2026, 12, 3, 12).astimezone(UTC)
    late_evening = local(2026, 12, 2, 22).astimezone(UTC)
    assert not appointment_reminder_deliverable(H24, tomorrow_noon, late_evening)
    assert appointment_reminder_deliverable(
        H2, local(2026, 12, 2, 23, 30).astimezone(UTC), late_evening
    )


@pytest.mark.parametrize(
    ("kind", "due"),
    [
        (ReminderKind.CARD_30D, local(2026, 11, 30, 9)),
        (ReminderKind.CARD_7D, local(2026, 12, 23, 9)),
    ],
)
def test_card_reminders_30_and_7_days_ahead_at_nine(kind: ReminderKind, due: datetime) -> None:
    assert card_reminder_due(kind, date(2026, 12, 30)) == due


def test_card_reminders_respect_quiet_hours_and_expiry() -> None:
    valid_to = date(2026, 12, 30)
    assert card_reminder_deliverable(
        ReminderKind.CARD_30D, valid_to, local(2026, 12, 1, 10).astimezone(UTC)
    )
    assert not card_reminder_deliverable(
        ReminderKind.CARD_30D, valid_to, local(2026, 12, 1, 22).astimezone(UTC)
    )
    assert not card_reminder_deliverable(
        ReminderKind.CARD_30D, valid_to, local(2026, 12, 24, 10).astimezone(UTC)
    )
    assert card_reminder_deliverable(
        ReminderKind.CARD_7D, valid_to, local(2026, 12, 30, 10).astimezone(UTC)
    )
    assert not card_reminder_deliverable(
        ReminderKind.CARD_7D, valid_to, local(2026, 12, 31, 10).astimezone(UTC)
    )
