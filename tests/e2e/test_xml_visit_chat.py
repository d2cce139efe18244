"""Visits imported from XML 130 files look in the chat exactly like those from FHIR, in one history."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import Citizen
from bot.ingest.fhir.importer import import_paths as import_fhir
from bot.ingest.fhir.vocabulary import (
    EXT_VISIT_INSURANCE_PAID,
    EXT_VISIT_PATIENT_PAID,
    EXT_VISIT_TOTAL_COST,
    MEDICATION_ROUTE_SYSTEM,
)
from bot.ingest.xml130 import import_paths as import_xml
from bot.ingest.xml130 import Xml130Visit, write_submission
from tests.e2e_record_support import callbacks, say, signed_in_user, tap_for_edit
from tests.e2e_support import RunningBot
from tests.ingest.fhir_factories import bundle, encounter, observation, organization, patient, write_json
from tests.records.factories import make_facility
from tests.xml130.factories import full_visit

pytestmark = pytest.mark.e2e
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xml130" / "built"


async def _citizen(bot: RunningBot, national_id: str) -> Citizen:
    async with bot.db.unit_of_work() as session:
        found = await session.scalar(select(Citizen).where(Citizen.national_id == national_id))
    assert found is not None, "the import created the citizen from the CCCD"
    return found


async def test_a_visit_from_an_xml_file_shows_facility_diagnoses_drugs_results_and_costs(
    running_bot: RunningBot,
) -> None:
    async with running_bot.db.unit_of_work() as session:  # the province's list of facilities
        await make_facility(session, "Bệnh viện Đa khoa Cà Mau", code="96001")
    report = await import_xml(
        running_bot.db, [FIXTURES / "full_visit.xml"], progress=False, clock=running_bot.clock
    )
    assert report.ok, report
    citizen = await _citizen(running_bot, "096085001234")
    user, _ = await signed_in_user(running_bot, citizen)

    [message] = await say(running_bot, user, "/record")
    visits = await tap_for_edit(running_bot, user, "rec:v:1", message)
    assert "Nov 18, 2025 · 🏥 Bệnh viện Đa khoa Cà Mau — Bacterial pneumonia, unspecified J15.9" in visits.text
    [detail_button] = [data for data in callbacks(visits) if data.startswith("rec:vd:")]
    detail = await tap_for_edit(running_bot, user, detail_button, message)
    text = detail.text or ""
    assert "Visit of Nov 18, 2025" in text and "🏥 Bệnh viện Đa khoa Cà Mau" in text
    assert "• Bacterial pneumonia, unspecified J15.9 (main)" in text
    assert "• Essential (primary) hypertension I10" in text  # English ICD-10 names for an English reader
    assert "• Non-insulin-dependent diabetes mellitus without complications E11.9" in text
    assert "• Amoxicillin 500mg — 1 viên/lần * 3 lần/ngày; Uống sau ăn — Oral — quantity 21 Viên" in text
    assert "\nDepartment: K01\n" in text  # not in the recovered table: the code, labelled
    assert "• Glucose máu: 7.8 mmol/L" in text
    assert "• HBsAg test nhanh: Âm tính" in text
    assert "Total: ₫1,250,401" in text
    assert "Paid by insurance: ₫976,320" in text
    assert "Paid by the patient: ₫30,000" in text
    assert "Co-payment: ₫244,080" in text
    assert detail.protect_content


READABLE = {
    "vi": ("Amoxicillin 500mg — 1 viên/lần * 3 lần/ngày; Uống sau ăn — Uống — số lượng 21", "Khoa: K01"),
    "en": ("Amoxicillin 500mg — 1 viên/lần * 3 lần/ngày; Uống sau ăn — Oral — quantity 21", "Department: K01"),
}


@pytest.mark.parametrize("language", sorted(READABLE))
async def test_an_xml_visit_names_the_drug_route_and_labels_the_department(
    running_bot: RunningBot, language: str
) -> None:
    async with running_bot.db.unit_of_work() as session:
        await make_facility(session, "Bệnh viện Đa khoa Cà Mau", code="96001")
    report = await import_xml(
        running_bot.db, [FIXTURES / "full_visit.xml"], progress=False, clock=running_bot.clock
    )
    assert report.ok, report
    user, _ = await signed_in_user(
        running_bot, await _citizen(running_bot, "096085001234"), language=language
    )
    drug_line, department_line = READABLE[language]

    [message] = await say(running_bot, user, "/record")
    visits = await tap_for_edit(running_bot, user, "rec:v:1", message)
    assert department_line in visits.text
    [detail_button] = [data for data in callbacks(visits) if data.startswith("rec:vd:")]
    detail = await tap_for_edit(running_bot, user, detail_button, message)
    assert drug_line in detail.text and f"\n{department_line}\n" in detail.text
    assert "1.01" not in detail.text
    record = await tap_for_edit(running_bot, user, "rec:s", message)
    [medicines_button] = [data for data in callbacks(record) if data.startswith("rec:m")]
    medicines = await tap_for_edit(running_bot, user, medicines_button, message)
    assert "1.01" not in medicines.text
    route = drug_line.split(" — ")[2]
    assert f"1 viên/lần * 3 lần/ngày; Uống sau ăn · {route} · " in medicines.text


FACILITIES = (
    ("o1", "Bệnh viện Đa khoa Cà Mau", "96001"),
    ("o2", "Trung tâm Y tế Năm Căn", "96002"),
    ("o4", "Trạm Y tế Khánh Bình", "96004"),
)
"""The province's facilities as its FHIR server describes them."""


