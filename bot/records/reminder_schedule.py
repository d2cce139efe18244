"""When each reminder is due: pure timing rules, in Vietnam's local time.

Appointment reminders are due 24 hours and 2 hours before the start. Nobody is messaged in
the quiet hours (21:00-07:00 local time) with two exceptions: the appointment is on the same
local day as the reminder, or it starts before the quiet hours end (waiting would miss it).
A reminder that falls in the quiet hours otherwise waits until 07:00 the next morning,
which is always still before the appointment. So a 24-hour reminder for 22:00 tomorrow
goes out at 07:00 tomorrow; a 2-hour reminder at 05:30 for a 07:30 appointment goes out at
05:30 (same day); a 2-hour reminder at 22:30 for 00:30 goes out at 22:30 (waiting until
07:00 would be too late).

A 24-hour reminder not yet sent when the 2-hour one is due is dropped, so nobody gets both
at once (for example when the appointment was booked two hours ahead).

Insurance cards: reminders 30 and 7 days before the last valid day, at 09:00 local time;
the 30-day one is dropped once the 7-day one is due.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.records.common import LOCAL_ZONE

QUIET_START = time(21, 0)
QUIET_END = time(7, 0)
CARD_REMINDER_TIME = time(9, 0)


class ReminderKind(StrEnum):
    """The kinds of reminder; stored in `reminder_deliveries.kind`."""

    APPOINTMENT_24H = "appt24h"
    APPOINTMENT_2H = "appt2h"
    CARD_30D = "card30d"
    CARD_7D = "card7d"

    @property
    def is_appointment(self) -> bool:
        """True for appointment reminders, False for insurance card reminders."""
        return self in (ReminderKind.APPOINTMENT_24H, ReminderKind.APPOINTMENT_2H)


APPOINTMENT_LEAD = {
    ReminderKind.APPOINTMENT_24H: timedelta(hours=24),
    ReminderKind.APPOINTMENT_2H: timedelta(hours=2),
}
CARD_LEAD_DAYS = {ReminderKind.CARD_30D: 30, ReminderKind.CARD_7D: 7}


def in_quiet_hours(moment: datetime, zone: ZoneInfo = LOCAL_ZONE) -> bool:
    """True between 21:00 and 07:00 local time."""
    clock = moment.astimezone(zone).time()
    return clock >= QUIET_START or clock < QUIET_END


def quiet_hours_end(moment: datetime, zone: ZoneInfo = LOCAL_ZONE) -> datetime:
    """The next 07:00 local time at or after `moment` (as aware UTC)."""
    local = moment.astimezone(zone)
    end = datetime.combine(local.date(), QUIET_END, tzinfo=zone)
    if end < local:
        end = datetime.combine(local.date() + timedelta(days=1), QUIET_END, tzinfo=zone)
    return end.astimezone(UTC)


def may_send_appointment_reminder(
    moment: datetime, start: datetime, zone: ZoneInfo = LOCAL_ZONE
) -> bool:
    """True when an appointment reminder may go out at `moment` (see the module docstring)."""
    if not in_quiet_hours(moment, zone):
        return True
    same_day = moment.astimezone(zone).date() == start.astimezone(zone).date()
    return same_day or start <= quiet_hours_end(moment, zone)


def appointment_reminder_due(
    kind: ReminderKind, start: datetime, zone: ZoneInfo = LOCAL_ZONE
) -> datetime:
    """When an appointment reminder of `kind` is due."""
    nominal = start - APPOINTMENT_LEAD[kind]
    if may_send_appointment_reminder(nominal, start, zone):
        return nominal
    return quiet_hours_end(nominal, zone)


def appointment_reminder_deliverable(
    kind: ReminderKind, start: datetime, now: datetime, zone: ZoneInfo = LOCAL_ZONE
) -> bool:
    """True when a due reminder may go out now: before the start, not in the quiet hours (but
    for the exceptions), and a 24-hour one only until the 2-hour one is due."""
    if now >= start or not may_send_appointment_reminder(now, start, zone):
        return False
    if kind is ReminderKind.APPOINTMENT_24H:
        return now < appointment_reminder_due(ReminderKind.APPOINTMENT_2H, start, zone)
    return True


def card_reminder_due(kind: ReminderKind, valid_to: date, zone: ZoneInfo = LOCAL_ZONE) -> datetime:
    """When an insurance card reminder of `kind` is due (09:00 local time)."""
    day = valid_to - timedelta(days=CARD_LEAD_DAYS[kind])
    return datetime.combine(day, CARD_REMINDER_TIME, tzinfo=zone).astimezone(UTC)


def card_reminder_deliverable(
    kind: ReminderKind, valid_to: date, now: datetime, zone: ZoneInfo = LOCAL_ZONE
) -> bool:
    """True when a due card reminder may go out now: the card has not expired, it is not the
    quiet hours, and a 30-day one only until the 7-day one is due."""
    today = now.astimezone(zone).date()
    if today > valid_to or in_quiet_hours(now, zone):
        return False
    if kind is ReminderKind.CARD_30D:
        return now < card_reminder_due(ReminderKind.CARD_7D, valid_to, zone)
    return True
