"""Buttons shared by the record views: section menu, pager, back buttons, child banner."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.callbacks import CallbackAction, format_callback
from bot.records.common import Page
from bot.views.formatting import name
from bot.views.reply import Button


def button(label: str, action: CallbackAction, number: int | None = None) -> Button:
    """A button routed by typed callback data."""
    return Button(label, format_callback(action, number))


def section_menu(t: Translator, *, family: bool) -> list[list[Button]]:
    """The inline menu under the record summary; `family` adds the children button."""
    rows = [
        [
            button(t.pgettext("button", "📋 Visits"), CallbackAction.VISITS, 1),
            button(t.pgettext("button", "🧪 Lab results"), CallbackAction.LABS, 1),
        ],
        [
            button(t.pgettext("button", "💉 Vaccinations"), CallbackAction.VACCINATIONS),
            button(t.pgettext("button", "💊 Medications"), CallbackAction.MEDICATIONS, 1),
        ],
        [
            button(t.pgettext("button", "📅 Appointments"), CallbackAction.APPOINTMENTS),
            button(t.pgettext("button", "🪪 Insurance"), CallbackAction.INSURANCE),
        ],
    ]
    if family:
        rows.append([button(t.pgettext("button", "👨‍👩‍👧 Family"), CallbackAction.FAMILY)])
    return rows


def back_to_record(t: Translator) -> Button:
    """Back to the record summary."""
    return button(t.pgettext("button", "⬅️ Record"), CallbackAction.RECORD)


def pager(t: Translator, action: CallbackAction, page: Page[Any]) -> list[Button]:
    """Previous / next buttons for a paged list (empty when there is one page)."""
    row = []
    if page.has_previous:
        row.append(button(t.pgettext("button", "◀️ Previous"), action, page.number - 1))
    if page.has_next:
        row.append(button(t.pgettext("button", "Next ▶️"), action, page.number + 1))
    return row


def child_banner(t: Translator, subject: SubjectCitizen | None) -> str | None:
    """A line saying whose record this is, when a guardian looks at a child's record."""
    if subject is None or not subject.is_child:
        return None
    label = t.gettext("👶 You are viewing the record of your child <b>{name}</b>.")
    return label.format(name=name(subject.child_name or ""))


def own_record_button(t: Translator) -> Button:
    """Back to one's own record (shown while looking at a child's record)."""
    return button(t.pgettext("button", "↩️ My own record"), CallbackAction.SWITCH_TO_SELF)


def with_banner(t: Translator, subject: SubjectCitizen | None, text: str) -> str:
    """The text with the child banner above it when it is a child's record."""
    banner = child_banner(t, subject)
    return f"{banner}\n\n{text}" if banner else text
