"""Appointments: kept follow-ups, missed ones, and those booked after the reference date.

Times are office hours in Asia/Ho_Chi_Minh (07:00-11:00 and 13:30-16:30, Monday to Friday),
written with the +07:00 offset. Only appointments carry dates after the reference date.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Final

from bot.ingest.synthetic.clock import instant, next_working_day, stamp_of
from bot.ingest.synthetic.facilities import Department, Facility, StaffMember
from bot.ingest.synthetic.fhir import Json, text_concept

BRING_PAPERS: Final = "Mang theo thẻ BHYT hoặc CCCD và sổ khám bệnh; đến trước giờ hẹn 15 phút."
INSTRUCTIONS: Final = {
    "E11": "Nhịn ăn sáng trước khi lấy máu xét nghiệm đường huyết; mang theo đơn thuốc cũ, "
    "thẻ BHYT hoặc CCCD.",
    "I10": "Uống thuốc huyết áp như thường lệ; mang theo sổ theo dõi huyết áp, thẻ BHYT hoặc CCCD.",
    "E78": "Nhịn ăn ít nhất 8 giờ trước khi lấy máu xét nghiệm mỡ máu; mang theo thẻ BHYT hoặc "
    "CCCD.",
    "vaccination": "Mang theo sổ tiêm chủng; cho trẻ ăn no trước khi tiêm; ở lại trạm 30 phút "
    "sau tiêm để theo dõi.",
    "discharge": "Mang theo giấy ra viện và đơn thuốc; đến khám ngay nếu sốt cao, khó thở hoặc "
    "đau nhiều hơn.",
}
CANCEL_REASONS: Final = ("Bệnh nhân bận việc gia đình", "Bệnh nhân đi làm xa", "Trời mưa bão")


@dataclass(frozen=True, slots=True)
class PlannedAppointment:
    """An appointment before it becomes a FHIR resource."""

    status: str
    """booked, fulfilled, noshow or cancelled."""
    start: int
    minutes: int
    created: int
    facility: Facility
    department: Department
    doctor: StaffMember
    service: str
    description: str
    instructions: str
    condition_id: str | None = None


def office_slot(rng: Random, day: int) -> int:
    """A start time on a quarter hour within office hours of the working day on or after `day`."""
    working_day = next_working_day(day)
    if rng.random() < 0.65:
        return stamp_of(working_day, 7, rng.randrange(0, 240, 15))
    return stamp_of(working_day, 13, 30 + rng.randrange(0, 180, 15))


def upcoming_slot(rng: Random, today: int, within_days: int) -> int:
    """An office-hours start on a working day after `today`, at most about `within_days` on."""
    return office_slot(rng, today + rng.randint(1, within_days))


def appointment(resource_id: str, plan: PlannedAppointment, subject: Json) -> Json:
    """The Appointment with the patient, the practitioner and the location as participants."""
    created = instant(plan.created)
    resource: Json = {
        "resourceType": "Appointment",
        "id": resource_id,
        "meta": {"lastUpdated": created},
        "status": plan.status,
        "serviceType": [text_concept(plan.service)],
        "specialty": [text_concept(plan.department.value)],
    }
    if plan.condition_id is not None:
        resource["reasonReference"] = [{"reference": "urn:uuid:" + plan.condition_id}]
    if plan.status == "cancelled":
        resource["cancelationReason"] = text_concept(CANCEL_REASONS[plan.start % 3])
    resource.update(
        description=plan.description,
        start=instant(plan.start),
        end=instant(plan.start + plan.minutes),
        minutesDuration=plan.minutes,
        created=created,
        patientInstruction=plan.instructions,
        participant=[
            {"actor": subject, "required": "required", "status": "accepted"},
            {"actor": plan.doctor.reference, "required": "required", "status": "accepted"},
            {
                "actor": plan.facility.location_reference,
                "required": "required",
                "status": "accepted",
            },
        ],
    )
    return resource
