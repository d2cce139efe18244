"""Decide which stored citizen an XML1 is about, or that a new one may be created.

Order: the CCCD (SO_CCCD); else an insurance card of MA_THE_BHYT known as an identifier or
a card period; else the facility's patient number MA_BN. A new citizen is created only
when the file gives a valid CCCD. Anything contradictory (the card or patient number held
by another citizen, two citizens holding the cards, a different CCCD on the matched citizen)
rejects the HOSO rather than risk mixing two people's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.ingest.store.lookups import CitizenCandidates, KnownCitizen
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.mapping import new_citizen_key
from bot.ingest.xml130.patient import PatientKeys

_XML1 = "XML1"


@dataclass(frozen=True, slots=True)
class PatientMatch:
    """The citizen to write into: a stored one, or a new one keyed by its CCCD."""

    source_key: str
    known: KnownCitizen | None


def _single(citizens: dict[int, KnownCitizen]) -> KnownCitizen | None:
    if len(citizens) > 1:
        raise HosoError("the cards belong to different citizens", table=_XML1, field="MA_THE_BHYT")
    return next(iter(citizens.values()), None)


def match_patient(keys: PatientKeys, found: CitizenCandidates) -> PatientMatch:
    """The citizen this XML1 is about among the stored citizens its identifiers name
    (`found`, from `find_citizen_candidates`); raises HosoError when it cannot be told safely.
    """
    by_number = found.by_identifier.get(keys.patient_number) if keys.patient_number else None
    chosen = found.by_national_id or _single(found.by_card) or by_number
    if chosen is None:
        if keys.national_id is None:
            raise HosoError(
                "no CCCD, and neither the insurance card nor MA_BN is known",
                table=_XML1,
                field="SO_CCCD",
            )
        return PatientMatch(new_citizen_key(keys.national_id), None)
    if set(found.by_card) - {chosen.id}:
        raise HosoError(
            "the card is recorded for another citizen", table=_XML1, field="MA_THE_BHYT"
        )
    if by_number is not None and by_number.id != chosen.id:
        raise HosoError(
            "this facility's patient number is recorded for another citizen",
            table=_XML1,
            field="MA_BN",
        )
    if keys.national_id is not None and chosen.national_id not in (None, keys.national_id):
        raise HosoError(
            "differs from the CCCD of the citizen holding the card or patient number",
            table=_XML1,
            field="SO_CCCD",
        )
    return PatientMatch(chosen.source_key, chosen)
