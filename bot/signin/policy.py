"""The rules of signing in: session length, throttling limits and lock back-off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TypeAlias
from zoneinfo import ZoneInfo

from bot.settings import Settings

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

Clock: TypeAlias = Callable[[], datetime]
"""Returns the current time, timezone-aware, in UTC (tests pass a fake one)."""


@dataclass(frozen=True)
class SignInPolicy:
    """Limits for sign-in.

    Failed sign-ins are counted per Telegram account (at most `account_max_failures` in
    `account_window`) and per CCCD across all accounts (at most `id_max_failures` in `id_window`).
    Reaching a limit locks that account or ID: the first lock lasts `first_lock`, each further
    lock twice the one before (15, 30, 60, 120 minutes, ...), never longer than `longest_lock`.
    Once a lock has been over for `lock_memory` the next lock starts at `first_lock` again; a
    successful sign-in also forgets the account's locks. Failures from before a lock do not count
    after it: each lock is followed by a fresh allowance.
    """

    identifier_salt: str
    session_days: int = 30
    account_max_failures: int = 5
    account_window: timedelta = timedelta(minutes=15)
    id_max_failures: int = 5
    id_window: timedelta = timedelta(hours=1)
    first_lock: timedelta = timedelta(minutes=15)
    longest_lock: timedelta = timedelta(hours=24)
    lock_memory: timedelta = timedelta(hours=24)
    abandon_after: timedelta = timedelta(minutes=30)
    """A sign-in left unfinished this long is forgotten, with the ID it holds."""
    zone: tzinfo = VIETNAM
    """Where "today" is decided for birth-date and CCCD checks."""

    @classmethod
    def from_settings(cls, settings: Settings) -> SignInPolicy:
        """The policy with SESSION_DAYS, IDENTIFIER_SALT and TIMEZONE from the settings."""
        return cls(
            identifier_salt=settings.identifier_salt.get_secret_value(),
            session_days=settings.session_days,
            zone=settings.zone,
        )

    @property
    def session_length(self) -> timedelta:
        """How long a link lasts before the birth date is asked again."""
        return timedelta(days=self.session_days)

    def lock_duration(self, level: int) -> timedelta:
        """The length of the lock at `level` (0 for the first lock)."""
        doublings = min(level, 32)
        return min(self.first_lock * (1 << doublings), self.longest_lock)

    def local_date(self, now: datetime) -> date:
        """The calendar date at `now` in the policy's time zone."""
        return now.astimezone(self.zone).date()


def checked_now(clock: Clock) -> datetime:
    """The clock's time, refused unless it is timezone-aware; returned in UTC."""
    now = clock()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("the sign-in clock must return timezone-aware datetimes")
    return now.astimezone(UTC)
