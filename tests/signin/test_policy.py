"""The sign-in policy: settings, back-off lengths, local dates, an honest clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from bot.signin import SignInPolicy
from bot.signin.policy import checked_now


def test_policy_from_settings() -> None:
    settings = Settings(
        identifier_salt=SecretStr("pepper"), session_days=7, timezone="Asia/Bangkok"
    )
    policy = SignInPolicy.from_settings(settings)
    assert (policy.identifier_salt, policy.session_length) == ("pepper", timedelta(days=7))
    assert policy.zone == ZoneInfo("Asia/Bangkok")


def test_lock_doubles_up_to_a_day() -> None:
    policy = SignInPolicy(identifier_salt="s")
    lengths = [policy.lock_duration(level) for level in range(8)]
    assert lengths[:4] == [timedelta(minutes=minutes) for minutes in (15, 30, 60, 120)]
    assert lengths[7] == timedelta(hours=24)
    assert policy.lock_duration(1000) == timedelta(hours=24)


def test_today_is_decided_in_vietnam() -> None:
    policy = SignInPolicy(identifier_salt="s")
    assert policy.local_date(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == date(2027, 1, 1)
    assert policy.local_date(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == date(2026, 12, 31)


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        checked_now(lambda: datetime(2026, 1, 1))
    ho_chi_minh = datetime(2026, 1, 1, 7, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert checked_now(lambda: ho_chi_minh) == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
