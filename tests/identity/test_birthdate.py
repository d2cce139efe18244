"""Typed dates of birth: the accepted forms, impossible and future dates."""

from __future__ import annotations

from datetime import date

import pytest

from bot.identity.birthdate import BirthdateProblem, parse_birthdate

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "05/09/1985",
        "5/9/1985",
        "5-9-1985",
        "5.9.1985",
        "05091985",
        "1985-09-05",
        "1985-9-5",
        " 05 / 09 / 1985 ",
        "05 09 1985",
        "5 - 9 - 1985",
        "05.09.1985.",
        "০৫/০৯/১৯৮৫",
        "០៥-០៩-១៩៨៥",
    ],
)
def test_common_forms(typed: str) -> None:
    assert parse_birthdate(typed, TODAY) == date(1985, 9, 5)


def test_day_comes_before_month() -> None:
    assert parse_birthdate("02/03/1990", TODAY) == date(1990, 3, 2)


def test_today_is_not_in_the_future() -> None:
    assert parse_birthdate("01/03/2026", TODAY) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", BirthdateProblem.EMPTY),
        ("  ", BirthdateProblem.EMPTY),
        ("yesterday", BirthdateProblem.UNRECOGNISED),
        ("05/09", BirthdateProblem.UNRECOGNISED),
        ("5/9/198", BirthdateProblem.UNRECOGNISED),
        ("1985/09/05/01", BirthdateProblem.UNRECOGNISED),
        ("5 tháng 9 1985", BirthdateProblem.UNRECOGNISED),
        ("0509198", BirthdateProblem.UNRECOGNISED),
        ("05/09/85", BirthdateProblem.TWO_DIGIT_YEAR),
        ("050985", BirthdateProblem.TWO_DIGIT_YEAR),
        ("31/02/1985", BirthdateProblem.IMPOSSIBLE_DATE),
        ("29/02/1985", BirthdateProblem.IMPOSSIBLE_DATE),
        ("00/01/1985", BirthdateProblem.IMPOSSIBLE_DATE),
        ("05/13/1985", BirthdateProblem.IMPOSSIBLE_DATE),
        ("1985-02-30", BirthdateProblem.IMPOSSIBLE_DATE),
        ("32011985", BirthdateProblem.IMPOSSIBLE_DATE),
        ("02/03/2026", BirthdateProblem.IN_FUTURE),
        ("01/01/2090", BirthdateProblem.IN_FUTURE),
        ("01/01/1899", BirthdateProblem.TOO_LONG_AGO),
    ],
)
def test_problems(typed: str, problem: BirthdateProblem) -> None:
    assert parse_birthdate(typed, TODAY) is problem


def test_leap_day_exists_in_leap_years() -> None:
    assert parse_birthdate("29/02/1988", TODAY) == date(1988, 2, 29)
