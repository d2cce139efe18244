"""Reminder messages (sent by a job, in the recipient's language) and the on/off setting."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.records.callbacks import CallbackAction
from bot.records.common import local_date
from bot.records.reminders import DueReminder
from bot.views.appointments import appointment_block
from bot.views.formatting import day
from bot.views.navigation import button
from bot.views.reply import Button, Reply, esc

VISIBLE_CARD_DIGITS = 4


def _turn_off(t: Translator) -> Button:
    return button(t.pgettext("button", "🔕 Turn off reminders"), CallbackAction.REMINDERS_OFF)


def _appointment_title(t: Translator, start: datetime, now: datetime) -> str:
    """Today, tomorrow or soon, by local dates (a deferred 24-hour reminder can fall on the day)."""
    days = (local_date(start) - local_date(now)).days
    if days <= 0:
        return t.gettext("⏰ <b>Reminder:</b> you have an appointment today.")
    if days == 1:
        return t.gettext("⏰ <b>Reminder:</b> you have an appointment tomorrow.")
    return t.gettext("⏰ <b>Reminder:</b> you have an appointment soon.")


def appointment_reminder(t: Translator, reminder: DueReminder, now: datetime) -> Reply:
    """An appointment is coming up (sent 24 and 2 hours ahead)."""
    item = reminder.appointment
    if item is None:
        raise ValueError("not an appointment reminder")
    title = _appointment_title(t, item.start, now)
    rows = [
        [
            button(
                t.pgettext("button", "📅 Add to calendar"),
                CallbackAction.CALENDAR,
                item.appointment_id,
            ),
            button(
                t.pgettext("button", "❌ Cancel"), CallbackAction.CANCEL_ASK, item.appointment_id
            ),
        ],
        [_turn_off(t)],
    ]
    return Reply(f"{title}\n\n{appointment_block(t, item)}", rows, protect=True)


def _masked_card(number: str) -> str:
    visible = number[-VISIBLE_CARD_DIGITS:]
    return "•" * max(0, len(number) - VISIBLE_CARD_DIGITS) + visible


def card_reminder(t: Translator, reminder: DueReminder, now: datetime) -> Reply:
    """The insurance card expires soon (days counted on today's date in Vietnam)."""
    card = reminder.card
    if card is None:
        raise ValueError("not an insurance card reminder")
    days_left = (card.valid_to - local_date(now)).days
    if days_left <= 0:
        when = t.gettext("today")
    else:
        when = t.ngettext("in {count} day", "in {count} days", days_left).format(count=days_left)
    text = t.gettext(
        "🪪 <b>Reminder:</b> your health insurance card {card} expires on {date} ({when}). "
        "Please renew it in time so your visits stay covered."
    ).format(
        card=f"<code>{esc(_masked_card(card.card_number))}</code>",
        date=day(t, card.valid_to),
        when=esc(when),
    )
    rows = [
        [button(t.pgettext("button", "🪪 Insurance"), CallbackAction.INSURANCE)],
        [_turn_off(t)],
    ]
    return Reply(text, rows, protect=True)


def reminder_message(t: Translator, reminder: DueReminder, now: datetime) -> Reply:
    """The message of any due reminder, in the recipient's language (`t`)."""
    if reminder.kind.is_appointment:
        return appointment_reminder(t, reminder, now)
    return card_reminder(t, reminder, now)


def reminders_setting(t: Translator, enabled: bool) -> Reply:
    """Confirmation after turning reminders on or off, with the opposite switch."""
    if enabled:
        text = t.gettext(
            "🔔 Reminders are on: appointments 24 and 2 hours ahead, "
            "and your insurance card 30 and 7 days before it expires."
        )
        switch = button(t.pgettext("button", "🔕 Turn off reminders"), CallbackAction.REMINDERS_OFF)
    else:
        text = t.gettext("🔕 Reminders are off. You can turn them on again at any time.")
        switch = button(t.pgettext("button", "🔔 Turn on reminders"), CallbackAction.REMINDERS_ON)
    return Reply(esc(text), [[switch]])
