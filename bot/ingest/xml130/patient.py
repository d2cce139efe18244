"""Who an XML1 is about: its CCCD, insurance cards and facility patient number, checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.identity.cccd import CccdProblem, birth_year_matches, parse_cccd
from bot.ingest.store.lookups import CitizenQuery
from bot.ingest.store.records import (
    INSURANCE_NUMBER_SYSTEM,
    PATIENT_INTERNAL_ID_SYSTEM,
    Identifier,
)
from bot.ingest.xml130.codes import CardCode, card_lookup_values, parse_card
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.records import VisitSummary

_XML1 = "XML1"


def patient_number_system(facility_code: str) -> str:
    """The identifier system of MA_BN at one facility: `...patient-internal-id|96001`.

    A facility's patient numbers are unique only within that facility, so the facility code
    is part of the system.
    """
    return f"{PATIENT_INTERNAL_ID_SYSTEM}|{facility_code}"


@dataclass(frozen=True, slots=True)
class PatientKeys:
    """The checked identifiers of an XML1's patient."""

    national_id: str | None
    cards: tuple[CardCode, ...]
    patient_number: Identifier | None

    def card_lookup_values(self) -> tuple[str, ...]:
        """Card codes as written and their 10-digit social-insurance numbers."""
        values: list[str] = []
        for card in self.cards:
            values.extend(v for v in card_lookup_values(card.number) if v not in values)
        return tuple(values)

    def query(self) -> CitizenQuery:
        """What to look the patient up by: CCCD, card codes and MA_BN."""
        numbers = (self.patient_number,) if self.patient_number is not None else ()
        return CitizenQuery(self.national_id, self.card_lookup_values(), numbers)

    def identifiers(self) -> tuple[Identifier, ...]:
        """Identifiers to record on the citizen: each card (and its 10-digit number), MA_BN."""
        found = [Identifier(INSURANCE_NUMBER_SYSTEM, value) for value in self.card_lookup_values()]
        if self.patient_number is not None:
            found.append(self.patient_number)
        return tuple(found)


_CCCD_PROBLEMS = {
    CccdProblem.NOT_DIGITS: "not 12 digits",
    CccdProblem.OLD_CMND: "a 9-digit CMND, not a 12-digit CCCD",
    CccdProblem.WRONG_LENGTH: "not 12 digits",
    CccdProblem.UNKNOWN_PROVINCE: "unknown province code in digits 1-3",
    CccdProblem.BAD_CENTURY_DIGIT: "digit 4 names a century that has not begun",
    CccdProblem.BIRTH_YEAR_IN_FUTURE: "digits 5-6 give a birth year in the future",
}


def checked_national_id(summary: VisitSummary, today: date) -> str | None:
    """SO_CCCD when present, checked for structure and against NGAY_SINH; raises HosoError."""
    if summary.national_id is None:
        return None
    result = parse_cccd(summary.national_id, today)
    if isinstance(result, CccdProblem):
        reason = _CCCD_PROBLEMS.get(result, "not a CCCD")
        raise HosoError(f"not a valid CCCD: {reason}", table=_XML1, field="SO_CCCD")
    if summary.birth_date is not None and not birth_year_matches(result, summary.birth_date.value):
        raise HosoError(
            "the birth year encoded in the CCCD differs from NGAY_SINH",
            table=_XML1,
            field="SO_CCCD",
        )
    return result.number


def patient_keys(summary: VisitSummary, today: date) -> PatientKeys:
    """The patient's checked identifiers; raises HosoError for a malformed CCCD or card."""
    cards = []
    for card in summary.cards:
        try:
            cards.append(parse_card(card.number))
        except ValueError as error:
            raise HosoError(str(error), table=_XML1, field="MA_THE_BHYT") from None
    number = None
    if summary.patient_number:
        number = Identifier(patient_number_system(summary.facility_code), summary.patient_number)
    return PatientKeys(checked_national_id(summary, today), tuple(cards), number)
