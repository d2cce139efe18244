"""Record rows of one synthetic citizen for the direct load: visits with their diagnosis, medicine
and results, immunizations, appointments, a chronic condition or an allergy for some.

Content (diagnoses, medicines, lab tests, vaccines, facilities) comes from the FHIR generator's
tables, so both populations read alike in the bot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any, Final

from bot.ingest.store.records import CODE_SYSTEM_ICD10, CODE_SYSTEM_LOINC
from bot.ingest.synthetic import vaccines
from bot.ingest.synthetic.diagnoses import ACUTE, CHECKUP, CHRONIC, Diagnosis
from bot.ingest.synthetic.facilities import Facility, FacilityRegistry
from bot.ingest.synthetic.labs import FULL_CHECKUP, LabTest
from bot.ingest.synthetic.people import Person

Row = dict[str, Any]
Rows = dict[str, list[Row]]

MEAN_RESULTS_PER_VISIT: Final = 2.0
HISTORY_DAYS: Final = 3650
_VACCINES: Final = tuple(v for v in vars(vaccines).values() if isinstance(v, vaccines.Vaccine))
_LAB_TESTS: Final = tuple({t.loinc: t for order in FULL_CHECKUP for t in order.tests}.values())
_ALLERGENS: Final = ("Penicilin", "Hải sản (tôm, cua)", "Aspirin", "Đậu phộng", "Sulfamid")


def floor_exponential_scale(mean: float) -> float:
    """The exponential mean whose floor has the given mean (a geometric distribution)."""
    return 1.0 / math.log1p(1.0 / mean)


_RESULT_SCALE: Final = floor_exponential_scale(MEAN_RESULTS_PER_VISIT)


def row_key(seed: int, table: str, row_id: int) -> str:
    """The source key of a direct-loaded row."""
    return f"direct:{seed}:{table}:{row_id}"


def local_time(day: int, minutes: int) -> datetime:
    """A UTC instant: `minutes` after midnight of ordinal `day` in Vietnam (UTC+7)."""
    midnight = datetime.combine(date.fromordinal(day), datetime.min.time(), UTC)
    return midnight + timedelta(minutes=minutes - 7 * 60)


@dataclass(slots=True)
class IdCounters:
    """The next primary key of every table (ids are assigned here, not by the database)."""

    next_ids: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        """A fresh id for a row of `table`."""
        value = self.next_ids.get(table, 1)
        self.next_ids[table] = value + 1
        return value


class RecordRows:
    """Draws the record rows of citizens; ids come from shared counters."""

    def __init__(self, seed: int, today: int, ids: IdCounters, registry: FacilityRegistry,
                 facility_ids: dict[str, int]) -> None:
        self.seed = seed
        self.today = today
        self.ids = ids
        self.registry = registry
        self.facility_ids = facility_ids
        """Facility ids by insurance code (filled once the facilities are written)."""
        self._stamp = local_time(today, 0)

    def allergy(self, rng: Random, person: Person, citizen_id: int, rows: Rows) -> None:
        """An allergy row."""
        row_id = self.ids.take("allergies")
        rows["allergies"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "allergy", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": None,
                "substance": rng.choice(_ALLERGENS),
                "category": "medication",
                "criticality": "low",
                "severity": "mild",
                "reaction": "Nổi mẩn ngứa",
                "clinical_status": "active",
                "recorded": local_time(self._day_since(rng, person), 9 * 60),
            }
        )

    def _day_since(self, rng: Random, person: Person) -> int:
        first = max(person.birth_day, self.today - HISTORY_DAYS)
        return first + int(rng.random() * max(1, self.today - first))

    def _facility(self, rng: Random, person: Person) -> Facility:
        if rng.random() < 0.7:
            return person.home.station
        return self.registry.district_centre.get(person.home.district.name, person.home.station)

    def chronic(
        self, rng: Random, person: Person, citizen_id: int, rows: Rows
    ) -> Diagnosis | None:
        if person.age < 40 or rng.random() >= 0.25:
            return None
        disease = CHRONIC[int(rng.random() * len(CHRONIC))]
        diagnosis = disease.diagnosis
        row_id = self.ids.take("conditions")
        onset = local_time(self._day_since(rng, person), 9 * 60)
        rows["conditions"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "condition", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": None,
                "visit_id": None,
                "code": diagnosis.code,
                "code_system": CODE_SYSTEM_ICD10,
                "name": diagnosis.display,
                "category": "problem-list-item",
                "clinical_status": "active",
                "onset": onset,
                "abated": None,
            }
        )
        drugs = disease.regimens[0][1] if disease.regimens else ()
        if drugs:
            self._medication(drugs[0], citizen_id, None, None, onset, None, rows, active=True)
        return diagnosis

    def visit(
        self,
        rng: Random,
        person: Person,
        citizen_id: int,
        chronic: Diagnosis | None,
        percent: int,
        rows: Rows,
    ) -> None:
        diagnosis = chronic if chronic is not None and rng.random() < 0.5 else _acute(rng)
        facility = self._facility(rng, person)
        doctor = facility.doctor(rng, diagnosis.department).name.text if facility.staff else None
        start = local_time(self._day_since(rng, person), rng.randint(7 * 60, 16 * 60))
        inpatient = rng.random() < diagnosis.inpatient
        end = start + (
            timedelta(days=rng.randint(*diagnosis.stay_days))
            if inpatient
            else timedelta(minutes=rng.randint(20, 120))
        )
        total = rng.randint(30, 900) * 1000
        paid = total * percent // 100
        visit_id = self.ids.take("visits")
        rows["visits"].append(
            {
                "id": visit_id,
                "source_key": row_key(self.seed, "visit", visit_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": self.facility_ids[facility.code],
                "facility_name": facility.name,
                "visit_type": "inpatient" if inpatient else "outpatient_visit",
                "department": diagnosis.department.value,
                "practitioner_name": doctor,
                "start": start,
                "end": end,
                "reason": rng.choice(diagnosis.reasons) if diagnosis.reasons else None,
                "outcome": None,
                "main_diagnosis_code": diagnosis.code,
                "main_diagnosis_name": diagnosis.display,
                "total_cost": total,
                "insurance_paid": paid,
                "patient_copay": total - paid,
                "patient_paid": total - paid,
                "follow_up_date": None,
            }
        )
        rows["diagnoses"].append(
            {
                "id": self.ids.take("diagnoses"),
                "visit_id": visit_id,
                "code": diagnosis.code,
                "code_system": CODE_SYSTEM_ICD10,
                "name": diagnosis.display,
                "rank": 0,
            }
        )
        if diagnosis.drugs and rng.random() < 0.6:
            drug = diagnosis.drugs[int(rng.random() * len(diagnosis.drugs))]
            self._medication(
                drug, citizen_id, visit_id, self.facility_ids[facility.code], start, doctor, rows
            )
        for _ in range(int(rng.expovariate(1.0 / _RESULT_SCALE))):
            self._observation(
                rng, person, citizen_id, visit_id, self.facility_ids[facility.code], start, rows
            )

    def _medication(
        self,
        drug: Any,
        citizen_id: int,
        visit_id: int | None,
        facility_id: int | None,
        authored: datetime,
        prescriber: str | None,
        rows: Rows,
        *,
        active: bool = False,
    ) -> None:
        row_id = self.ids.take("medications")
        quantity = max(1.0, drug.per_day * drug.course_days)
        rows["medications"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "medication", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": facility_id,
                "visit_id": visit_id,
                "code": drug.atc,
                "name": drug.name,
                "strength": None,
                "route": drug.route,
                "dosage": drug.instructions,
                "quantity": quantity,
                "unit": drug.unit,
                "unit_price": drug.price,
                "total": int(quantity * drug.price),
                "insurance_paid": None,
                "status": "active" if active else "completed",
                "active": active,
                "authored": authored,
                "prescriber": prescriber,
            }
        )

    def _observation(
        self,
        rng: Random,
        person: Person,
        citizen_id: int,
        visit_id: int,
        facility_id: int,
        start: datetime,
        rows: Rows,
    ) -> None:
        test: LabTest = _LAB_TESTS[int(rng.random() * len(_LAB_TESTS))]
        mean, spread = test.female_normal if person.female else test.male_normal
        value = round(max(0.0, rng.gauss(mean, spread)), test.decimals)
        low, high = test.bounds(person.female)
        flag = (
            "H"
            if high is not None and value > high
            else "L"
            if low is not None and value < low
            else "N"
        )
        row_id = self.ids.take("observations")
        rows["observations"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "observation", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": facility_id,
                "visit_id": visit_id,
                "category": "laboratory",
                "code": test.loinc,
                "code_system": CODE_SYSTEM_LOINC,
                "name": test.text,
                "value_number": value,
                "value_text": None,
                "unit": test.unit,
                "reference_low": low,
                "reference_high": high,
                "reference_text": None,
                "interpretation": flag,
                "conclusion": None,
                "effective": start + timedelta(hours=1),
            }
        )

    def immunization(
        self, rng: Random, person: Person, citizen_id: int, rows: Rows
    ) -> None:
        vaccine = _VACCINES[int(rng.random() * len(_VACCINES))]
        day = person.birth_day + int(rng.random() * max(1, self.today - person.birth_day))
        row_id = self.ids.take("immunizations")
        rows["immunizations"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "immunization", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": self.facility_ids[person.home.station.code],
                "vaccine_code": vaccine.cvx,
                "vaccine_name": vaccine.text,
                "target_disease": vaccine.diseases[0].get("text") if vaccine.diseases else None,
                "dose_number": str(rng.randint(1, 3)),
                "lot_number": f"L{rng.randint(10000, 99999)}",
                "status": "completed",
                "occurred": local_time(day, 8 * 60),
            }
        )

    def appointment(
        self, rng: Random, person: Person, citizen_id: int, rows: Rows
    ) -> None:
        station = person.home.station
        start = local_time(self.today + rng.randint(1, 60), rng.randint(7, 15) * 60)
        row_id = self.ids.take("appointments")
        rows["appointments"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "appointment", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "facility_id": self.facility_ids[station.code],
                "status": "booked",
                "start": start,
                "end": start + timedelta(minutes=30),
                "department": "Khoa Khám bệnh",
                "practitioner_name": None,
                "reason": "Tái khám",
                "instructions": "Mang theo thẻ BHYT và CCCD.",
                "cancelled_at": None,
                "cancelled_by_telegram_id": None,
            }
        )


_ACUTE_CHOICES: Final = (*ACUTE, CHECKUP)


def _acute(rng: Random) -> Diagnosis:
    return _ACUTE_CHOICES[int(rng.random() * len(_ACUTE_CHOICES))]
