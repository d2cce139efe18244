"""A visit's own resources: Encounter, its diagnosis Condition and MedicationRequests."""

from __future__ import annotations

from typing import Final

from bot.ingest.synthetic.clock import MINUTES_PER_DAY, day_iso, instant
from bot.ingest.synthetic.constants import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    DIAGNOSIS_ROLE,
    DISCHARGE_DISPOSITION,
    MEDICATION_REQUEST_CATEGORY,
    UCUM_SYSTEM,
    V3_ACT_CODE,
    V3_PARTICIPATION_TYPE,
)
from bot.ingest.synthetic.drugs import Drug
from bot.ingest.synthetic.facilities import StaffMember
from bot.ingest.synthetic.fhir import Json, coding, concept, quantity, text_concept
from bot.ingest.synthetic.history import AMBULATORY, EMERGENCY, INPATIENT, PlannedVisit

CLASSES: Final = {
    AMBULATORY: coding(V3_ACT_CODE, "AMB", "ambulatory"),
    INPATIENT: coding(V3_ACT_CODE, "IMP", "inpatient encounter"),
    EMERGENCY: coding(V3_ACT_CODE, "EMER", "emergency"),
}
TYPES: Final = {
    AMBULATORY: [text_concept("Khám bệnh ngoại trú")],
    INPATIENT: [text_concept("Điều trị nội trú")],
    EMERGENCY: [text_concept("Cấp cứu")],
}
PRIMARY_PERFORMER: Final = [concept(V3_PARTICIPATION_TYPE, "PPRF", "primary performer")]
MAIN_DIAGNOSIS: Final = {
    AMBULATORY: concept(DIAGNOSIS_ROLE, "billing", "Billing"),
    INPATIENT: concept(DIAGNOSIS_ROLE, "DD", "Discharge diagnosis"),
    EMERGENCY: concept(DIAGNOSIS_ROLE, "billing", "Billing"),
}
COMORBIDITY: Final = concept(DIAGNOSIS_ROLE, "CM", "Comorbidity diagnosis")
DISCHARGED_HOME: Final = {
    "dischargeDisposition": concept(DISCHARGE_DISPOSITION, "home", "Home", "Ra viện về nhà"),
}
RX_CATEGORIES: Final = {
    AMBULATORY: [concept(MEDICATION_REQUEST_CATEGORY, "outpatient", "Outpatient")],
    INPATIENT: [concept(MEDICATION_REQUEST_CATEGORY, "discharge", "Discharge")],
    EMERGENCY: [concept(MEDICATION_REQUEST_CATEGORY, "outpatient", "Outpatient")],
}
ACTIVE: Final = concept(CONDITION_CLINICAL, "active", "Active")
RESOLVED: Final = concept(CONDITION_CLINICAL, "resolved", "Resolved")
CONFIRMED: Final = concept(CONDITION_VERIFICATION, "confirmed", "Confirmed")
ENCOUNTER_DIAGNOSIS: Final = [
    concept(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis")
]


def encounter(
    resource_id: str,
    visit: PlannedVisit,
    subject: Json,
    doctor: StaffMember,
    reason: str,
    condition_ids: list[str],
    appointment_id: str | None,
    meta: Json,
    extensions: list[Json],
) -> Json:
    """The Encounter; the first condition is the main diagnosis, the others comorbidities.

    `extensions` is kept by reference, so costs known only later can still be added to it.
    """
    diagnoses = [
        {
            "condition": {"reference": "urn:uuid:" + condition_ids[0]},
            "use": MAIN_DIAGNOSIS[visit.kind],
            "rank": 1,
        }
    ]
    diagnoses += [
        {"condition": {"reference": "urn:uuid:" + condition_id}, "use": COMORBIDITY, "rank": rank}
        for rank, condition_id in enumerate(condition_ids[1:], 2)
    ]
    resource: Json = {
        "resourceType": "Encounter",
        "id": resource_id,
        "meta": meta,
        "extension": extensions,
        "status": "finished",
        "class": CLASSES[visit.kind],
        "type": TYPES[visit.kind],
        "serviceType": text_concept(visit.department.value),
        "subject": subject,
        "participant": [{"type": PRIMARY_PERFORMER, "individual": doctor.reference}],
    }
    if appointment_id is not None:
        resource["appointment"] = [{"reference": "urn:uuid:" + appointment_id}]
    resource["period"] = {"start": instant(visit.start), "end": instant(visit.end)}
    if visit.kind == INPATIENT:
        days = max(1, visit.end // MINUTES_PER_DAY - visit.start // MINUTES_PER_DAY)
        resource["length"] = quantity(days, "ngày", "d")
        resource["hospitalization"] = DISCHARGED_HOME
    resource.update(
        reasonCode=[text_concept(reason)],
        diagnosis=diagnoses,
        location=[{"location": visit.facility.location_reference, "status": "completed"}],
        serviceProvider=visit.facility.organization_reference,
    )
    return resource


def diagnosis_condition(
    resource_id: str, visit: PlannedVisit, subject: Json, encounter_id: str, today: int, meta: Json
) -> Json:
    """The visit's diagnosis as a Condition, resolved once its usual course is over."""
    resolved_day = visit.end // MINUTES_PER_DAY + visit.diagnosis.resolve_days
    resource: Json = {
        "resourceType": "Condition",
        "id": resource_id,
        "meta": meta,
        "clinicalStatus": RESOLVED if resolved_day < today else ACTIVE,
        "verificationStatus": CONFIRMED,
        "category": ENCOUNTER_DIAGNOSIS,
        "code": visit.diagnosis.concept,
        "subject": subject,
        "encounter": {"reference": "urn:uuid:" + encounter_id},
        "onsetDateTime": instant(visit.start),
    }
    if resolved_day < today:
        resource["abatementDateTime"] = day_iso(resolved_day)
    resource["recordedDate"] = instant(visit.start)
    return resource


def medication_request(
    resource_id: str,
    drug: Drug,
    days: int,
    active: bool,
    visit: PlannedVisit,
    subject: Json,
    encounter_id: str,
    prescriber: StaffMember,
    reason_id: str,
    meta: Json,
) -> Json:
    """A prescription written at the end of the visit."""
    return {
        "resourceType": "MedicationRequest",
        "id": resource_id,
        "meta": meta,
        "status": "active" if active else "completed",
        "intent": "order",
        "category": RX_CATEGORIES[visit.kind],
        "medicationCodeableConcept": drug.concept,
        "subject": subject,
        "encounter": {"reference": "urn:uuid:" + encounter_id},
        "authoredOn": instant(visit.end),
        "requester": prescriber.reference,
        "reasonReference": [{"reference": "urn:uuid:" + reason_id}],
        "dosageInstruction": [{"text": drug.instructions, "route": text_concept(drug.route)}],
        "dispenseRequest": {
            "quantity": {"value": drug.quantity_for(days), "unit": drug.unit},
            "expectedSupplyDuration": {
                "value": days,
                "unit": "ngày",
                "system": UCUM_SYSTEM,
                "code": "d",
            },
        },
    }
