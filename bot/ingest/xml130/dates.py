"""Dates and times as written in XML 130 files (local Vietnam time, no separators).

Times in the files are wall-clock times of Vietnam whatever the bot's configured zone is,
so they are read in Asia/Ho_Chi_Minh and stored as UTC.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class BirthPrecision(enum.Enum):
    """How much of a birth date the file gave."""

    DAY = "day"
    MONTH = "month"  # day written as 00
    YEAR = "year"  # day and month written as 0000


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A birth date; unknown parts are stored as the 1st (of January)."""

    value: date
    precision: BirthPrecision = BirthPrecision.DAY

    @property
    def uncertain(self) -> bool:
        """True when the day may be a placeholder: 00 parts, or 0101 (files use it for unknown)."""
        return self.precision is not BirthPrecision.DAY or (
            self.value.month == 1 and self.value.day == 1
        )


def _digits(text: str, lengths: tuple[int, ...]) -> str:
    value = text.strip()
    if not value.isdigit() or not value.isascii() or len(value) not in lengths:
        expected = " or ".join(f"{n} digits" for n in lengths)
        raise ValueError(f"expected {expected}")
    return value


def _calendar_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("not a calendar date") from None


def parse_day(text: str) -> date:
    """A `yyyymmdd` date (a 12-character `yyyymmddHHMM` value gives its day)."""
    value = _digits(text, (8, 12))
    return _calendar_date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def parse_local_time(text: str) -> time:
    """The `HHMM` wall-clock time of a 12-character value."""
    hour, minute = int(text[8:10]), int(text[10:12])
    if hour > 23 or minute > 59:
        raise ValueError("not a time of day")
    return time(hour, minute)


@functools.lru_cache(maxsize=4096)
def parse_timestamp(text: str) -> datetime:
    """A `yyyymmddHHMM` local time (or a `yyyymmdd` day, read as its midnight) as aware UTC.

    Cached: the lines of a visit repeat its times.
    """
    value = _digits(text, (8, 12))
    day = parse_day(value)
    clock = parse_local_time(value) if len(value) == 12 else time(0, 0)
    return datetime.combine(day, clock, VIETNAM).astimezone(UTC)


def parse_birth_date(text: str) -> BirthDate:
    """NGAY_SINH: `yyyymmdd` or `yyyymmddHHMM`; month and day 00 mean unknown."""
    value = _digits(text, (8, 12))
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    if year < 1800:
        raise ValueError("not a plausible birth year")
    if month == 0:
        if day != 0:
            raise ValueError("day given without a month")
        return BirthDate(date(year, 1, 1), BirthPrecision.YEAR)
    if day == 0:
        return BirthDate(_calendar_date(year, month, 1), BirthPrecision.MONTH)
    return BirthDate(_calendar_date(year, month, day))


def local_datetime(day: date, clock: time) -> datetime:
    """A Vietnam wall-clock moment as aware UTC."""
    return datetime.combine(day, clock, VIETNAM).astimezone(UTC)


def format_day(value: date) -> str:
    """`yyyymmdd`."""
    return value.strftime("%Y%m%d")


def format_timestamp(value: datetime) -> str:
    """`yyyymmddHHMM` in Vietnam time."""
    return value.astimezone(VIETNAM).strftime("%Y%m%d%H%M")


def format_birth_date(value: BirthDate) -> str:
    """`yyyymmdd0000`, with 00 for the unknown parts."""
    birth = value.value
    if value.precision is BirthPrecision.YEAR:
        return f"{birth.year:04d}00000000"
    if value.precision is BirthPrecision.MONTH:
        return f"{birth.year:04d}{birth.month:02d}000000"
    return f"{format_day(birth)}0000"
