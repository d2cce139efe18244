"""What a visit costs, in VND, and how the insurance fund and the patient share it.

Prices are rough 2024 public-facility figures: the examination fee by facility tier, a bed-day
for inpatients, a flat price per laboratory test, and each medicine's unit price.
"""

from __future__ import annotations

from typing import Final

from bot.ingest.synthetic.clock import MINUTES_PER_DAY
from bot.ingest.synthetic.constants import (
    EXT_VISIT_INSURANCE_PAID,
    EXT_VISIT_PATIENT_COPAY,
    EXT_VISIT_PATIENT_PAID,
    EXT_VISIT_TOTAL_COST,
)
from bot.ingest.synthetic.facilities import FacilityKind
from bot.ingest.synthetic.fhir import Json
from bot.ingest.synthetic.history import EMERGENCY, INPATIENT, PlannedVisit

EXAMINATION_FEE: Final = {
    FacilityKind.COMMUNE_STATION: 30_500,
    FacilityKind.DISTRICT_CENTRE: 34_500,
    FacilityKind.PROVINCIAL_HOSPITAL: 40_000,
}
BED_DAY: Final = {
    FacilityKind.COMMUNE_STATION: 150_000,
    FacilityKind.DISTRICT_CENTRE: 200_000,
    FacilityKind.PROVINCIAL_HOSPITAL: 280_000,
}
EMERGENCY_FEE: Final = 150_000
LAB_TEST_PRICE: Final = 40_000


def visit_cost(visit: PlannedVisit, lab_tests: int, medicines: int) -> int:
    """The total cost of a visit: examination or bed-days, tests and medicines."""
    kind = visit.facility.kind
    total = EXAMINATION_FEE[kind] + lab_tests * LAB_TEST_PRICE + medicines
    if visit.kind == INPATIENT:
        days = max(1, visit.end // MINUTES_PER_DAY - visit.start // MINUTES_PER_DAY)
        total += days * BED_DAY[kind]
    elif visit.kind == EMERGENCY:
        total += EMERGENCY_FEE
    return total


def cost_extensions(total: int, insured_percent: int | None) -> list[Json]:
    """Encounter extensions: total, fund's share, co-payment and what the patient paid."""
    insurance_paid = total * insured_percent // 100 if insured_percent is not None else 0
    patient_paid = total - insurance_paid
    copay = patient_paid if insured_percent is not None else 0
    return [
        {"url": EXT_VISIT_TOTAL_COST, "valueMoney": _vnd(total)},
        {"url": EXT_VISIT_INSURANCE_PAID, "valueMoney": _vnd(insurance_paid)},
        {"url": EXT_VISIT_PATIENT_COPAY, "valueMoney": _vnd(copay)},
        {"url": EXT_VISIT_PATIENT_PAID, "valueMoney": _vnd(patient_paid)},
    ]


def _vnd(amount: int) -> Json:
    return {"value": amount, "currency": "VND"}
