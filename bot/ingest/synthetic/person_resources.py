"""Resources about the person: Patient, RelatedPerson, Coverage, AllergyIntolerance, problem
list, and the blood-group Observation."""

from __future__ import annotations

from typing import Final

from bot.ingest.synthetic.clock import day_iso
from bot.ingest.synthetic.constants import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    BLOOD_TYPE_LOINC,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    COVERAGE_CLASS,
    COVERAGE_COPAY_TYPE,
    ETHNICITY_SYSTEM,
    EXT_BENEFIT_LEVEL,
    EXT_BENEFIT_PERCENT,
    EXT_COPAY_EXEMPT,
    EXT_ETHNICITY,
    EXT_FIVE_YEARS,
    EXT_PRIMARY_CARE,
    EXT_RESIDENCE_AREA,
    FACILITY_CODE_SYSTEM,
    INSURANCE_NUMBER_SYSTEM,
    LOINC_SYSTEM,
    OBSERVATION_CATEGORY,
    SNOMED_SYSTEM,
    SUBSCRIBER_RELATIONSHIP,
    V3_ACT_CODE,
    V3_ROLE_CODE,
)
from bot.ingest.synthetic.facilities import PAYOR_REFERENCE
from bot.ingest.synthetic.fhir import (
    INSURANCE_NUMBER_TYPE,
    Json,
    coding,
    concept,
    human_name,
    national_id,
    phone,
    quantity,
)
from bot.ingest.synthetic.insurance import GROUP_NAMES, Card
from bot.ingest.synthetic.names import Ethnicity
from bot.ingest.synthetic.people import FATHER, MOTHER, Person
from bot.ingest.synthetic.profile import AllergyKind, ChronicCase

