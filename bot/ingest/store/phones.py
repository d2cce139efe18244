"""Phone numbers from facility data, brought to E.164 before they are stored."""

from __future__ import annotations

import phonenumbers

from bot.identity.phone import DEFAULT_REGION, normalise_phone
from bot.identity.text import ascii_digits


def phone_to_e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 form of a phone number from a record, or None when it cannot be read.

    A valid Vietnamese reading wins. Otherwise the number is read in `region` (the country of
    the record's address, say) or by its own `+` country code, and kept when it has a possible
    length there: facilities abroad and test data use numbers no operator has issued yet.
    """
    vietnamese = normalise_phone(raw)
    if vietnamese is not None:
        return vietnamese
    cleaned = ascii_digits(raw).strip()
    if not cleaned:
        return None
    for candidate_region in dict.fromkeys((region.upper(), DEFAULT_REGION)):
        try:
            number = phonenumbers.parse(cleaned, candidate_region)
        except phonenumbers.NumberParseException:
            continue
        if number.country_code == 84 and not cleaned.startswith("+"):
            continue  # a number read as Vietnamese only by default, and not valid there
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
