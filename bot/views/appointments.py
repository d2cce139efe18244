"""Appointments (/appointments): upcoming and past, cancelling with confirmation, calendar files."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.appointments import (
    AppointmentItem,
    AppointmentsOverview,
    CancelOutcome,
    CancelResult,
)
from bot.records.callbacks import CallbackAction
from bot.records.catalogues import department_name
from bot.records.ics import CalendarEvent, calendar_file
from bot.views.formatting import clip, department, heading, name, with_buttons
from bot.views.navigation import back_to_record, button, with_banner
from bot.views.reply import Button, Reply, esc
from bot.views.split import split_at_items

DEFAULT_DURATION = timedelta(minutes=30)
UID_DOMAIN = "healthbot.camau.gov.vn"


def when(t: Translator, start: datetime) -> str:
    """`Thứ Năm, 26 tháng 11, 2026 08:30` in the user's language and Vietnam's time."""
    return esc(f"{t.format_weekday_date(start)} {t.format_time(start)}")


def _status(t: Translator, status: str) -> str | None:
    labels = {
        "fulfilled": t.pgettext("appointment", "attended"),
        "arrived": t.pgettext("appointment", "attended"),
        "checked-in": t.pgettext("appointment", "attended"),
        "cancelled": t.pgettext("appointment", "cancelled"),
        "noshow": t.pgettext("appointment", "missed"),
        "booked": t.pgettext("appointment", "booked"),
        "pending": t.pgettext("appointment", "awaiting confirmation"),
        "proposed": t.pgettext("appointment", "awaiting confirmation"),
    }
    label = labels.get(status)
    return esc(label) if label else None


def appointment_block(t: Translator, item: AppointmentItem, position: int | None = None) -> str:
    """The facts of one appointment, one per line."""
    title = f"<b>{when(t, item.start)}</b>"
    if position is not None:
        title = f"{position}. {title}"
    status = _status(t, item.status)
    if status and item.status != "booked":
        title += f" — <i>{status}</i>"
    place = "🏥 " + (
        name(item.facility) if item.facility else esc(t.gettext("facility not recorded"))
    )
    if item.address:
        place += f" — {clip(item.address, 200)}"
    lines = [title, place]
    department_line = department(t, item.department)
    if department_line:
        lines.append(department_line)
    if item.practitioner:
        lines.append(t.gettext("Doctor: {name}").format(name=name(item.practitioner)))
    if item.reason:
        lines.append(t.gettext("Reason: {reason}").format(reason=clip(item.reason)))
    if item.instructions:
        lines.append(
            "ℹ️ " + t.gettext("Instructions: {text}").format(text=clip(item.instructions, 500))
        )
    return "\n".join(lines)


def _past_line(t: Translator, item: AppointmentItem) -> str:
    status = _status(t, item.status)
    place = name(item.facility) if item.facility else esc(t.gettext("facility not recorded"))
    text = f"• {when(t, item.start)} — {place}"
    return f"{text} — <i>{status}</i>" if status else text


def appointments(
    t: Translator,
    overview: AppointmentsOverview,
    now: datetime,
    subject: SubjectCitizen | None = None,
) -> list[Reply]:
    """Upcoming appointments (soonest first) with cancel and calendar buttons, then past ones."""
    upcoming = overview.upcoming
    items = [heading("📅", t.gettext("Upcoming appointments"))]
    if not upcoming.items:
        items[0] += "\n" + esc(t.gettext("You have no upcoming appointments."))
    items += [appointment_block(t, item, index) for index, item in enumerate(upcoming.items, 1)]
    if upcoming.more:
        more = t.ngettext("…and {count} more later", "…and {count} more later", upcoming.more)
        items.append(esc(more.format(count=upcoming.more)))
    past = [heading("🕘", t.gettext("Past appointments"))]
    past += [_past_line(t, item) for item in overview.past] or [
        esc(t.gettext("No past appointments recorded."))
    ]
    items.append("\n".join(past))
    rows: list[list[Button]] = []
    for index, item in enumerate(upcoming.items, 1):
        row = [
            button(
                t.pgettext("button", "📅 Calendar {number}").format(number=index),
                CallbackAction.CALENDAR,
                item.appointment_id,
            )
        ]
        if item.cancellable(now):
            label = t.pgettext("button", "❌ Cancel {number}").format(number=index)
            row.insert(0, button(label, CallbackAction.CANCEL_ASK, item.appointment_id))
        rows.append(row)
    rows.append([back_to_record(t)])
    header = with_banner(t, subject, items[0])
    return with_buttons(split_at_items(header, items[1:], separator="\n\n"), rows)


def cancel_confirmation(t: Translator, item: AppointmentItem) -> Reply:
    """Ask before cancelling."""
    question = esc(t.gettext("Do you want to cancel this appointment?"))
    rows = [
        [
            button(
                t.pgettext("button", "Yes, cancel it"),
                CallbackAction.CANCEL_CONFIRM,
                item.appointment_id,
            ),
            button(t.pgettext("button", "No, keep it"), CallbackAction.APPOINTMENTS),
        ]
    ]
    return Reply(f"{question}\n\n{appointment_block(t, item)}", rows, protect=True)


def cancel_result(t: Translator, result: CancelResult) -> Reply:
    """What happened to a cancellation request."""
    messages = {
        CancelOutcome.CANCELLED: t.gettext(
            "✅ The appointment is cancelled. To book a new one, please contact the facility."
        ),
        CancelOutcome.ALREADY_CANCELLED: t.gettext("This appointment was already cancelled."),
        CancelOutcome.IN_PAST: t.gettext(
            "This appointment has already begun or passed, so it cannot be cancelled."
        ),
        CancelOutcome.NOT_CANCELLABLE: t.gettext(
            "This appointment cannot be cancelled here. Please call the facility."
        ),
        CancelOutcome.NOT_FOUND: t.gettext("This appointment is not in your record."),
    }
    text = esc(messages[result.outcome])
    if result.appointment is not None and result.outcome is not CancelOutcome.NOT_FOUND:
        text += "\n\n" + appointment_block(t, result.appointment)
    rows = [
        [
            button(t.pgettext("button", "📅 Appointments"), CallbackAction.APPOINTMENTS),
            back_to_record(t),
        ]
    ]
    return Reply(text, rows, protect=True)


def appointment_not_found(t: Translator) -> Reply:
    """The appointment does not exist or is not in this record."""
    return Reply(esc(t.gettext("This appointment is not in your record.")), [[back_to_record(t)]])


def appointment_ics(t: Translator, item: AppointmentItem, now: datetime) -> bytes:
    """The appointment as an iCalendar (.ics) file, texts in the user's language."""
    place = ", ".join(part for part in (item.facility, item.address) if part)
    department_shown = department_name(item.department, t.locale)
    details = [
        t.gettext("Department: {name}").format(name=department_shown) if department_shown else None,
        t.gettext("Doctor: {name}").format(name=item.practitioner) if item.practitioner else None,
        t.gettext("Reason: {reason}").format(reason=item.reason) if item.reason else None,
        t.gettext("Instructions: {text}").format(text=item.instructions)
        if item.instructions
        else None,
    ]
    event = CalendarEvent(
        uid=f"appointment-{item.appointment_id}@{UID_DOMAIN}",
        stamp=now,
        start=item.start,
        end=item.end if item.end and item.end > item.start else item.start + DEFAULT_DURATION,
        summary=t.gettext("Medical appointment: {facility}").format(
            facility=item.facility or t.gettext("facility not recorded")
        ),
        location=place or None,
        description="\n".join(line for line in details if line) or None,
    )
    return calendar_file(event)


def calendar_reply(t: Translator, item: AppointmentItem, now: datetime) -> Reply:
    """The calendar file as a document, with a caption."""
    filename = f"appointment-{item.start.astimezone(t.zone):%Y%m%d-%H%M}.ics"
    caption = esc(t.gettext("Open this file to add the appointment to your calendar."))
    return Reply(caption, document=(filename, appointment_ics(t, item, now)))
