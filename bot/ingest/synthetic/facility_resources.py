"""The facility registry as a FHIR collection Bundle (`facilities.json`).

It holds, for every facility, an Organization (identifier: the insurance facility code) and a
Location managed by it; every practitioner as a Practitioner and a PractitionerRole (facility,
department); and the insurance fund's Organization, payor of every Coverage.
"""

from __future__ import annotations

from bot.ingest.synthetic.constants import (
    FACILITY_CODE_SYSTEM,
    HEALTHBOT_FHIR_BASE,
    LOCATION_PHYSICAL_TYPE,
    ORGANIZATION_TYPE,
    PRACTISING_CERTIFICATE_SYSTEM,
    PRACTITIONER_ROLE,
    V3_ROLE_CODE,
)
from bot.ingest.synthetic.facilities import (
    PAYOR_ID,
    PAYOR_NAME,
    Facility,
    FacilityKind,
    FacilityRegistry,
    StaffMember,
)
from bot.ingest.synthetic.fhir import (
    Json,
    address,
    coding,
    concept,
    human_name,
    phone,
    registry_entry,
    text_concept,
)
from bot.ingest.synthetic.identifiers import registry_id

PROVIDER_TYPE = coding(ORGANIZATION_TYPE, "prov", "Healthcare Provider")
PAYOR_TYPE = coding(ORGANIZATION_TYPE, "pay", "Payer")
BUILDING = concept(LOCATION_PHYSICAL_TYPE, "bu", "Building")
HOSPITAL_LOCATION_TYPE = concept(V3_ROLE_CODE, "HOSP", "Hospital")


def registry_bundle(registry: FacilityRegistry, last_updated: str) -> Json:
    """The registry as a `type: collection` Bundle, every resource stamped `last_updated`."""
    meta = {"lastUpdated": last_updated}
    resources: list[Json] = [_payor(meta)]
    by_code = registry.by_code()
    for facility in registry.facilities:
        parent = by_code[facility.parent_code] if facility.parent_code else None
        resources.append(_organization(facility, parent, meta))
        resources.append(_location(facility, meta))
    for facility in registry.facilities:
        for member in facility.staff:
            resources.append(_practitioner(member, meta))
            resources.append(_practitioner_role(member, facility, meta))
    return {
        "resourceType": "Bundle",
        "id": "facilities",
        "meta": meta,
        "type": "collection",
        "timestamp": last_updated,
        "entry": [registry_entry(resource, HEALTHBOT_FHIR_BASE) for resource in resources],
    }


def _payor(meta: Json) -> Json:
    return {
        "resourceType": "Organization",
        "id": PAYOR_ID,
        "meta": meta,
        "active": True,
        "type": [{"coding": [PAYOR_TYPE], "text": "Cơ quan bảo hiểm xã hội"}],
        "name": PAYOR_NAME,
        "alias": ["BHXH"],
    }


def _organization(facility: Facility, parent: Facility | None, meta: Json) -> Json:
    resource: Json = {
        "resourceType": "Organization",
        "id": facility.organization_id,
        "meta": meta,
        "identifier": [{"use": "official", "system": FACILITY_CODE_SYSTEM, "value": facility.code}],
        "active": True,
        "type": [{"coding": [PROVIDER_TYPE], "text": _kind_label(facility)}],
        "name": facility.name,
        "telecom": [phone(facility.phone, "work")],
        "address": [address(facility.address_line, facility.commune, facility.district, "work")],
    }
    if parent is not None:
        resource["partOf"] = parent.organization_reference
    return resource


def _kind_label(facility: Facility) -> str:
    if facility.kind is FacilityKind.PROVINCIAL_HOSPITAL:
        return "Bệnh viện tuyến tỉnh"
    if facility.kind is FacilityKind.DISTRICT_CENTRE:
        return "Trung tâm Y tế tuyến huyện"
    return "Trạm Y tế tuyến xã"


def _location(facility: Facility, meta: Json) -> Json:
    resource: Json = {
        "resourceType": "Location",
        "id": facility.location_id,
        "meta": meta,
        "identifier": [{"system": FACILITY_CODE_SYSTEM, "value": facility.code}],
        "status": "active",
        "name": facility.name,
        "mode": "instance",
        "telecom": [phone(facility.phone, "work")],
        "address": address(facility.address_line, facility.commune, facility.district, "work"),
        "physicalType": BUILDING,
        "managingOrganization": facility.organization_reference,
    }
    if facility.kind is FacilityKind.PROVINCIAL_HOSPITAL:
        resource["type"] = [HOSPITAL_LOCATION_TYPE]
    else:
        resource["type"] = [text_concept(_kind_label(facility))]
    return resource


def _practitioner(member: StaffMember, meta: Json) -> Json:
    return {
        "resourceType": "Practitioner",
        "id": member.id,
        "meta": meta,
        "identifier": [{"system": PRACTISING_CERTIFICATE_SYSTEM, "value": member.licence}],
        "active": True,
        "name": [human_name(member.name, member.title)],
        "gender": "female" if member.female else "male",
        "qualification": [{"code": text_concept(member.qualification)}],
    }


def _practitioner_role(member: StaffMember, facility: Facility, meta: Json) -> Json:
    role_display = "Doctor" if member.role == "doctor" else "Nurse"
    return {
        "resourceType": "PractitionerRole",
        "id": registry_id("practitioner-role", member.id),
        "meta": meta,
        "active": True,
        "practitioner": member.reference,
        "organization": facility.organization_reference,
        "code": [concept(PRACTITIONER_ROLE, member.role, role_display, member.qualification)],
        "specialty": [text_concept(member.department.value)],
        "location": [facility.location_reference],
    }
