"""Real third-party FHIR: Synthea R4 bundles (tests/fixtures/synthea-r4, Apache-2.0)."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.db.models import (
    Citizen,
    CitizenPhone,
    Condition,
    Facility,
    Immunization,
    Medication,
    Observation,
    Visit,
)
from bot.db.session import Database
from bot.ingest.fhir import Outcome, import_paths
from tests.ingest.conftest import SYNTHEA, snapshot
from tests.ingest.fhir_factories import NATIONAL_ID, write_json

BUSTER = SYNTHEA / "Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json"
CLEMENTE = SYNTHEA / "Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json"
CCCD = "096088004321"  # born 1988, male, birth registered in Cà Mau
SYNTHEA_ID = "https://github.com/synthetichealth/synthea"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def with_vietnamese_identity(document: dict[str, Any]) -> dict[str, Any]:
    """The bundle with a CCCD and a Vietnamese mobile number added to its Patient."""
    changed = copy.deepcopy(document)
    person = changed["entry"][0]["resource"]
    person["identifier"].append({"system": NATIONAL_ID, "value": CCCD})
    person["telecom"].append({"system": "phone", "value": "0912 000 321", "use": "mobile"})
    return changed


def types_in(document: dict[str, Any]) -> Counter[str]:
    return Counter(entry["resource"]["resourceType"] for entry in document["entry"])


async def _count(db: Database, model: type, citizen_id: int) -> int:
    async with db.unit_of_work() as session:
        statement = select(func.count()).select_from(model).where(model.citizen_id == citizen_id)
        return (await session.execute(statement)).scalar_one()


async def test_a_synthea_patient_with_a_cccd_is_found_with_their_whole_record(
    db: Database, tmp_path: Path
) -> None:
    source = with_vietnamese_identity(load(BUSTER))
    files = [write_json(tmp_path / BUSTER.name, source), CLEMENTE]
    report = await import_paths(db, files, progress=False)
    assert report.ok, report.rejections
    mine, expected = types_in(source), types_in(source) + types_in(load(CLEMENTE))
    assert report.total() == sum(expected.values())
    assert (
        report.counts["Claim"].skipped == expected["Claim"]
        and report.counts["Observation"].imported == expected["Observation"]
    )

    async with db.unit_of_work() as session:
        citizen = (
            await session.execute(select(Citizen).where(Citizen.national_id == CCCD))
        ).scalar_one()
        by_phone = (
            await session.execute(
                select(CitizenPhone.citizen_id).where(CitizenPhone.e164 == "+84912000321")
            )
        ).scalar_one()
        phones = set(
            (
                await session.execute(
                    select(CitizenPhone.e164).where(CitizenPhone.citizen_id == citizen.id)
                )
            ).scalars()
        )
        visits = list(
            (await session.execute(select(Visit).where(Visit.citizen_id == citizen.id))).scalars()
        )
        [hospital] = (
            await session.execute(select(Facility).where(Facility.id == visits[0].facility_id))
        ).scalars()
        blood_pressure = list(
            (
                await session.execute(
                    select(Observation.code).where(
                        Observation.citizen_id == citizen.id, Observation.source_key.like("%#%")
                    )
                )
            ).scalars()
        )
        other = (
            await session.execute(select(Citizen).where(Citizen.id != citizen.id))
        ).scalar_one()
    assert by_phone == citizen.id and phones == {"+84912000321", "+15558662259"}
    assert (citizen.full_name, str(citizen.birth_date), citizen.sex) == (
        "Buster Hoeger",
        "1988-03-16",
        "male",
    )
    assert len(visits) == mine["Encounter"]
    assert {v.facility_name for v in visits} == {hospital.name} and hospital.name.isupper()
    assert {v.practitioner_name for v in visits} == {"Antonia Stark"}
    panels = sum(1 for e in source["entry"] if "component" in e["resource"])
    assert await _count(db, Observation, citizen.id) == mine["Observation"] + panels
    assert sorted(blood_pressure) == sorted(["8462-4", "8480-6"] * panels) and panels == 3
    assert await _count(db, Immunization, citizen.id) == mine["Immunization"]
    assert await _count(db, Condition, citizen.id) == mine["Condition"]
    assert await _count(db, Medication, citizen.id) == mine["MedicationRequest"] == 1
    assert other.national_id is None and other.full_name == "Clemente Kreiger"

    before = await snapshot(db)
    again = await import_paths(db, files, progress=False)
    assert await snapshot(db) == before and again.total(Outcome.IMPORTED) == 0


async def test_synthea_conditional_references_to_a_separate_hospital_file(
    db: Database, tmp_path: Path
) -> None:
    """Newer Synthea writes organizations to `hospitalInformation*.json`, named by identifier."""
    source = load(BUSTER)
    organization = source["entry"][1]
    assert organization["resource"]["resourceType"] == "Organization"
    patient_bundle = {**source, "entry": [e for e in source["entry"] if e is not organization]}
    for entry in patient_bundle["entry"]:
        if entry["resource"]["resourceType"] == "Encounter":
            hospital_id = organization["resource"]["id"]
            entry["resource"]["serviceProvider"] = {
                "reference": f"Organization?identifier={SYNTHEA_ID}|{hospital_id}",
                "display": organization["resource"]["name"],
            }
    hospitals = {"resourceType": "Bundle", "type": "transaction", "entry": [organization]}
    files = [
        write_json(tmp_path / "Buster.json", patient_bundle),
        write_json(tmp_path / "hospitalInformation1.json", hospitals),
    ]
    report = await import_paths(db, [tmp_path], progress=False)
    assert report.ok, report.rejections
    async with db.unit_of_work() as session:
        facility_ids = set((await session.execute(select(Visit.facility_id))).scalars())
        [hospital_id] = (await session.execute(select(Facility.id))).scalars()
    assert facility_ids == {hospital_id} and len(files) == 2
