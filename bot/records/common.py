"""Small pieces shared by the record queries: pages, local dates, ages, facility names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, ColumnElement, Integer, bindparam, literal

from bot.i18n import DEFAULT_ZONE

T = TypeVar("T")

CITIZEN = "citizen_id"
LIMIT = "limit"


def citizen_param() -> BindParameter[Any]:
    """The citizen id of a prebuilt query (`execute(query, {CITIZEN: id})`)."""
    return bindparam(CITIZEN)


def limit_param() -> BindParameter[int]:
    """The row limit of a prebuilt query (`execute(query, {LIMIT: n})`)."""
    return bindparam(LIMIT, type_=Integer)


def among(column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (...)` of constants, one plain bound value each.

    A list given to `in_` becomes an "expanding" parameter that SQLAlchemy renders into the SQL
    text again on every execution, which cost more than the summary's SQL itself.
    """
    return column.in_([literal(value, column.type) for value in values])


def not_among(column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column NOT IN (...)` of constants (see `among`)."""
    return column.not_in([literal(value, column.type) for value in values])


def prebuilt(build: Callable[[], T]) -> Callable[[], T]:
    """A query built once, on first use, with bound parameters instead of values.

    Building a statement and its cache key costs more than running these small indexed
    queries; a prebuilt statement keeps its cache key, so each view only binds values.
    """
    built = cache(build)
    PREBUILT.append(built)
    return built


PREBUILT: list[Callable[[], Any]] = []
"""Every prebuilt query of the imported modules (tests check them all)."""

LOCAL_ZONE: ZoneInfo = DEFAULT_ZONE
"""Dates a citizen sees (ages, 'today', quiet hours) are counted in Vietnam's time zone."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, newest first unless said otherwise; `number` counts from 1."""

    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, even for an empty list)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        """True when there is a page before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True when there is a page after this one."""
        return self.number < self.pages


@dataclass(frozen=True)
class Listing(Generic[T]):
    """The first items of a list and how many there are in all."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """How many items are not in `items`."""
        return max(0, self.total - len(self.items))


def listing(rows: Sequence[Any], item: Callable[[Any], T]) -> Listing[T]:
    """The items of rows that carry the list's full length in a `total` column."""
    return Listing(tuple(item(row) for row in rows), rows[0].total if rows else 0)


def page_offset(number: int, size: int) -> int:
    """The row offset of a 1-based page number (numbers below 1 mean the first page)."""
    return (max(1, number) - 1) * size


def make_page(items: Sequence[T], number: int, size: int, total: int) -> Page[T]:
    """A page of `items`; `number` is clamped to the pages that exist."""
    pages = max(1, -(-total // size))
    return Page(tuple(items), min(max(1, number), pages), size, total)


def local_date(moment: datetime, zone: ZoneInfo = LOCAL_ZONE) -> date:
    """The calendar date of an aware moment in the local time zone."""
    return moment.astimezone(zone).date()


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: date, today: date) -> int:
    """Completed years of life on `today`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (1 if before_birthday else 0)
