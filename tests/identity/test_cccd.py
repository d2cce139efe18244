"""Typed CCCD numbers: structure checks, the problems a user is told about, masking."""

from __future__ import annotations

from datetime import date

import pytest

from bot.identity.cccd import Cccd, CccdProblem, Sex, birth_year_matches, mask_id, parse_cccd
from bot.identity.provinces import PROVINCE_CODES

TODAY = date(2026, 3, 1)


def test_valid_number_gives_province_sex_and_birth_year() -> None:
    result = parse_cccd("096185000123", TODAY)
    assert result == Cccd(
        number="096185000123", province_code="096", sex=Sex.FEMALE, birth_year=1985
    )
    assert isinstance(result, Cccd)
    assert result.province_name == "Cà Mau"


@pytest.mark.parametrize(
    ("typed", "sex", "year"),
    [
        ("095070000001", Sex.MALE, 1970),
        ("001199000001", Sex.FEMALE, 1999),
        ("079200000001", Sex.MALE, 2000),
        ("096326000001", Sex.FEMALE, 2026),
    ],
)
def test_century_and_sex_digit(typed: str, sex: Sex, year: int) -> None:
    result = parse_cccd(typed, TODAY)
    assert isinstance(result, Cccd)
    assert (result.sex, result.birth_year) == (sex, year)


@pytest.mark.parametrize(
    "typed",
    [
        "096 185 000 123",
        "096.185.000.123",
        "096-185-000-123",
        " 0961 8500 0123 ",
        "096\u2013185\u2013000\u2013123",
    ],
)
def test_spaces_dots_and_dashes_are_tolerated(typed: str) -> None:
    result = parse_cccd(typed, TODAY)
    assert isinstance(result, Cccd)
    assert result.number == "096185000123"


def _in_script(digits: str, zero: str) -> str:
    return "".join(chr(ord(zero) + int(digit)) for digit in digits)


@pytest.mark.parametrize(
    "zero", ["\u17e0", "\u09e6", "\uff10"], ids=["khmer", "bengali", "full-width"]
)
def test_digits_of_other_scripts_are_read(zero: str) -> None:
    result = parse_cccd(_in_script("096185000123", zero), TODAY)
    assert isinstance(result, Cccd)
    assert result.number == "096185000123"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", CccdProblem.EMPTY),
        (" .- ", CccdProblem.EMPTY),
        ("09618500012A", CccdProblem.NOT_DIGITS),
        ("my id is 096185000123", CccdProblem.NOT_DIGITS),
        ("381234567", CccdProblem.OLD_CMND),
        ("381 234 567", CccdProblem.OLD_CMND),
        ("09618500012", CccdProblem.WRONG_LENGTH),
        ("0961850001234", CccdProblem.WRONG_LENGTH),
        ("1234", CccdProblem.WRONG_LENGTH),
        ("003185000123", CccdProblem.UNKNOWN_PROVINCE),
        ("000185000123", CccdProblem.UNKNOWN_PROVINCE),
        ("097185000123", CccdProblem.UNKNOWN_PROVINCE),
        ("096485000123", CccdProblem.BAD_CENTURY_DIGIT),
        ("096900000123", CccdProblem.BAD_CENTURY_DIGIT),
        ("096227000123", CccdProblem.BIRTH_YEAR_IN_FUTURE),
        ("096399000123", CccdProblem.BIRTH_YEAR_IN_FUTURE),
    ],
)
def test_each_problem_is_named(typed: str, problem: CccdProblem) -> None:
    assert parse_cccd(typed, TODAY) is problem


def test_future_is_judged_against_the_given_day() -> None:
    assert parse_cccd("096227000123", date(2026, 12, 31)) is CccdProblem.BIRTH_YEAR_IN_FUTURE
    assert isinstance(parse_cccd("096227000123", date(2027, 1, 1)), Cccd)
    assert parse_cccd("096400000123", date(2099, 12, 31)) is CccdProblem.BAD_CENTURY_DIGIT
    result = parse_cccd("096500000123", date(2100, 1, 1))
    assert isinstance(result, Cccd)
    assert (result.sex, result.birth_year) == (Sex.FEMALE, 2100)


def test_province_table_is_circular_07_2016_appendix_1() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["095"] == "Bạc Liêu"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)
    assert max(PROVINCE_CODES) == "096"


def test_every_listed_province_parses() -> None:
    for code in PROVINCE_CODES:
        result = parse_cccd(f"{code}085000001", TODAY)
        assert isinstance(result, Cccd), code
        assert result.province_code == code


def test_mask_id_shows_last_four_digits_only() -> None:
    assert mask_id("096185005678") == "••••••••5678"
    assert mask_id("096 185 005 678") == "••••••••5678"
    assert mask_id("381234567") == "•••••4567"
    assert mask_id("1234") == "••••"


def test_repr_never_shows_the_whole_number() -> None:
    result = parse_cccd("096185005678", TODAY)
    assert "096185005678" not in repr(result)
    assert "••••••••5678" in repr(result)


def test_birth_year_matches() -> None:
    result = parse_cccd("096185000123", TODAY)
    assert isinstance(result, Cccd)
    assert birth_year_matches(result, date(1985, 12, 31))
    assert not birth_year_matches(result, date(1986, 1, 1))
