"""Every mapped XML 130 field lands in the store (hand-written fixture full_visit.xml)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from bot.db.models import (
    Appointment,
    Citizen,
    CitizenIdentifier,
    CitizenPhone,
    Coverage,
    Diagnosis,
    Facility,
    Medication,
    Observation,
    Visit,
    VisitService,
)
from bot.db.session import Database
from bot.ingest.store import INSURANCE_NUMBER_SYSTEM
from tests.xml130.helpers import all_rows, one, run_import

AN = "096085001234"
SA_RA = "096301004567"
VISIT_KEY = "xml130:96001:LK2025112000001"
PATIENT_NUMBERS = "http://fhir.ehealth.gov.vn/core/sid/patient-internal-id|96001"


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
async def imported(db: Database) -> Database:
    report = await run_import(db, "full_visit.xml")
    assert report.ok, report.rejections
    return db


async def test_report_counts_everything(db: Database) -> None:
    report = await run_import(db, "full_visit.xml")
    assert (report.hoso_read, report.hoso_imported, report.hoso_rejected) == (2, 2, 0)
    assert (report.visits_created, report.citizens_created, report.coverages) == (2, 2, 3)
    assert (report.medications, report.services, report.results, report.appointments) == (
        2,
        2,
        4,
        2,
    )
    assert report.skipped_tables == Counter({"XML0": 1, "XML5": 1, "XML7": 1})
    assert report.hiv_tables == 1
    assert report.ok


async def test_patient(imported: Database) -> None:
    an = await one(imported, Citizen, national_id=AN)
    assert an.full_name == "Nguyễn Văn An"
    assert an.birth_date == date(1985, 3, 14)
    assert (an.sex, an.blood_type) == ("male", "O+")
    assert an.address_line == "Số 12 đường Phan Ngọc Hiển, Phường 5, Cà Mau"
    assert an.deceased_at is None
    phones = [phone.e164 for phone in await all_rows(imported, CitizenPhone)]
    assert phones == ["+84912345678"]
    identifiers = {
        (row.system, row.value)
        for row in await all_rows(imported, CitizenIdentifier)
        if row.citizen_id == an.id
    }
    assert identifiers == {
        (INSURANCE_NUMBER_SYSTEM, "DN4960123456789"),
        (INSURANCE_NUMBER_SYSTEM, "CC1960123456789"),
        (INSURANCE_NUMBER_SYSTEM, "0123456789"),
        (PATIENT_NUMBERS, "BN000123"),
    }


async def test_unknown_birth_day_and_month_and_other_codes(imported: Database) -> None:
    sa_ra = await one(imported, Citizen, national_id=SA_RA)
    assert sa_ra.birth_date == date(2001, 1, 1)
    assert (sa_ra.sex, sa_ra.blood_type) == ("female", None)


async def test_each_card_with_its_own_validity(imported: Database) -> None:
    an = await one(imported, Citizen, national_id=AN)
    cards = {card.card_number: card for card in await all_rows(imported, Coverage)}
    old = cards["DN4960123456789"]
    assert old.citizen_id == an.id
    assert (old.beneficiary_group, old.benefit_level, old.benefit_percent) == ("DN", 4, 80)
    assert (old.valid_from, old.valid_to) == (date(2025, 1, 1), date(2025, 6, 30))
    assert (old.primary_care_code, old.residence_area) == ("96001", "K2")
    assert (old.five_years_date, old.copay_exempt_from) == (date(2023, 1, 1), date(2025, 3, 15))
    new = cards["CC1960123456789"]
    assert (new.beneficiary_group, new.benefit_level, new.benefit_percent) == ("CC", 1, 100)
    assert (new.valid_from, new.valid_to) == (date(2025, 7, 1), date(2025, 12, 31))
    ten_digit = cards["9601234567"]
    assert (ten_digit.beneficiary_group, ten_digit.benefit_level, ten_digit.benefit_percent) == (
        None,
        None,
        None,
    )


async def test_facility_known_only_by_code_is_named_by_it(imported: Database) -> None:
    facility = await one(imported, Facility, code="96001")
    assert facility.name == "96001"
    visit = await one(imported, Visit, source_key=VISIT_KEY)
    assert (visit.facility_id, visit.facility_name) == (facility.id, "96001")


async def test_visit(imported: Database) -> None:
    visit = await one(imported, Visit, source_key=VISIT_KEY)
    assert visit.citizen_id == (await one(imported, Citizen, national_id=AN)).id
    assert (visit.visit_type, visit.department) == ("inpatient", "K01")
    assert (visit.start, visit.end) == (utc(2025, 11, 18, 0, 45), utc(2025, 11, 20, 3, 15))
    assert visit.reason == "Sốt cao, ho kéo dài 5 ngày"
    assert visit.outcome == "improved"
    assert (visit.main_diagnosis_code, visit.main_diagnosis_name) == (
        "J15.9",
        "Viêm phổi do vi khuẩn",
    )
    assert (visit.total_cost, visit.insurance_paid) == (1_250_401, 976_320)
    assert (visit.patient_copay, visit.patient_paid) == (244_080, 30_000)
    assert visit.follow_up_date == date(2025, 12, 4)


async def test_diagnoses_named_one_by_one_or_as_a_whole(imported: Database) -> None:
    first = await one(imported, Visit, source_key=VISIT_KEY)
    second = await one(imported, Visit, source_key="xml130:96001:LK2025112000002")
    rows = await all_rows(imported, Diagnosis, Diagnosis.visit_id, Diagnosis.rank)
    listed = [
        (row.rank, row.code, row.code_system, row.name) for row in rows if row.visit_id == first.id
    ]
    assert listed == [
        (0, "J15.9", "icd10", "Viêm phổi do vi khuẩn"),
        (1, "I10", "icd10", "Tăng huyết áp vô căn"),
        (2, "E11.9", "icd10", "Đái tháo đường type 2"),
    ]
    whole = [(row.rank, row.code, row.name) for row in rows if row.visit_id == second.id]
    assert whole == [(0, "J02.9", "Viêm họng cấp kèm viêm mũi"), (1, "J00", None)]
    assert second.visit_type == "outpatient_visit" and second.outcome == "cured"


async def test_medications(imported: Database) -> None:
    visit = await one(imported, Visit, source_key=VISIT_KEY)
    amoxicillin, paracetamol = await all_rows(imported, Medication, Medication.source_key)
    assert amoxicillin.source_key == f"{VISIT_KEY}:drug:1"
    assert (amoxicillin.visit_id, amoxicillin.citizen_id) == (visit.id, visit.citizen_id)
    assert amoxicillin.facility_id == visit.facility_id
    assert (amoxicillin.name, amoxicillin.code, amoxicillin.strength) == (
        "Amoxicillin",
        "40.152",
        "500mg",
    )
    assert (amoxicillin.route, amoxicillin.unit, amoxicillin.quantity) == ("1.01", "Viên", 21.0)
    assert amoxicillin.dosage == "1 viên/lần * 3 lần/ngày; Uống sau ăn"
    assert (amoxicillin.unit_price, amoxicillin.total, amoxicillin.insurance_paid) == (
        1501,
        31511,
        25208,
    )
    assert (amoxicillin.prescriber, amoxicillin.authored) == (
        "000123/CM-CCHN",
        utc(2025, 11, 18, 2, 0),
    )
    assert (amoxicillin.status, amoxicillin.active) == ("completed", False)
    assert paracetamol.dosage == "1 viên khi sốt trên 38,5 độ"
    assert (paracetamol.quantity, paracetamol.unit_price, paracetamol.total) == (10.5, 500, 5250)


async def test_services_and_supplies(imported: Database) -> None:
    visit = await one(imported, Visit, source_key=VISIT_KEY)
    xray, syringe = await all_rows(imported, VisitService)
    assert xray.visit_id == visit.id
    assert (xray.name, xray.code, xray.quantity) == ("Chụp X-quang ngực thẳng", "18.0001.0001", 1.0)
    assert (xray.unit_price, xray.total, xray.insurance_paid) == (65_400, 65_400, 52_320)
    assert xray.performed_at == utc(2025, 11, 18, 1, 50)
    assert (syringe.name, syringe.code, syringe.quantity) == (
        "Bơm tiêm nhựa 5ml",
        "N03.05.010",
        2.5,
    )
    assert (syringe.unit_price, syringe.total, syringe.insurance_paid) == (10_000, 25_001, 20_001)
    assert syringe.performed_at == utc(2025, 11, 18, 4, 0)


async def test_results(imported: Database) -> None:
    visit = await one(imported, Visit, source_key=VISIT_KEY)
    rows = await all_rows(imported, Observation, Observation.source_key)
    glucose, wbc, xray, hbsag = rows
    assert {row.visit_id for row in rows} == {visit.id}
    assert {row.category for row in rows} == {"laboratory"}
    assert (glucose.code, glucose.name, glucose.value_number, glucose.unit) == (
        "GLU",
        "Glucose máu",
        7.8,
        "mmol/L",
    )
    assert (glucose.conclusion, glucose.effective) == ("Tăng", utc(2025, 11, 18, 3, 5))
    assert (wbc.value_number, wbc.value_text, wbc.conclusion) == (12.4, None, None)
    assert (xray.code, xray.name) == ("18.0001.0001", "Chụp X-quang ngực thẳng")
    assert (xray.value_number, xray.value_text) == (None, "Đám mờ thùy dưới phổi phải")
    assert xray.conclusion == "Hình ảnh viêm phổi thùy dưới phải"
    assert (hbsag.code, hbsag.value_number, hbsag.value_text) == ("HBSAG", None, "Âm tính")


async def test_re_examination_appointments(imported: Database) -> None:
    an = await one(imported, Citizen, national_id=AN)
    sa_ra = await one(imported, Citizen, national_id=SA_RA)
    facility = await one(imported, Facility, code="96001")
    timed, day_only = await all_rows(imported, Appointment, Appointment.start.desc())
    assert timed.source_key == f"{VISIT_KEY}:reexam#GH-2025-0042"
    assert (timed.citizen_id, timed.facility_id, timed.status) == (an.id, facility.id, "booked")
    assert timed.start == utc(2025, 12, 4, 1, 0)  # 08:00 in Vietnam
    assert timed.reason == "Viêm phổi do vi khuẩn, tái khám sau điều trị"
    assert timed.practitioner_name == "000123/CM-CCHN"
    assert day_only.citizen_id == sa_ra.id
    assert day_only.start == utc(2025, 11, 27, 0, 30)  # a day only: 07:30 in Vietnam
    assert day_only.instructions is None
