"""Phone numbers: every common Vietnamese form becomes the same E.164 number; masking."""

from __future__ import annotations

import pytest

from bot.identity.phone import mask_phone, normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "84912345678",
        "+84912345678",
        "+84 912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(+84) 912 345 678",
        "0084 912 345 678",
        "០៩១២៣៤៥៦៧៨",
    ],
)
def test_vietnamese_forms_are_equal(typed: str) -> None:
    assert normalise_phone(typed) == "+84912345678"


def test_landline_and_foreign_numbers_keep_their_own_form() -> None:
    assert normalise_phone("0290 3831 234") == "+842903831234"
    assert normalise_phone("+1 650 253 0000") == "+16502530000"


@pytest.mark.parametrize(
    "typed", ["", "   ", "12345", "not a phone", "0012345678", "09123456789999"]
)
def test_invalid_numbers_give_none(typed: str) -> None:
    assert normalise_phone(typed) is None


def test_mask_phone_keeps_country_code_and_last_four() -> None:
    assert mask_phone("+84912345678") == "+84•••••5678"
    assert mask_phone("0912 345 678") == "+84•••••5678"
    assert mask_phone("+16502530000") == "+1••••••0000"


def test_mask_phone_of_an_invalid_number_still_hides_it() -> None:
    assert mask_phone("12345678") == "••••5678"
