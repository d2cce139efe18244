"""Citizen identity numbers (CCCD, 12 digits) typed by a user: structure checks and masking.

Structure (Circular 07/2016/TT-BCA, articles 7-8): digits 1-3 the province where the birth was
registered, digit 4 the century of birth and sex, digits 5-6 the last two digits of the birth
year, digits 7-12 a random serial. The check digits do not exist, so a well-formed number may
still belong to nobody; only the store can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeAlias

from bot.identity.provinces import PROVINCE_CODES
from bot.identity.text import without_separators

CCCD_LENGTH = 12
CMND_LENGTH = 9
FIRST_CENTURY = 1900
MASK = "•"


class CccdProblem(StrEnum):
    """Why a typed text is not a possible CCCD; handlers explain each in the user's language."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    OLD_CMND = "old_cmnd"
    """Nine digits: the old identity card (CMND); ask for the 12-digit number on the new card."""
    WRONG_LENGTH = "wrong_length"
    UNKNOWN_PROVINCE = "unknown_province"
    BAD_CENTURY_DIGIT = "bad_century_digit"
    """Digit 4 names a century that has not begun yet (4-9 before the year 2100)."""
    BIRTH_YEAR_IN_FUTURE = "birth_year_in_future"


class Sex(StrEnum):
    """Sex as encoded in digit 4 (even male, odd female)."""

    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, repr=False)
class Cccd:
    """A structurally valid CCCD; `repr` masks the number so it never lands in a log whole."""

    number: str
    province_code: str
    sex: Sex
    birth_year: int

    @property
    def province_name(self) -> str:
        """The province of birth registration as named in 2016."""
        return PROVINCE_CODES[self.province_code]

    def __repr__(self) -> str:
        return f"Cccd({mask_id(self.number)}, {self.province_code}, {self.sex}, {self.birth_year})"


CccdCheck: TypeAlias = Cccd | CccdProblem


def parse_cccd(text: str, today: date) -> CccdCheck:
    """Check a typed CCCD, tolerating spaces, dots, dashes and non-Latin digits.

    Args:
        text: What the user typed.
        today: The current date, to refuse numbers that imply a birth in the future.

    Returns:
        The parsed `Cccd`, or the first `CccdProblem` found.
    """
    digits = without_separators(text)
    if not digits:
        return CccdProblem.EMPTY
    if not (digits.isascii() and digits.isdigit()):
        return CccdProblem.NOT_DIGITS
    if len(digits) == CMND_LENGTH:
        return CccdProblem.OLD_CMND
    if len(digits) != CCCD_LENGTH:
        return CccdProblem.WRONG_LENGTH
    province_code = digits[:3]
    if province_code not in PROVINCE_CODES:
        return CccdProblem.UNKNOWN_PROVINCE
    century_and_sex = int(digits[3])
    century_start = FIRST_CENTURY + (century_and_sex // 2) * 100
    if century_start > today.year:
        return CccdProblem.BAD_CENTURY_DIGIT
    birth_year = century_start + int(digits[4:6])
    if birth_year > today.year:
        return CccdProblem.BIRTH_YEAR_IN_FUTURE
    sex = Sex.MALE if century_and_sex % 2 == 0 else Sex.FEMALE
    return Cccd(number=digits, province_code=province_code, sex=sex, birth_year=birth_year)


def mask_id(value: str) -> str:
    """An identifier with all but its last four digits hidden: `••••••••5678`."""
    digits = without_separators(value)
    visible = digits[-4:] if len(digits) > 4 else ""
    return MASK * (len(digits) - len(visible)) + visible


def birth_year_matches(cccd: Cccd, birth_date: date) -> bool:
    """True when the year encoded in the CCCD is the year of `birth_date`."""
    return cccd.birth_year == birth_date.year
