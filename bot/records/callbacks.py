"""Callback data of the record, appointment, family and reminder buttons.

Short, typed and language-free (at most 64 bytes), `<feature>:<action>[:<number>]`:

    rec:s              record summary
    rec:v:<page>       visits, page n (5 a page, newest first)
    rec:vd:<id>        one visit in detail
    rec:l:<page>       latest lab results, page n
    rec:lh:<id>        history of the test of observation <id>
    rec:i              vaccinations
    rec:m:<page>       medications, page n
    appt:list          appointments
    appt:cancel:<id>   ask to confirm cancelling appointment <id>
    appt:cancelok:<id> cancel it (confirmed)
    appt:ics:<id>      calendar file of appointment <id>
    ins:show           insurance card
    fam:list           children under 14
    fam:sw:<id>        show child <id>'s record
    fam:self           back to one's own record
    rem:on / rem:off   turn reminders on or off

Numbers are plain non-negative decimal integers. Anything else parses to None, so a
stale or forged button is ignored rather than trusted; ownership is always checked by the
query the handler runs, never by the callback data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_CALLBACK_BYTES = 64
_MAX_NUMBER_DIGITS = 19


class CallbackAction(StrEnum):
    """Every button action; the value is the callback data prefix."""

    RECORD = "rec:s"
    VISITS = "rec:v"
    VISIT = "rec:vd"
    LABS = "rec:l"
    LAB_HISTORY = "rec:lh"
    VACCINATIONS = "rec:i"
    MEDICATIONS = "rec:m"
    APPOINTMENTS = "appt:list"
    CANCEL_ASK = "appt:cancel"
    CANCEL_CONFIRM = "appt:cancelok"
    CALENDAR = "appt:ics"
    INSURANCE = "ins:show"
    FAMILY = "fam:list"
    SWITCH_TO_CHILD = "fam:sw"
    SWITCH_TO_SELF = "fam:self"
    REMINDERS_ON = "rem:on"
    REMINDERS_OFF = "rem:off"


NUMBERED = frozenset(
    {
        CallbackAction.VISITS,
        CallbackAction.VISIT,
        CallbackAction.LABS,
        CallbackAction.LAB_HISTORY,
        CallbackAction.MEDICATIONS,
        CallbackAction.CANCEL_ASK,
        CallbackAction.CANCEL_CONFIRM,
        CallbackAction.CALENDAR,
        CallbackAction.SWITCH_TO_CHILD,
    }
)
"""Actions that carry a number (a page or a row id); the others carry none."""

_BY_PREFIX = {action.value: action for action in CallbackAction}


@dataclass(frozen=True)
class Callback:
    """A parsed button press."""

    action: CallbackAction
    number: int | None = None


def format_callback(action: CallbackAction, number: int | None = None) -> str:
    """The callback data of a button.

    Raises:
        ValueError: a number is missing, unexpected or negative.
    """
    if (action in NUMBERED) != (number is not None):
        raise ValueError(f"{action.value} {'needs' if action in NUMBERED else 'takes no'} number")
    if number is None:
        return action.value
    if number < 0:
        raise ValueError("callback numbers are never negative")
    data = f"{action.value}:{number}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError("callback data longer than 64 bytes")
    return data


def parse_callback(data: str | None) -> Callback | None:
    """The action and number of callback data, or None when it is not one of ours."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    action = _BY_PREFIX.get(data)
    if action is not None:
        return None if action in NUMBERED else Callback(action)
    prefix, _, number = data.rpartition(":")
    action = _BY_PREFIX.get(prefix)
    if action is None or action not in NUMBERED:
        return None
    if not (number.isascii() and number.isdigit()) or len(number) > _MAX_NUMBER_DIGITS:
        return None
    return Callback(action, int(number))
