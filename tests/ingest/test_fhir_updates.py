"""Re-imports: nothing duplicated, newer versions replace older ones, later IDs attach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.models import Citizen, CitizenIdentifier, Observation, Visit
from bot.db.session import Database
from bot.ingest.fhir import Outcome, import_paths
from tests.ingest.conftest import snapshot
from tests.ingest.fhir_factories import (
    HOSPITAL_MRN,
    bundle,
    encounter,
    observation,
    organization,
    patient,
    write_json,
)
from tests.ingest.test_fhir_mapping import clinic_bundle

OLD, NEW, NEWER = "2025-03-01T00:00:00Z", "2025-03-02T00:00:00+07:00", "2025-03-05T00:00:00Z"


async def _rows(db: Database, model: type) -> list[Any]:
    async with db.unit_of_work() as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


async def test_importing_the_same_files_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    files = [
        write_json(tmp_path / "clinic.json", clinic_bundle()),
        write_json(tmp_path / "more.json", bundle(patient("p7", mrn="BN7"))),
    ]
    first = await import_paths(db, files, progress=False)
    before = await snapshot(db)
    again = await import_paths(db, files, progress=False)
    assert await snapshot(db) == before
    assert again.total(Outcome.UNCHANGED) == first.total(Outcome.IMPORTED) == 18
    assert again.total(Outcome.IMPORTED) == again.total(Outcome.UPDATED) == 0


async def test_a_newer_version_replaces_and_an_older_one_is_ignored(
    db: Database, tmp_path: Path
) -> None:
    def version(stamp: str, department: str, glucose: float) -> Path:
        visit = encounter("e1", "Patient/p1", updated=stamp, serviceType={"text": department})
        return write_json(
            tmp_path / f"{department}.json",
            bundle(
                patient("p1"), visit, observation("g1", "Patient/p1", value=glucose, updated=stamp)
            ),
        )

    await import_paths(db, [version(NEW, "Khoa Nội", 6.1)], progress=False)
    older = await import_paths(db, [version(OLD, "Khoa Ngoại", 9.9)], progress=False)
    assert older.counts["Encounter"].unchanged == older.counts["Observation"].unchanged == 1
    [visit], [result] = await _rows(db, Visit), await _rows(db, Observation)
    assert (visit.department, result.value_number) == ("Khoa Nội", 6.1)
    newer = await import_paths(db, [version(NEWER, "Khoa Nhi", 7.2)], progress=False)
    assert newer.counts["Encounter"].updated == newer.counts["Observation"].updated == 1
    [visit], [result] = await _rows(db, Visit), await _rows(db, Observation)
    assert (visit.department, result.value_number) == ("Khoa Nhi", 7.2)


async def test_a_patient_without_national_id_gets_it_from_a_later_import(
    db: Database, tmp_path: Path
) -> None:
    first = write_json(
        tmp_path / "1.json",
        bundle(patient("p1", mrn="BN001", updated=OLD), encounter("e1", "Patient/p1")),
    )
    await import_paths(db, [first], progress=False)
    [citizen] = await _rows(db, Citizen)
    assert citizen.national_id is None
    # Another system exports the same person under another id, matched by the hospital number.
    later = patient(
        "x-42", mrn="BN001", national_id="096085000777", phone="0987 654 321", updated=NEW
    )
    second = write_json(tmp_path / "2.json", bundle(later, encounter("e2", "Patient/x-42")))
    report = await import_paths(db, [second], progress=False)
    assert report.counts["Patient"].updated == 1
    [same] = await _rows(db, Citizen)
    assert (same.id, same.national_id) == (citizen.id, "096085000777")
    assert {v.citizen_id for v in await _rows(db, Visit)} == {citizen.id}
    assert (HOSPITAL_MRN, "BN001") in {
        (i.system, i.value) for i in await _rows(db, CitizenIdentifier)
    }


async def test_a_later_bundle_references_a_patient_by_its_fhir_id(
    db: Database, tmp_path: Path
) -> None:
    await import_paths(
        db,
        [write_json(tmp_path / "1.json", bundle(organization("o1"), patient("p1")))],
        progress=False,
    )
    later = bundle(
        encounter("e1", "Patient/p1", provider="Organization/o1"),
        observation("o1", "Patient/p1", encounter_ref="Encounter/e1"),
    )
    report = await import_paths(db, [write_json(tmp_path / "2.json", later)], progress=False)
    assert report.ok
    [citizen], [visit], [result] = (
        await _rows(db, Citizen),
        await _rows(db, Visit),
        await _rows(db, Observation),
    )
    assert (visit.citizen_id, visit.facility_name, result.visit_id) == (
        citizen.id,
        "Bệnh viện Đa khoa Cà Mau",
        visit.id,
    )


async def test_entered_in_error_removes_what_was_imported(db: Database, tmp_path: Path) -> None:
    await import_paths(
        db,
        [write_json(tmp_path / "1.json", bundle(patient("p1"), observation("g1", "Patient/p1")))],
        progress=False,
    )
    withdrawn = {**observation("g1", "Patient/p1"), "status": "entered-in-error"}
    report = await import_paths(
        db, [write_json(tmp_path / "2.json", bundle(withdrawn))], progress=False
    )
    assert report.counts["Observation"].skipped == 1
    assert await _rows(db, Observation) == []


async def test_a_panel_that_loses_a_component_loses_its_row(db: Database, tmp_path: Path) -> None:
    def panel(stamp: str, components: int) -> dict[str, Any]:
        component = {"code": {"text": "c"}, "valueQuantity": {"value": 1}}
        return {
            **observation("bp", "Patient/p1", updated=stamp),
            "valueQuantity": None,
            "component": [component] * components,
        }

    await import_paths(
        db, [write_json(tmp_path / "1.json", bundle(patient("p1"), panel(OLD, 3)))], progress=False
    )
    assert len(await _rows(db, Observation)) == 3
    await import_paths(
        db, [write_json(tmp_path / "2.json", bundle(panel(NEWER, 2)))], progress=False
    )
    assert sorted(o.source_key for o in await _rows(db, Observation)) == [
        "fhir:Observation/bp#0",
        "fhir:Observation/bp#1",
    ]
