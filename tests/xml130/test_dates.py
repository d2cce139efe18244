"""XML 130 dates: compact local times read as UTC, birth dates with unknown parts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.ingest.xml130.dates import (
    BirthDate,
    BirthPrecision,
    format_birth_date,
    format_timestamp,
    parse_birth_date,
    parse_day,
    parse_timestamp,
)


def test_twelve_character_time_is_vietnam_local_time_stored_as_utc() -> None:
    assert parse_timestamp("202511180745") == datetime(2025, 11, 18, 0, 45, tzinfo=UTC)


def test_eight_character_time_is_local_midnight() -> None:
    assert parse_timestamp("20251118") == datetime(2025, 11, 17, 17, 0, tzinfo=UTC)


def test_timestamp_formats_back_to_local_time() -> None:
    assert format_timestamp(datetime(2025, 11, 18, 0, 45, tzinfo=UTC)) == "202511180745"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20230230", "not a calendar date"),
        ("202302300800", "not a calendar date"),
        ("202511182460", "not a time of day"),
        ("202511181275", "not a time of day"),
        ("2025111807", "expected 8 digits or 12 digits"),
        ("2025-11-18", "expected 8 digits or 12 digits"),
        ("２０２５１１１８", "expected 8 digits or 12 digits"),
    ],
)
def test_impossible_or_malformed_times_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_timestamp(text)


def test_day_accepts_eight_and_twelve_characters() -> None:
    assert parse_day("20251204") == date(2025, 12, 4)
    assert parse_day("202512040930") == date(2025, 12, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("198503140000", BirthDate(date(1985, 3, 14))),
        ("19850314", BirthDate(date(1985, 3, 14))),
        ("20010000", BirthDate(date(2001, 1, 1), BirthPrecision.YEAR)),
        ("200100000000", BirthDate(date(2001, 1, 1), BirthPrecision.YEAR)),
        ("19920700", BirthDate(date(1992, 7, 1), BirthPrecision.MONTH)),
    ],
)
def test_birth_dates_with_unknown_parts(text: str, expected: BirthDate) -> None:
    assert parse_birth_date(text) == expected


def test_only_a_real_first_of_january_is_certain() -> None:
    assert not parse_birth_date("19850314").uncertain
    assert parse_birth_date("19850101").uncertain  # files write 0101 for "unknown"
    assert parse_birth_date("19850000").uncertain


@pytest.mark.parametrize("text", ["19850014", "19850230", "17990101"])
def test_impossible_birth_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_birth_date(text)


@pytest.mark.parametrize("text", ["198503140000", "198500000000", "199207000000"])
def test_birth_dates_format_back(text: str) -> None:
    assert format_birth_date(parse_birth_date(text)) == text


def test_time_of_day_in_vietnam_has_no_daylight_saving() -> None:
    summer = parse_timestamp("202507011200")
    winter = parse_timestamp("202501011200")
    assert summer.time() == winter.time() == time(5, 0)
