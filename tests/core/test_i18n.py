"""Locale resolution and Babel formatting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import Catalogs, resolve_locale


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [
        ("km", "en", "km"),
        (None, "en-US", "en"),
        (None, "bn", "bn"),
        (None, "fr", "vi"),
        (None, None, "vi"),
        ("xx", "km", "km"),
    ],
)
def test_resolve_locale_order(chosen: str | None, telegram: str | None, expected: str) -> None:
    assert resolve_locale(chosen, telegram, "vi") == expected


def test_formatting_follows_the_locale_and_time_zone() -> None:
    catalogs = Catalogs()
    moment = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 06:30 next day in Vietnam
    vi, en = catalogs.get("vi"), catalogs.get("en")
    assert vi.format_money(1234567) == "1.234.567\xa0₫"
    assert en.format_money(1234567) == "₫1,234,567"
    assert vi.format_date(moment).startswith("27")
    assert en.format_time(moment) == "6:30\u202fAM"
    assert vi.format_percent(80) == "80%"
    assert en.format_relative(timedelta(days=3)) == "in 3 days"


def test_unknown_locale_falls_back_to_default() -> None:
    assert Catalogs().get("fr").locale == "vi"
