"""FHIR identifiers brought to the store's systems: CCCD, insurance card, facility code."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.identity.text import without_separators
from bot.ingest.fhir.datatypes import Json, codings
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.vocabulary import (
    FACILITY_CODE_SYSTEMS,
    INSURANCE_NUMBER_SYSTEMS,
    INSURANCE_NUMBER_TYPE,
    NATIONAL_ID_SYSTEMS,
    NATIONAL_ID_TYPE,
    V2_IDENTIFIER_TYPE,
)
from bot.ingest.store import FACILITY_CODE_SYSTEM, INSURANCE_NUMBER_SYSTEM, NATIONAL_ID_SYSTEM

_NATIONAL_ID = re.compile(r"^\d{12}$")
_FACILITY_CODE = re.compile(r"^[0-9A-Z]{5}$")


def _type_code(identifier: Json) -> str | None:
    for coding in codings(identifier.get("type")):
        if coding.get("system") in (V2_IDENTIFIER_TYPE, None):
            return str(coding.get("code"))
    return None


def normalise(identifier: Any) -> tuple[str, str] | None:
    """(system, value) of one identifier in the store's terms; None when it has no system.

    Raises:
        EntryError: a national ID that is not 12 digits.
    """
    if not isinstance(identifier, dict):
        raise EntryError("identifier must be an object")
    value, system = identifier.get("value"), identifier.get("system")
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    type_code = _type_code(identifier)
    if system in NATIONAL_ID_SYSTEMS or type_code == NATIONAL_ID_TYPE:
        digits = without_separators(value)
        if not _NATIONAL_ID.match(digits):
            raise EntryError("a national ID (CCCD) identifier is not 12 digits")
        return NATIONAL_ID_SYSTEM, digits
    if system in INSURANCE_NUMBER_SYSTEMS or type_code == INSURANCE_NUMBER_TYPE:
        return INSURANCE_NUMBER_SYSTEM, without_separators(value).upper()
    if system in FACILITY_CODE_SYSTEMS and _FACILITY_CODE.match(value.upper()):
        return FACILITY_CODE_SYSTEM, value.upper()
    if isinstance(system, str) and system.strip():
        return system.strip(), value
    return None


def normalised_identifiers(identifiers: Iterable[Any]) -> list[tuple[str, str]]:
    """Every identifier that has a system, in the store's terms."""
    found = []
    for identifier in identifiers:
        pair = normalise(identifier)
        if pair is not None:
            found.append(pair)
    return found


def value_of(pairs: Iterable[tuple[str, str]], system: str) -> str | None:
    """The first value of `system` among normalised identifiers."""
    return next((value for s, value in pairs if s == system), None)