def _fhir_bundle(national_id: str) -> dict[str, Any]:
    """The facilities, and one visit at 96001 on 1 March 2025 with a diagnosis, a medicine, a
    result and costs."""
    costs = [
        {"url": EXT_VISIT_TOTAL_COST, "valueInteger": 350_000},
        {"url": EXT_VISIT_INSURANCE_PAID, "valueInteger": 280_000},
        {"url": EXT_VISIT_PATIENT_PAID, "valueInteger": 70_000},
    ]
    condition = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/p1"},
        "encounter": {"reference": "Encounter/e1"},
        "category": [{"coding": [{"code": "encounter-diagnosis"}]}],
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {
            "coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10"}],
            "text": "Tăng huyết áp vô căn",
        },
    }
    medicine = {
        "resourceType": "MedicationRequest",
        "id": "m1",
        "status": "completed",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "encounter": {"reference": "Encounter/e1"},
        "medicationCodeableConcept": {"text": "Amlodipin 5mg"},
        "authoredOn": "2025-03-01T08:30:00+07:00",
        "dosageInstruction": [
            {
                "text": "Uống 1 viên mỗi sáng",
                "route": {"coding": [{"system": MEDICATION_ROUTE_SYSTEM, "code": "1.01"}], "text": "Uống"},
            }
        ],
    }
    return bundle(
        patient("p1", national_id=national_id, name=("Trương", "Thị Ánh & Co <test>"), birth="1992-07-01"),
        *(
            {**organization(oid, name, code=code), "meta": {"lastUpdated": "2025-01-02T00:00:00Z"}}
            for oid, name, code in FACILITIES
        ),
        encounter("e1", "Patient/p1", provider="Organization/o1", extension=costs),
        condition,
        medicine,
        observation("g1", "Patient/p1", encounter_ref="Encounter/e1", value=7.1),
    )


def _xml_visit(facility: str, ma_lk: str, admitted: datetime) -> Xml130Visit:
    """The fully filled test visit of `tests.xml130.factories`, at `facility` on `admitted`."""
    visit = full_visit(ma_lk, facility)
    visit.summary = dataclasses.replace(
        visit.summary, admitted=admitted, discharged=admitted + timedelta(hours=3), follow_up_date=None
    )
    visit.reexams = []
    return visit


def _xml_file(folder: Path, facility: str, admitted: datetime) -> Path:
    """The facility's daily submission holding one visit of the test citizen."""
    path = folder / f"{facility}.xml"
    write_submission(path, facility, admitted.date(), [_xml_visit(facility, f"LK{facility}", admitted)])
    return path


async def test_three_facilities_make_one_chronological_history(
    running_bot: RunningBot, tmp_path: Path
) -> None:
    national_id = full_visit().summary.national_id
    assert national_id is not None
    nam_can = _xml_file(tmp_path, "96002", datetime(2025, 6, 10, 1, tzinfo=UTC))
    khanh_binh = _xml_file(tmp_path, "96004", datetime(2025, 9, 2, 2, tzinfo=UTC))
    fhir = write_json(tmp_path / "bundle.json", _fhir_bundle(national_id))

    assert (await import_xml(running_bot.db, [nam_can], progress=False, clock=running_bot.clock)).ok
    fhir_report = await import_fhir(running_bot.db, [fhir], progress=False)
    assert fhir_report.batches_rejected == 0, fhir_report
    assert (await import_xml(running_bot.db, [khanh_binh], progress=False, clock=running_bot.clock)).ok
    citizen = await _citizen(running_bot, national_id)
    user, _ = await signed_in_user(running_bot, citizen)

    [message] = await say(running_bot, user, "/record")
    assert "Trương Thị Ánh & Co <test>" in message.text
    visits = await tap_for_edit(running_bot, user, "rec:v:1", message)
    lines = [line for line in (visits.text or "").splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert [line.split(" — ")[0] for line in lines] == [
        "1. Sep 2, 2025 · 🏥 Trạm Y tế Khánh Bình",
        "2. Jun 10, 2025 · 🏥 Trung tâm Y tế Năm Căn",
        "3. Mar 1, 2025 · 🏥 Bệnh viện Đa khoa Cà Mau",
    ]
    assert "J45.9" in lines[0] and "I10" in lines[2]

    details = [data for data in callbacks(visits) if data.startswith("rec:vd:")]
    from_fhir = await tap_for_edit(running_bot, user, details[2], message)
    assert "• Essential (primary) hypertension I10 (main)" in from_fhir.text
    assert "• Amlodipin 5mg — Uống 1 viên mỗi sáng — Oral" in from_fhir.text  # as for XML 130
    assert "• Glucose: 7.1 mmol/L" in from_fhir.text
    assert "Total: ₫350,000" in from_fhir.text and "Paid by insurance: ₫280,000" in from_fhir.text
    await tap_for_edit(running_bot, user, "rec:v:1", message)
    from_xml = await tap_for_edit(running_bot, user, details[1], message)
    assert "🏥 Trung tâm Y tế Năm Căn" in from_xml.text
    assert "• Asthma, unspecified J45.9 (main)" in from_xml.text
    assert "• Salbutamol 100mcg/liều — 2 nhát/lần; Xịt khi khó thở" in from_xml.text
    assert "• SpO2: 93.5 %" in from_xml.text
    assert "Total: ₫523,001" in from_xml.text and "Paid by insurance: ₫408,401" in from_xml.text
