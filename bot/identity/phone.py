"""Phone numbers: Vietnamese forms (`0912…`, `84912…`, `+84 912…`) normalised to E.164."""

from __future__ import annotations

import phonenumbers

from bot.identity.text import ascii_digits, without_separators

DEFAULT_REGION = "VN"
MASK = "•"
_VISIBLE_DIGITS = 4


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    """The E.164 form (`+84912345678`) of a phone number, or None when it is not a valid number.

    Numbers without a country code are read as Vietnamese; `84…` without `+` is understood too,
    which is how Telegram often sends a shared contact.
    """
    cleaned = ascii_digits(text).strip()
    if not cleaned:
        return None
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(value: str) -> str:
    """A phone number with only its country code and last four digits shown: `+84•••••5678`."""
    e164 = normalise_phone(value)
    if e164 is None:
        digits = without_separators(value).lstrip("+")
        hidden = max(len(digits) - _VISIBLE_DIGITS, 0)
        return MASK * hidden + digits[hidden:]
    country_code = str(phonenumbers.parse(e164).country_code)
    national = e164[1 + len(country_code) :]
    hidden = max(len(national) - _VISIBLE_DIGITS, 0)
    return "+" + country_code + MASK * hidden + national[hidden:]
