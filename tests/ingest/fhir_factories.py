"""Small FHIR R4 resources and bundles for the importer's tests, plus file writers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NATIONAL_ID = "http://fhir.ehealth.gov.vn/core/sid/national_id"
INSURANCE = "http://fhir.ehealth.gov.vn/core/sid/insurance_number"
FACILITY_CODE = "https://moh.gov.vn/fhir/sid/facility-code"
HOSPITAL_MRN = "urn:oid:1.2.3.4.96001"
LOINC = "http://loinc.org"

Resource = dict[str, Any]


def meta(updated: str | None) -> dict[str, Any]:
    """`meta` with lastUpdated, or nothing."""
    return {"meta": {"lastUpdated": updated}} if updated else {}


def patient(
    pid: str,
    *,
    national_id: str | None = None,
    mrn: str | None = None,
    name: tuple[str, str] = ("Nguyễn", "Văn An"),
    phone: str | None = None,
    birth: str = "1985-03-14",
    updated: str | None = None,
    card: dict[str, Any] | None = None,
) -> Resource:
    """A Patient with optional CCCD, hospital record number, phone and insurance card."""
    identifiers: list[dict[str, Any]] = []
    if national_id:
        identifiers.append({"system": NATIONAL_ID, "value": national_id})
    if mrn:
        identifiers.append({"system": HOSPITAL_MRN, "value": mrn})
    if card:
        identifiers.append({"system": INSURANCE, **card})
    resource: Resource = {
        "resourceType": "Patient",
        "id": pid,
        **meta(updated),
        "identifier": identifiers,
        "name": [{"family": name[0], "given": [name[1]]}],
        "gender": "male",
        "birthDate": birth,
        "address": [
            {
                "line": ["12 Lý Thường Kiệt"],
                "district": "Cái Nước",
                "state": "Cà Mau",
                "country": "VN",
            }
        ],
    }
    if phone:
        resource["telecom"] = [{"system": "phone", "value": phone}]
    return resource


def organization(
    oid: str, name: str = "Bệnh viện Đa khoa Cà Mau", code: str | None = "96001"
) -> Resource:
    """An Organization with a facility code."""
    identifiers = [{"system": FACILITY_CODE, "value": code}] if code else []
    return {
        "resourceType": "Organization",
        "id": oid,
        "identifier": [*identifiers, {"system": "urn:test:org", "value": oid}],
        "name": name,
        "address": [{"text": "Đường Lý Thường Kiệt, Phường 7, Cà Mau", "district": "TP Cà Mau"}],
    }


def encounter(
    eid: str,
    subject: str | None,
    *,
    provider: str | None = None,
    updated: str | None = None,
    start: str = "2025-03-01T08:00:00+07:00",
    **extra: Any,
) -> Resource:
    """A finished outpatient Encounter."""
    resource: Resource = {
        "resourceType": "Encounter",
        "id": eid,
        **meta(updated),
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "serviceType": {"text": "Khoa Nội"},
        "period": {"start": start, "end": "2025-03-01T09:30:00+07:00"},
        **extra,
    }
    if subject is not None:
        resource["subject"] = {"reference": subject}
    if provider is not None:
        resource["serviceProvider"] = {"reference": provider, "display": "Bệnh viện (hiển thị)"}
    return resource


def observation(
    oid: str,
    subject: str,
    *,
    code: str = "2339-0",
    name: str = "Glucose",
    value: float = 6.1,
    unit: str = "mmol/L",
    encounter_ref: str | None = None,
    updated: str | None = None,
) -> Resource:
    """A laboratory Observation with a quantity."""
    resource: Resource = {
        "resourceType": "Observation",
        "id": oid,
        **meta(updated),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "laboratory",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": LOINC, "code": code, "display": name}], "text": name},
        "subject": {"reference": subject},
        "effectiveDateTime": "2025-03-01T08:30:00+07:00",
        "valueQuantity": {"value": value, "unit": unit},
        "referenceRange": [{"low": {"value": 3.9}, "high": {"value": 6.4}}],
        "interpretation": [{"coding": [{"code": "N"}]}],
    }
    if encounter_ref:
        resource["encounter"] = {"reference": encounter_ref}
    return resource


def bundle(*resources: Resource, kind: str = "collection", urn: bool = False) -> Resource:
    """A Bundle of resources; with `urn`, full URLs are `urn:uuid:<id>`."""
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {"resource": resource}
        rtype, rid = resource["resourceType"], resource.get("id")
        entry["fullUrl"] = (
            f"urn:uuid:{rid}" if urn else f"https://his.example.vn/fhir/{rtype}/{rid}"
        )
        if kind in ("transaction", "batch"):
            entry["request"] = {"method": "PUT", "url": f"{rtype}/{rid}"}
        if kind == "searchset":
            entry["search"] = {"mode": "match"}
        entries.append(entry)
    return {"resourceType": "Bundle", "type": kind, "entry": entries}


def write_json(path: Path, document: Any) -> Path:
    """Write a JSON file (creating folders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_ndjson(path: Path, documents: list[Any]) -> Path:
    """Write one JSON document per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8"
    )
    return path
