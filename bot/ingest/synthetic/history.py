"""Plan a citizen's visits over the record window: acute illness, chronic follow-up,
check-ups, pregnancy care and deliveries.

Records go back `HISTORY_YEARS` (electronic insurance records began with QĐ 4210 in 2017).
`density` scales how often people visit; 1.0 gives about 20 visits per citizen on average.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Final

from bot.ingest.synthetic.clock import (
    DAYS_PER_YEAR,
    MINUTES_PER_DAY,
    month_of,
    next_working_day,
    stamp_of,
    year_of,
)
from bot.ingest.synthetic.diagnoses import (
    ACUTE,
    ANTENATAL,
    CAESAREAN,
    CHECKUP,
    DELIVERY,
    Diagnosis,
)
from bot.ingest.synthetic.facilities import Department, Facility, FacilityKind, FacilityRegistry
from bot.ingest.synthetic.people import Person
from bot.ingest.synthetic.profile import ClinicalProfile
from bot.ingest.synthetic.weighted import WeightedTable, poisson

HISTORY_YEARS: Final = 8
MAX_VISITS: Final = 160
ACUTE_RATE: Final = (2.5, 1.1, 0.8, 1.3)
"""Acute visits a year by age band: under 6, 6-14, 15-59, 60 and over."""
ACUTE_BY_BAND: Final = tuple(
    WeightedTable({d: d.weights[band] for d in ACUTE if d.weights[band] > 0}) for band in range(4)
)
RAINY_MONTHS: Final = frozenset(range(5, 12))
FALLBACK: Final = ACUTE[0]
AMBULATORY, INPATIENT, EMERGENCY = "AMB", "IMP", "EMER"


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """One visit before it becomes FHIR resources."""

    start: int
    end: int
    kind: str
    """Encounter class: AMB, IMP or EMER."""
    diagnosis: Diagnosis
    facility: Facility
    department: Department
    follow_up: bool
    """A chronic-disease follow-up (its diagnosis is a problem-list Condition)."""


def age_band(age: int) -> int:
    """0 under 6, 1 for 6-14, 2 for 15-59, 3 for 60 and over."""
    return 0 if age < 6 else 1 if age < 15 else 2 if age < 60 else 3


class VisitPlanner:
    """Plans visits for citizens of one population."""

    def __init__(self, registry: FacilityRegistry, today: int, density: float) -> None:
        self._registry = registry
        self._today = today
        self._density = density

    def plan(
        self,
        rng: Random,
        person: Person,
        profile: ClinicalProfile,
        primary_care: Facility,
        employed: bool,
    ) -> list[PlannedVisit]:
        """Every visit of the citizen in the record window, oldest first."""
        window_start = max(person.birth_day, self._today - int(HISTORY_YEARS * DAYS_PER_YEAR))
        visits = self._acute(rng, person, primary_care, window_start)
        visits += self._follow_ups(rng, person, profile, primary_care, window_start)
        visits += self._pregnancies(rng, person, window_start)
        if employed:
            visits += self._checkups(rng, person, primary_care, window_start)
        visits.sort(key=lambda visit: visit.start)
        return visits[-MAX_VISITS:]

    def _acute(
        self, rng: Random, person: Person, primary_care: Facility, window_start: int
    ) -> list[PlannedVisit]:
        visits = []
        year_start = window_start
        while year_start < self._today:
            year_end = min(self._today, year_start + 365)
            band = age_band((year_start - person.birth_day) // 365)
            mean = ACUTE_RATE[band] * self._density * (year_end - year_start) / 365
            for _ in range(poisson(rng, mean)):
                day = rng.randrange(year_start, year_end)
                diagnosis = _acute_diagnosis(rng, band, day)
                visits.append(self._visit(rng, person, diagnosis, day, primary_care))
            year_start = year_end
        return visits

    def _follow_ups(
        self,
        rng: Random,
        person: Person,
        profile: ClinicalProfile,
        primary_care: Facility,
        window_start: int,
    ) -> list[PlannedVisit]:
        if not profile.chronic:
            return []
        interval = max(14, int(profile.follow_up_days / self._density))
        first_case = min(profile.chronic, key=lambda case: case.onset_day)
        main = first_case.disease.diagnosis
        day = max(window_start, first_case.onset_day)
        day += rng.randint(0, interval)
        visits = []
        while day < self._today:
            working_day = next_working_day(day)
            if working_day < self._today:
                facility = self._ambulatory_facility(rng, primary_care)
                start = _office_time(rng, working_day)
                visits.append(
                    PlannedVisit(
                        start,
                        start + rng.randint(10, 40),
                        AMBULATORY,
                        main,
                        facility,
                        _department(facility, main.department, person),
                        True,
                    )
                )
            day += interval + rng.randint(-5, 5)
        return visits

    def _pregnancies(self, rng: Random, person: Person, window_start: int) -> list[PlannedVisit]:
        visits = []
        for birth in person.births:
            if birth - 270 < window_start or birth >= self._today:
                continue
            for weeks_before in (32, 24, 16, 8, 3):
                if rng.random() < 0.8:
                    visits.append(
                        self._visit(
                            rng, person, ANTENATAL, birth - weeks_before * 7, person.home.station
                        )
                    )
            delivery = CAESAREAN if rng.random() < 0.3 else DELIVERY
            facility = self._hospital(rng, person)
            admitted = stamp_of(birth, rng.randint(0, 23), rng.randrange(0, 60, 5))
            discharged = stamp_of(birth + rng.randint(*delivery.stay_days), rng.randint(8, 10))
            admitted, discharged = self._in_the_past(admitted, discharged)
            visits.append(
                PlannedVisit(
                    admitted,
                    discharged,
                    INPATIENT,
                    delivery,
                    facility,
                    _department(facility, Department.OBSTETRICS, person),
                    False,
                )
            )
        return visits

    def _checkups(
        self, rng: Random, person: Person, primary_care: Facility, window_start: int
    ) -> list[PlannedVisit]:
        first_year, last_year = year_of(window_start), year_of(self._today - 1)
        visits = []
        for year in range(first_year, last_year + 1):
            if rng.random() < 0.5:
                day = window_start + int((year - first_year + rng.random()) * DAYS_PER_YEAR)
                if window_start <= day < self._today:
                    visits.append(self._visit(rng, person, CHECKUP, day, primary_care))
        return visits

    def _visit(
        self, rng: Random, person: Person, diagnosis: Diagnosis, day: int, primary_care: Facility
    ) -> PlannedVisit:
        roll = rng.random()
        if roll < diagnosis.inpatient:
            facility = self._hospital(rng, person)
            start = stamp_of(day, rng.randint(6, 21), rng.randrange(0, 60, 5))
            end = stamp_of(
                day + rng.randint(*diagnosis.stay_days), rng.randint(8, 10), rng.randrange(0, 60, 5)
            )
            kind = INPATIENT
            department = _department(facility, diagnosis.department, person)
        elif roll < diagnosis.inpatient + diagnosis.emergency:
            facility = self._hospital(rng, person)
            start = day * MINUTES_PER_DAY + rng.randrange(0, MINUTES_PER_DAY - 300, 5)
            end = start + rng.randint(60, 240)
            kind, department = EMERGENCY, Department.EMERGENCY
        else:
            facility = self._ambulatory_facility(rng, primary_care)
            start = _office_time(rng, next_working_day(day))
            end = start + rng.randint(10, 45)
            kind = AMBULATORY
            department = _department(facility, diagnosis.department, person)
        start, end = self._in_the_past(start, end)
        return PlannedVisit(start, end, kind, diagnosis, facility, department, False)

    def _in_the_past(self, start: int, end: int) -> tuple[int, int]:
        """A visit that would end on or after the reference day ends the afternoon before."""
        if end // MINUTES_PER_DAY < self._today:
            return start, end
        end = stamp_of(self._today - 1, 16, 30)
        return min(start, end - 10), end

    def _ambulatory_facility(self, rng: Random, primary_care: Facility) -> Facility:
        roll = rng.random()
        if roll < 0.7:
            return primary_care
        district = primary_care.district
        if roll < 0.92:
            return self._registry.district_centre[district.name]
        return self._registry.provincial_hospital[district.former_province]

    def _hospital(self, rng: Random, person: Person) -> Facility:
        district = person.home.district
        if rng.random() < 0.6:
            return self._registry.district_centre[district.name]
        if person.age < 16 and district.former_province == "Cà Mau" and rng.random() < 0.6:
            return self._registry.paediatric_hospital
        return self._registry.provincial_hospital[district.former_province]


def _acute_diagnosis(rng: Random, band: int, day: int) -> Diagnosis:
    for _ in range(6):
        diagnosis = ACUTE_BY_BAND[band].pick(rng)
        first, last = diagnosis.years
        if not first <= year_of(day) <= last:
            continue
        if diagnosis.rainy_season and month_of(day) not in RAINY_MONTHS and rng.random() < 0.75:
            continue
        return diagnosis
    return FALLBACK


def _office_time(rng: Random, day: int) -> int:
    if rng.random() < 0.7:
        return stamp_of(day, 7, rng.randrange(0, 240, 5))
    return stamp_of(day, 13, 30 + rng.randrange(0, 150, 5))


def _department(facility: Facility, wanted: Department, person: Person) -> Department:
    if facility.kind is FacilityKind.COMMUNE_STATION:
        return Department.OUTPATIENT
    if (
        person.age < 16
        and wanted in (Department.INTERNAL, Department.OUTPATIENT, Department.INFECTIOUS)
        and facility.has(Department.PAEDIATRICS)
    ):
        return Department.PAEDIATRICS
    return wanted if facility.has(wanted) else Department.OUTPATIENT