ETHNICITY_EXTENSION: Final = {
    e: {"url": EXT_ETHNICITY, "valueCoding": coding(ETHNICITY_SYSTEM, e.code, e.label)}
    for e in Ethnicity
}
VIETNAMESE: Final = {"language": concept("urn:ietf:bcp:47", "vi", "Vietnamese", "Tiếng Việt")}
KHMER: Final = {"language": concept("urn:ietf:bcp:47", "km", "Khmer", "Tiếng Khmer")}
RELATIONSHIPS: Final = {
    MOTHER: concept(V3_ROLE_CODE, MOTHER, "mother", "Mẹ"),
    FATHER: concept(V3_ROLE_CODE, FATHER, "father", "Bố"),
    "GUARD": concept(V3_ROLE_CODE, "GUARD", "guardian", "Người giám hộ"),
}
BLOOD_GROUPS: Final = {
    "O+": ("278147001", "Blood group O Rh(D) positive"),
    "O-": ("278148006", "Blood group O Rh(D) negative"),
    "A+": ("278149003", "Blood group A Rh(D) positive"),
    "A-": ("278152006", "Blood group A Rh(D) negative"),
    "B+": ("278150003", "Blood group B Rh(D) positive"),
    "B-": ("278153001", "Blood group B Rh(D) negative"),
    "AB+": ("278151004", "Blood group AB Rh(D) positive"),
    "AB-": ("278154007", "Blood group AB Rh(D) negative"),
}
BLOOD_GROUP_VALUES: Final = {
    group: concept(SNOMED_SYSTEM, code, display, group.replace("+", " Rh+").replace("-", " Rh-"))
    for group, (code, display) in BLOOD_GROUPS.items()
}
BLOOD_TYPE_CODE: Final = concept(
    LOINC_SYSTEM, BLOOD_TYPE_LOINC, "ABO and Rh group [Type] in Blood", "Nhóm máu ABO và Rh"
)
LABORATORY: Final = [concept(OBSERVATION_CATEGORY, "laboratory", "Laboratory")]
ACTIVE: Final = concept(CONDITION_CLINICAL, "active", "Active")
CONFIRMED: Final = concept(CONDITION_VERIFICATION, "confirmed", "Confirmed")
PROBLEM_LIST: Final = [concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")]
PUBLIC_INSURANCE: Final = concept(V3_ACT_CODE, "PUBLICPOL", "public healthcare", "Bảo hiểm y tế")
SELF: Final = concept(SUBSCRIBER_RELATIONSHIP, "self", "Self")
GROUP_CLASS: Final = concept(COVERAGE_CLASS, "group", "Group")
PLAN_CLASS: Final = concept(COVERAGE_CLASS, "plan", "Plan")
COPAY_PERCENT: Final = concept(COVERAGE_COPAY_TYPE, "copaypct", "Copay Percentage")


def patient(person: Person, card: Card | None, meta: Json, links: list[str]) -> Json:
    """The Patient; `links` are ids of RelatedPerson resources describing the same person."""
    identifiers = [national_id(person.national_id)]
    if card is not None:
        identifiers.append(_insurance_identifier(card))
    resource: Json = {
        "resourceType": "Patient",
        "id": person.patient_id,
        "meta": meta,
        "extension": [ETHNICITY_EXTENSION[person.ethnicity]],
        "identifier": identifiers,
        "active": True,
        "name": [human_name(person.name)],
    }
    if person.phone is not None:
        resource["telecom"] = [phone(person.phone)]
    resource.update(
        gender="female" if person.female else "male",
        birthDate=day_iso(person.birth_day),
        address=[person.home.address],
    )
    if person.ethnicity is Ethnicity.KHMER:
        resource["communication"] = [{**KHMER, "preferred": person.age >= 60}, VIETNAMESE]
    else:
        resource["communication"] = [{**VIETNAMESE, "preferred": True}]
    if links:
        resource["link"] = [
            {"other": {"reference": "urn:uuid:" + link}, "type": "seealso"} for link in links
        ]
    return resource


def related_person(
    resource_id: str, child: Person, guardian: Person, relationship: str, meta: Json
) -> Json:
    """The child's guardian, identified by the guardian's CCCD."""
    resource: Json = {
        "resourceType": "RelatedPerson",
        "id": resource_id,
        "meta": meta,
        "identifier": [national_id(guardian.national_id)],
        "active": True,
        "patient": {"reference": "urn:uuid:" + child.patient_id},
        "relationship": [RELATIONSHIPS[relationship]],
        "name": [human_name(guardian.name)],
    }
    if guardian.phone is not None:
        resource["telecom"] = [phone(guardian.phone)]
    resource.update(
        gender="female" if guardian.female else "male",
        birthDate=day_iso(guardian.birth_day),
        address=[guardian.home.address],
    )
    return resource


def _insurance_identifier(card: Card) -> Json:
    return {
        "use": "official",
        "type": INSURANCE_NUMBER_TYPE,
        "system": INSURANCE_NUMBER_SYSTEM,
        "value": card.code,
    }


def coverage(resource_id: str, card: Card, subject: Json, meta: Json, start: int, end: int) -> Json:
    """A Coverage for one period of the card."""
    primary_care = card.primary_care
    extensions: list[Json] = [
        {"url": EXT_BENEFIT_LEVEL, "valueInteger": card.level},
        {"url": EXT_BENEFIT_PERCENT, "valueInteger": card.percent},
        {
            "url": EXT_PRIMARY_CARE,
            "valueReference": {
                **primary_care.organization_reference,
                "identifier": {"system": FACILITY_CODE_SYSTEM, "value": primary_care.code},
            },
        },
    ]
    if card.five_years is not None:
        extensions.append({"url": EXT_FIVE_YEARS, "valueDate": day_iso(card.five_years)})
    if card.copay_exempt is not None:
        extensions.append({"url": EXT_COPAY_EXEMPT, "valueDate": day_iso(card.copay_exempt)})
    if card.residence_area is not None:
        extensions.append({"url": EXT_RESIDENCE_AREA, "valueString": card.residence_area})
    return {
        "resourceType": "Coverage",
        "id": resource_id,
        "meta": meta,
        "extension": extensions,
        "identifier": [_insurance_identifier(card)],
        "status": "active",
        "type": PUBLIC_INSURANCE,
        "subscriberId": card.code,
        "beneficiary": subject,
        "relationship": SELF,
        "period": {"start": day_iso(start), "end": day_iso(end)},
        "payor": [PAYOR_REFERENCE],
        "class": [
            {"type": GROUP_CLASS, "value": card.group, "name": GROUP_NAMES[card.group]},
            {
                "type": PLAN_CLASS,
                "value": str(card.level),
                "name": f"Mức hưởng {card.level} ({card.percent}%)",
            },
        ],
        "costToBeneficiary": [
            {"type": COPAY_PERCENT, "valueQuantity": quantity(100 - card.percent, "%", "%")}
        ],
    }


def allergy(resource_id: str, kind: AllergyKind, subject: Json, recorded: str, meta: Json) -> Json:
    """An AllergyIntolerance with its reaction."""
    return {
        "resourceType": "AllergyIntolerance",
        "id": resource_id,
        "meta": meta,
        "clinicalStatus": concept(ALLERGY_CLINICAL, "active", "Active"),
        "verificationStatus": concept(ALLERGY_VERIFICATION, "confirmed", "Confirmed"),
        "type": "allergy",
        "category": [kind.category],
        "criticality": kind.criticality,
        "code": kind.substance,
        "patient": subject,
        "recordedDate": recorded,
        "reaction": [{"manifestation": [kind.manifestation], "severity": kind.severity}],
    }


def problem(resource_id: str, case: ChronicCase, subject: Json, meta: Json) -> Json:
    """A problem-list Condition for a chronic disease, active since its onset."""
    onset = day_iso(case.onset_day)
    return {
        "resourceType": "Condition",
        "id": resource_id,
        "meta": meta,
        "clinicalStatus": ACTIVE,
        "verificationStatus": CONFIRMED,
        "category": PROBLEM_LIST,
        "code": case.disease.diagnosis.concept,
        "subject": subject,
        "onsetDateTime": onset,
        "recordedDate": onset,
    }


def blood_group(resource_id: str, person: Person, subject: Json, when: str, meta: Json) -> Json:
    """The ABO and Rh blood group as an Observation (LOINC 882-1, SNOMED CT value)."""
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "meta": meta,
        "status": "final",
        "category": LABORATORY,
        "code": BLOOD_TYPE_CODE,
        "subject": subject,
        "effectiveDateTime": when,
        "issued": when,
        "valueCodeableConcept": BLOOD_GROUP_VALUES[person.blood_group],
    }
