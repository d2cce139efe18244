"""Which vaccine doses a citizen received, which one is due next, and their Immunizations."""

from __future__ import annotations

from random import Random
from typing import Final

from bot.ingest.synthetic.clock import DAYS_PER_YEAR, instant, stamp_of, year_of
from bot.ingest.synthetic.facilities import Department, Facility, FacilityRegistry
from bot.ingest.synthetic.fhir import Json, concept
from bot.ingest.synthetic.people import Person
from bot.ingest.synthetic.vaccines import (
    BIRTH_DOSES,
    CHILDHOOD_SCHEDULE,
    HEPB_ADULT,
    INFLUENZA_VACCINE,
    RABIES_VACCINE,
    TETANUS_TOXOID,
    PlannedDose,
    covid_doses,
)

CHILD_RECORDS_FROM: Final = 1985
"""Childhood doses are on record for people born from this year (digitised vaccination books)."""
DUE_SOON_DAYS: Final = 60
ADMINISTERING: Final = [
    concept("http://terminology.hl7.org/CodeSystem/v2-0443", "AP", "Administering Provider")
]
_LOT_LETTERS: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def plan_doses(
    rng: Random, person: Person, today: int, window_years: int
) -> tuple[list[PlannedDose], PlannedDose | None]:
    """The doses received before `today`, oldest first, and the next childhood dose due soon."""
    received: list[PlannedDose] = []
    next_due: PlannedDose | None = None
    birth, birth_year = person.birth_day, year_of(person.birth_day)
    if birth_year >= CHILD_RECORDS_FROM:
        for scheduled in CHILDHOOD_SCHEDULE:
            first, last = scheduled.birth_years
            if not first <= birth_year <= last:
                continue
            day = birth + rng.randint(*scheduled.age_days)
            dose = PlannedDose(scheduled.vaccine, scheduled.dose, scheduled.series_doses, day)
            if day < today:
                if rng.random() < 0.95:
                    received.append(dose)
            elif day - today <= DUE_SOON_DAYS and (next_due is None or day < next_due.day):
                next_due = dose
    received += covid_doses(rng, birth)
    window_start = today - int(window_years * DAYS_PER_YEAR)
    for child_birth in person.births:
        if child_birth > window_start and rng.random() < 0.9:
            received += [
                PlannedDose(TETANUS_TOXOID, 1, 2, child_birth - 150),
                PlannedDose(TETANUS_TOXOID, 2, 2, child_birth - 120),
            ]
    if person.age >= 60 and rng.random() < 0.15:
        for years_ago in range(rng.randint(1, 4)):
            year_day = today - int((years_ago + 1) * DAYS_PER_YEAR) + rng.randint(0, 60)
            received.append(PlannedDose(INFLUENZA_VACCINE, 1, 1, year_day))
    if 18 <= person.age <= 55 and rng.random() < 0.08:
        start = rng.randint(window_start, today)
        received += [
            PlannedDose(HEPB_ADULT, n + 1, 3, start + offset)
            for n, offset in enumerate((0, 30, 180))
        ]
    earliest_bite = max(window_start, birth + 365)
    if earliest_bite < today and rng.random() < 0.02:
        start = rng.randint(earliest_bite, today)
        received += [
            PlannedDose(RABIES_VACCINE, n + 1, 4, start + offset)
            for n, offset in enumerate((0, 3, 7, 28))
        ]
    received = [dose for dose in received if birth <= dose.day < today]
    received.sort(key=lambda dose: dose.day)
    return received, next_due


def vaccination_site(person: Person, dose: PlannedDose, registry: FacilityRegistry) -> Facility:
    """Where a dose is given: birth doses where the child was born, programme doses at the
    commune station, paid vaccines at the district health centre."""
    if dose.vaccine in BIRTH_DOSES or dose.vaccine.programme == "Tiêm chủng dịch vụ":
        return registry.district_centre[person.home.district.name]
    return person.home.station


def immunization(
    rng: Random, resource_id: str, dose: PlannedDose, subject: Json, facility: Facility
) -> Json:
    """A completed Immunization with its lot number and the dose in its series."""
    when = instant(stamp_of(dose.day, 7, 30 + rng.randrange(0, 180, 5)))
    nurse = facility.doctor(rng, Department.IMMUNIZATION)
    lot = rng.choice(_LOT_LETTERS) + rng.choice(_LOT_LETTERS) + str(rng.randrange(1000, 99999))
    vaccine = dose.vaccine
    return {
        "resourceType": "Immunization",
        "id": resource_id,
        "meta": {"lastUpdated": when},
        "status": "completed",
        "vaccineCode": vaccine.concept,
        "patient": subject,
        "occurrenceDateTime": when,
        "recorded": when,
        "primarySource": True,
        "location": facility.location_reference,
        "lotNumber": lot,
        "performer": [{"function": ADMINISTERING, "actor": nurse.reference}],
        "protocolApplied": [
            {
                "series": vaccine.programme,
                "targetDisease": list(vaccine.diseases),
                "doseNumberPositiveInt": dose.dose,
                "seriesDosesPositiveInt": dose.series_doses,
            }
        ],
    }
