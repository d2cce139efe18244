"""A typed date of birth: `dd/mm/yyyy`, `d-m-yyyy`, `d.m.yyyy`, `ddmmyyyy` or `yyyy-mm-dd`."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import TypeAlias

from bot.identity.text import ascii_digits

EARLIEST_BIRTH_YEAR = 1900
_PARTS = re.compile(r"\s*[/.\-]\s*|\s+")
_COMPACT_LENGTH = 8  # ddmmyyyy
_SHORT_COMPACT_LENGTH = 6  # ddmmyy


class BirthdateProblem(StrEnum):
    """Why a text is not a usable date of birth; handlers explain each in the user's language."""

    EMPTY = "empty"
    UNRECOGNISED = "unrecognised"
    TWO_DIGIT_YEAR = "two_digit_year"
    IMPOSSIBLE_DATE = "impossible_date"
    IN_FUTURE = "in_future"
    TOO_LONG_AGO = "too_long_ago"
    YEAR_DIFFERS_FROM_ID = "year_differs_from_id"
    """Set by sign-in, not by the parser: the year differs from the one in the CCCD given."""


BirthdateCheck: TypeAlias = date | BirthdateProblem


def _day_month_year(parts: list[str]) -> tuple[str, str, str] | BirthdateProblem:
    if len(parts) == 1 and len(parts[0]) == _COMPACT_LENGTH:
        compact = parts[0]
        return compact[:2], compact[2:4], compact[4:]
    if len(parts) == 1 and len(parts[0]) == _SHORT_COMPACT_LENGTH:
        return BirthdateProblem.TWO_DIGIT_YEAR
    if len(parts) != 3:
        return BirthdateProblem.UNRECOGNISED
    first, middle, last = parts
    if len(first) == 4 and len(middle) <= 2 and len(last) <= 2:
        return last, middle, first
    if len(first) <= 2 and len(middle) <= 2 and len(last) == 4:
        return first, middle, last
    if len(first) <= 2 and len(middle) <= 2 and len(last) == 2:
        return BirthdateProblem.TWO_DIGIT_YEAR
    return BirthdateProblem.UNRECOGNISED


def parse_birthdate(text: str, today: date) -> BirthdateCheck:
    """Read a typed date of birth (day before month; or ISO year-month-day).

    Args:
        text: What the user typed; spaces around separators and non-Latin digits are fine.
        today: The current local date; later dates are refused.

    Returns:
        The date, or the `BirthdateProblem` that explains why it was refused.
    """
    cleaned = ascii_digits(text).strip().rstrip(".").strip()
    if not cleaned:
        return BirthdateProblem.EMPTY
    parts = _PARTS.split(cleaned)
    if not all(part.isascii() and part.isdigit() for part in parts):
        return BirthdateProblem.UNRECOGNISED
    found = _day_month_year(parts)
    if isinstance(found, BirthdateProblem):
        return found
    day, month, year = (int(part) for part in found)
    try:
        birth_date = date(year, month, day)
    except ValueError:
        return BirthdateProblem.IMPOSSIBLE_DATE
    if birth_date > today:
        return BirthdateProblem.IN_FUTURE
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        return BirthdateProblem.TOO_LONG_AGO
    return birth_date
