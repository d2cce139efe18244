"""Local times as integers, written as FHIR dateTimes with the Asia/Ho_Chi_Minh offset.

A *day* is a proleptic Gregorian ordinal (`date.toordinal()`); a *stamp* is minutes since the
start of day 1, local time: `day * 1440 + minute`. Vietnam keeps UTC+7 all year, so a stamp
formats without a time-zone database.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Final

MINUTES_PER_DAY: Final = 1440
DAYS_PER_YEAR: Final = 365.2425
LOCAL_OFFSET: Final = "+07:00"
_CLOCK: Final = tuple(f"{m // 60:02d}:{m % 60:02d}:00" for m in range(MINUTES_PER_DAY))


@lru_cache(maxsize=65536)
def day_iso(day: int) -> str:
    """`2025-03-14` for a day ordinal."""
    return date.fromordinal(day).isoformat()


def instant(stamp: int) -> str:
    """`2025-03-14T08:30:00+07:00` for a stamp."""
    day, minute = divmod(stamp, MINUTES_PER_DAY)
    return day_iso(day) + "T" + _CLOCK[minute] + LOCAL_OFFSET


def stamp_of(day: int, hour: int, minute: int = 0) -> int:
    """The stamp of a local clock time on a day."""
    return day * MINUTES_PER_DAY + hour * 60 + minute


def weekday(day: int) -> int:
    """Monday 0 ... Sunday 6 (ordinal 1, 1 January of year 1, was a Monday)."""
    return (day - 1) % 7


def next_working_day(day: int) -> int:
    """The day itself on Monday to Friday, else the following Monday."""
    week_day = weekday(day)
    return day + (7 - week_day if week_day >= 5 else 0)


def years_between(earlier: int, later: int) -> int:
    """Whole years from one day to a later one (age on `later` of someone born `earlier`)."""
    born, then = date.fromordinal(earlier), date.fromordinal(later)
    return then.year - born.year - ((then.month, then.day) < (born.month, born.day))


def add_years(day: int, years: int) -> int:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    value = date.fromordinal(day)
    try:
        return value.replace(year=value.year + years).toordinal()
    except ValueError:
        return value.replace(year=value.year + years, day=28).toordinal()


def month_of(day: int) -> int:
    """The calendar month, 1-12."""
    return date.fromordinal(day).month


def year_of(day: int) -> int:
    """The calendar year."""
    return date.fromordinal(day).year
