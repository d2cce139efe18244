"""Every supported resource type lands in the right rows with the right values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.models import (
    Allergy,
    Appointment,
    Citizen,
    CitizenIdentifier,
    CitizenPhone,
    Condition,
    Coverage,
    Diagnosis,
    DiagnosticReport,
    Facility,
    Guardianship,
    Immunization,
    Medication,
    Observation,
    Practitioner,
    Visit,
)
from bot.db.session import Database
from bot.ingest.fhir import Outcome, import_paths
from bot.ingest.fhir.vocabulary import (
    EXT_BENEFIT_LEVEL,
    EXT_COPAY_EXEMPT,
    EXT_FIVE_YEARS,
    EXT_PRIMARY_CARE,
    EXT_RESIDENCE_AREA,
    EXT_VISIT_FOLLOW_UP,
    EXT_VISIT_INSURANCE_PAID,
    EXT_VISIT_TOTAL_COST,
)
from tests.ingest.fhir_factories import (
    FACILITY_CODE,
    INSURANCE,
    LOINC,
    NATIONAL_ID,
    bundle,
    encounter,
    organization,
    patient,
    write_json,
)

SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
CHILD_ID, MOTHER_ID = "096225000111", "096190000222"


def _concept(text: str, system: str | None = None, code: str | None = None) -> dict[str, Any]:
    coding = [{"system": system, "code": code, "display": text}] if code else []
    return {"coding": coding, "text": text}


def clinic_bundle() -> dict[str, Any]:
    """One child's record at a Cà Mau hospital, with every supported resource type."""
    card = {"value": "TE1960123456789", "period": {"start": "2025-01-01", "end": "2025-12-31"}}
    child = patient(
        "p1",
        national_id=CHILD_ID,
        phone="0912 345 678",
        birth="2022-05",
        card=card,
        name=("Lê", "Gia Bảo"),
    )
    mother = {
        "resourceType": "RelatedPerson",
        "id": "rp1",
        "patient": {"reference": "urn:uuid:p1"},
        "relationship": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "MTH"}
                ]
            }
        ],
        "identifier": [
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NI"}
                    ]
                },
                "value": "0961 9000 0222",
            }
        ],
        "name": [{"family": "Trần", "given": ["Thị Hoa"]}],
        "telecom": [{"system": "phone", "value": "+84 913 000 222"}],
    }
    doctor = {
        "resourceType": "Practitioner",
        "id": "pr1",
        "name": [{"family": "Phạm", "given": ["Văn Bác"]}],
        "identifier": [
            {"system": "https://moh.gov.vn/fhir/sid/practising-certificate", "value": "CCHN-001"}
        ],
    }
    clinic = {
        "resourceType": "Location",
        "id": "l1",
        "name": "Phòng khám Nhi",
        "identifier": [{"system": FACILITY_CODE, "value": "96002"}],
    }
    visit = encounter(
        "e1",
        "urn:uuid:p1",
        provider="urn:uuid:o1",
        participant=[
            {"type": [{"coding": [{"code": "PPRF"}]}], "individual": {"reference": "urn:uuid:pr1"}}
        ],
        reasonCode=[{"text": "Sốt cao"}, {"text": "Ho"}],
        diagnosis=[
            {"condition": {"reference": "urn:uuid:c2"}, "rank": 2},
            {"condition": {"reference": "urn:uuid:c1"}, "rank": 1},
        ],
        extension=[
            {"url": EXT_VISIT_TOTAL_COST, "valueMoney": {"value": 350000, "currency": "VND"}},
            {"url": EXT_VISIT_INSURANCE_PAID, "valueDecimal": 350000.4},
            {"url": EXT_VISIT_FOLLOW_UP, "valueDate": "2025-03-08"},
        ],
    )
    acute = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "urn:uuid:p1"},
        "encounter": {"reference": "urn:uuid:e1"},
        "category": [{"coding": [{"code": "encounter-diagnosis"}]}],
        "clinicalStatus": _concept("active", None, "active"),
        "code": {
            "coding": [
                {"system": SNOMED, "code": "54150009", "display": "URI"},
                {"system": ICD10, "code": "J06.9"},
            ],
            "text": "Viêm hô hấp trên cấp",
        },
        "onsetDateTime": "2025-02-27",
    }
    asthma = {
        "resourceType": "Condition",
        "id": "c2",
        "subject": {"reference": "urn:uuid:p1"},
        "category": [{"coding": [{"code": "problem-list-item"}]}],
        "code": _concept("Hen phế quản", SNOMED, "195967001"),
    }
    allergy = {
        "resourceType": "AllergyIntolerance",
        "id": "a1",
        "patient": {"reference": "urn:uuid:p1"},
        "criticality": "high",
        "code": {"text": "Penicillin"},
        "reaction": [
            {"severity": "moderate", "manifestation": [{"text": "Phát ban"}]},
            {"severity": "severe", "manifestation": [{"text": "Khó thở"}]},
        ],
    }
    vaccine = {
        "resourceType": "Immunization",
        "id": "i1",
        "status": "completed",
        "patient": {"reference": "urn:uuid:p1"},
        "vaccineCode": _concept("Sởi - Rubella (MR)", "http://hl7.org/fhir/sid/cvx", "04"),
        "occurrenceDateTime": "2023-02-10",
        "lotNumber": "MR2301",
        "location": {"reference": "urn:uuid:l1"},
        "protocolApplied": [
            {"targetDisease": [{"text": "Sởi"}, {"text": "Rubella"}], "doseNumberPositiveInt": 1}
        ],
    }
    request = {
        "resourceType": "MedicationRequest",
        "id": "m1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "urn:uuid:p1"},
        "encounter": {"reference": "urn:uuid:e1"},
        "requester": {"reference": "urn:uuid:pr1"},
        "authoredOn": "2025-03-01T09:00:00+07:00",
        "contained": [
            {
                "resourceType": "Medication",
                "id": "med",
                "code": _concept("Paracetamol 250mg", "urn:vn:thuoc", "40.17"),
            }
        ],
        "medicationReference": {"reference": "#med"},
        "dosageInstruction": [
            {
                "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "gói"}}],
                "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}},
                "route": {"text": "Uống"},
            }
        ],
        "dispenseRequest": {"quantity": {"value": 9, "unit": "gói"}},
    }
    statement = {
        "resourceType": "MedicationStatement",
        "id": "ms1",
        "status": "completed",
        "subject": {"reference": "urn:uuid:p1"},
        "medicationCodeableConcept": {"text": "Vitamin D3"},
        "effectivePeriod": {"start": "2024-06-01"},
        "dosage": [{"text": "1 giọt mỗi ngày"}],
    }
    pressure = {
        "resourceType": "Observation",
        "id": "bp",
        "status": "final",
        "subject": {"reference": "urn:uuid:p1"},
        "encounter": {"reference": "urn:uuid:e1"},
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "vital-signs",
                    }
                ]
            }
        ],
        "code": _concept("Huyết áp", LOINC, "85354-9"),
        "effectiveDateTime": "2025-03-01T08:10:00+07:00",
        "component": [
            {
                "code": _concept("Tâm thu", LOINC, "8480-6"),
                "valueQuantity": {"value": 95, "unit": "mmHg"},
                "interpretation": [{"coding": [{"code": "N"}]}],
            },
            {
                "code": _concept("Tâm trương", LOINC, "8462-4"),
                "valueQuantity": {"value": 60, "unit": "mmHg"},
            },
        ],
    }
    blood = {
        "resourceType": "Observation",
        "id": "abo",
        "status": "final",
        "subject": {"reference": "urn:uuid:p1"},
        "code": _concept("Nhóm máu ABO và Rh", LOINC, "882-1"),
        "valueCodeableConcept": _concept("Blood group O Rh(D) positive", SNOMED, "278147001"),
    }
    report = {
        "resourceType": "DiagnosticReport",
        "id": "d1",
        "status": "final",
        "subject": {"reference": "urn:uuid:p1"},
        "encounter": {"reference": "urn:uuid:e1"},
        "code": {"text": "Công thức máu"},
        "issued": "2025-03-01T10:00:00+07:00",
        "conclusion": "Bình thường",
        "result": [{"reference": "urn:uuid:bp"}, {"reference": "urn:uuid:abo"}],
    }
    booking = {
        "resourceType": "Appointment",
        "id": "ap1",
        "status": "booked",
        "start": "2025-03-08T08:00:00+07:00",
        "end": "2025-03-08T08:15:00+07:00",
        "serviceType": [{"text": "Tái khám Nhi"}],
        "description": "Tái khám hô hấp",
        "patientInstruction": "Mang theo sổ khám bệnh",
        "participant": [
            {"actor": {"reference": "urn:uuid:p1"}},
            {"actor": {"reference": "urn:uuid:l1"}},
            {"actor": {"reference": "urn:uuid:pr1"}},
        ],
    }
    cover = {
        "resourceType": "Coverage",
        "id": "cv1",
        "status": "active",
        "beneficiary": {"reference": "urn:uuid:p1"},
        "payor": [{"display": "BHXH"}],
        "identifier": [{"system": INSURANCE, "value": "TE1960999999999"}],
        "period": {"start": "2024-01-01", "end": "2024-12-31"},
        "extension": [
            {"url": EXT_BENEFIT_LEVEL, "valueInteger": 1},
            {"url": EXT_RESIDENCE_AREA, "valueString": "k2"},
            {"url": EXT_PRIMARY_CARE, "valueReference": {"reference": "urn:uuid:o1"}},
            {"url": EXT_FIVE_YEARS, "valueDate": "2027-01-01"},
            {"url": EXT_COPAY_EXEMPT, "valueDate": "2024-07-01"},
        ],
    }
    claim = {"resourceType": "Claim", "id": "cl1", "status": "active"}
    procedure = {
        "resourceType": "Procedure",
        "id": "pc1",
        "status": "completed",
        "subject": {"reference": "urn:uuid:p1"},
    }
    resources = [
        organization("o1"),
        clinic,
        doctor,
        child,
        mother,
        visit,
        acute,
        asthma,
        allergy,
        vaccine,
        request,
        statement,
        pressure,
        blood,
        report,
        booking,
        cover,
        claim,
        procedure,
    ]
    return bundle(*resources, kind="transaction", urn=True)


async def _rows(db: Database, model: type) -> list[Any]:
    async with db.unit_of_work() as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


async def test_a_bundle_of_every_supported_type_is_imported(db: Database, tmp_path: Path) -> None:
    report = await import_paths(
        db, [write_json(tmp_path / "clinic.json", clinic_bundle())], progress=False
    )
    assert report.ok, report.rejections
    assert report.total(Outcome.IMPORTED) == 17 and report.total(Outcome.SKIPPED) == 2
    assert report.counts["Claim"].skipped == 1 and report.counts["Procedure"].skipped == 1

    hospital, clinic = await _rows(db, Facility)
    assert (hospital.code, hospital.name, hospital.district) == (
        "96001",
        "Bệnh viện Đa khoa Cà Mau",
        "TP Cà Mau",
    )
    assert clinic.code == "96002"
    [doctor] = await _rows(db, Practitioner)
    assert (doctor.name, doctor.code) == ("Phạm Văn Bác", "CCHN-001")

    child, mother = await _rows(db, Citizen)
    assert (child.national_id, child.full_name, child.birth_date, child.blood_type) == (
        CHILD_ID,
        "Lê Gia Bảo",
        date(2022, 5, 1),
        "O+",
    )
    assert (child.district, child.province) == ("Cái Nước", "Cà Mau")
    assert (mother.national_id, mother.full_name) == (MOTHER_ID, "Trần Thị Hoa")
    phones = {(p.citizen_id, p.e164) for p in await _rows(db, CitizenPhone)}
    assert phones == {(child.id, "+84912345678"), (mother.id, "+84913000222")}
    assert {
        (i.system, i.value) for i in await _rows(db, CitizenIdentifier) if i.citizen_id == child.id
    } == {(INSURANCE, "TE1960123456789")}
    [link] = await _rows(db, Guardianship)
    assert (link.guardian_id, link.child_id, link.relationship_code) == (mother.id, child.id, "MTH")

    [visit] = await _rows(db, Visit)
    assert (visit.facility_id, visit.facility_name, visit.visit_type, visit.department) == (
        hospital.id,
        "Bệnh viện Đa khoa Cà Mau",
        "outpatient_visit",
        "Khoa Nội",
    )
    assert (visit.practitioner_name, visit.reason) == ("Phạm Văn Bác", "Sốt cao; Ho")
    assert (visit.start, visit.end) == (
        datetime(2025, 3, 1, 1, 0, tzinfo=UTC),
        datetime(2025, 3, 1, 2, 30, tzinfo=UTC),
    )
    assert (visit.main_diagnosis_code, visit.main_diagnosis_name) == (
        "J06.9",
        "Viêm hô hấp trên cấp",
    )
    assert (visit.total_cost, visit.insurance_paid, visit.follow_up_date) == (
        350000,
        350000,
        date(2025, 3, 8),
    )
    diagnoses = [(d.rank, d.code, d.code_system, d.name) for d in await _rows(db, Diagnosis)]
    assert sorted(diagnoses) == [
        (0, "J06.9", "icd10", "Viêm hô hấp trên cấp"),
        (1, "195967001", "snomed", "Hen phế quản"),
    ]

    acute, asthma = await _rows(db, Condition)
    assert (
        acute.code,
        acute.code_system,
        acute.category,
        acute.clinical_status,
        acute.visit_id,
    ) == ("J06.9", "icd10", "encounter-diagnosis", "active", visit.id)
    assert acute.onset == datetime(2025, 2, 26, 17, 0, tzinfo=UTC)  # midnight in Vietnam
    assert (asthma.code, asthma.code_system, asthma.category, asthma.visit_id) == (
        "195967001",
        "snomed",
        "problem-list-item",
        None,
    )
    [allergy] = await _rows(db, Allergy)
    assert (allergy.substance, allergy.criticality, allergy.severity, allergy.reaction) == (
        "Penicillin",
        "high",
        "severe",
        "Phát ban; Khó thở",
    )
    [vaccine] = await _rows(db, Immunization)
    assert (
        vaccine.vaccine_name,
        vaccine.vaccine_code,
        vaccine.target_disease,
        vaccine.dose_number,
    ) == ("Sởi - Rubella (MR)", "04", "Sởi; Rubella", "1")
    assert (vaccine.lot_number, vaccine.status, vaccine.facility_id) == (
        "MR2301",
        "completed",
        clinic.id,
    )

    prescribed, taken = await _rows(db, Medication)
    assert (prescribed.name, prescribed.code, prescribed.dosage, prescribed.route) == (
        "Paracetamol 250mg",
        "40.17",
        "1 gói, 3×/1 d",
        "Uống",
    )
    assert (
        prescribed.quantity,
        prescribed.unit,
        prescribed.active,
        prescribed.prescriber,
        prescribed.visit_id,
    ) == (9.0, "gói", True, "Phạm Văn Bác", visit.id)
    assert (taken.name, taken.dosage, taken.active, taken.authored) == (
        "Vitamin D3",
        "1 giọt mỗi ngày",
        False,
        datetime(2024, 5, 31, 17, tzinfo=UTC),
    )

    observations = {o.source_key: o for o in await _rows(db, Observation)}
    assert set(observations) == {
        "fhir:Observation/bp#0",
        "fhir:Observation/bp#1",
        "fhir:Observation/abo",
    }
    systolic, diastolic = (
        observations["fhir:Observation/bp#0"],
        observations["fhir:Observation/bp#1"],
    )
    assert (
        systolic.code,
        systolic.value_number,
        systolic.unit,
        systolic.interpretation,
        systolic.category,
    ) == ("8480-6", 95, "mmHg", "N", "vital-signs")
    assert (diastolic.code, diastolic.value_number, diastolic.visit_id) == ("8462-4", 60, visit.id)
    [report_row] = await _rows(db, DiagnosticReport)
    assert (
        report_row.name,
        report_row.conclusion,
        report_row.result_count,
        report_row.visit_id,
    ) == ("Công thức máu", "Bình thường", 2, visit.id)

    [booking] = await _rows(db, Appointment)
    assert (booking.status, booking.facility_id, booking.practitioner_name, booking.department) == (
        "booked",
        clinic.id,
        "Phạm Văn Bác",
        "Tái khám Nhi",
    )
    assert (booking.reason, booking.instructions) == ("Tái khám hô hấp", "Mang theo sổ khám bệnh")

    cards = {c.card_number: c for c in await _rows(db, Coverage)}
    assert set(cards) == {"TE1960123456789", "TE1960999999999"}
    current, past = cards["TE1960123456789"], cards["TE1960999999999"]
    assert (
        current.valid_from,
        current.valid_to,
        current.beneficiary_group,
        current.benefit_level,
        current.benefit_percent,
    ) == (date(2025, 1, 1), date(2025, 12, 31), "TE", 1, 100)
    assert (past.primary_care_code, past.primary_care_name, past.residence_area) == (
        "96001",
        "Bệnh viện Đa khoa Cà Mau",
        "K2",
    )
    assert (past.five_years_date, past.copay_exempt_from) == (date(2027, 1, 1), date(2024, 7, 1))


async def test_a_card_given_as_coverage_and_as_identifier_is_stored_once(
    db: Database, tmp_path: Path
) -> None:
    card = {"value": "DN4960123456789", "period": {"start": "2025-01-01"}}
    cover = {
        "resourceType": "Coverage",
        "id": "cv",
        "status": "active",
        "beneficiary": {"reference": "Patient/p1"},
        "subscriberId": "DN4 96 0123456789",
        "payor": [{"display": "BHXH"}],
    }
    path = write_json(tmp_path / "b.json", bundle(patient("p1", card=card), cover))
    assert (await import_paths(db, [path], progress=False)).ok
    [stored] = await _rows(db, Coverage)
    assert (
        stored.source_key,
        stored.card_number,
        stored.benefit_level,
        stored.benefit_percent,
    ) == ("fhir:Coverage/cv", "DN4960123456789", 4, 80)


async def test_dates_partial_and_without_time_are_read_in_vietnam(
    db: Database, tmp_path: Path
) -> None:
    resources = [patient("p1", birth="1960"), encounter("e1", "Patient/p1", start="2025-03")]
    assert (
        await import_paths(
            db, [write_json(tmp_path / "b.json", bundle(*resources))], progress=False
        )
    ).ok
    [citizen] = await _rows(db, Citizen)
    [visit] = await _rows(db, Visit)
    assert citizen.birth_date == date(1960, 1, 1)
    assert visit.start == datetime(2025, 2, 28, 17, 0, tzinfo=UTC)


async def test_conditional_references_resolve_in_the_bundle_then_in_the_store(
    db: Database, tmp_path: Path
) -> None:
    by_code = f"Organization?identifier={FACILITY_CODE}|96001"
    first = bundle(
        organization("o1"),
        patient("p1", national_id=CHILD_ID),
        encounter("e1", "Patient/p1", provider=by_code),
    )
    later = bundle(
        encounter("e2", f"Patient?identifier={NATIONAL_ID}|{CHILD_ID}", provider=by_code),
        encounter("e3", "Patient/p1", provider="Organization?identifier=urn:elsewhere|x9"),
    )
    report = await import_paths(
        db,
        [write_json(tmp_path / "1.json", first), write_json(tmp_path / "2.json", later)],
        progress=False,
    )
    assert report.ok, report.rejections
    [hospital] = await _rows(db, Facility)
    [citizen] = await _rows(db, Citizen)
    visits = {v.source_key: v for v in await _rows(db, Visit)}
    assert {k: (v.citizen_id, v.facility_id) for k, v in visits.items()} == {
        "fhir:Encounter/e1": (citizen.id, hospital.id),
        "fhir:Encounter/e2": (citizen.id, hospital.id),
        "fhir:Encounter/e3": (citizen.id, None),
    }
    assert visits["fhir:Encounter/e3"].facility_name == "Bệnh viện (hiển thị)"


async def test_a_guardian_who_is_also_a_patient_is_one_citizen(
    db: Database, tmp_path: Path
) -> None:
    first = write_json(tmp_path / "1.json", clinic_bundle())
    mother = patient(
        "p9", national_id=MOTHER_ID, name=("Trần", "Thị Hoa Mai"), updated="2025-04-01T00:00:00Z"
    )
    second = write_json(tmp_path / "2.json", bundle(mother))
    assert (await import_paths(db, [first, second], progress=False)).ok
    citizens = {c.national_id: c for c in await _rows(db, Citizen)}
    assert len(citizens) == 2 and citizens[MOTHER_ID].full_name == "Trần Thị Hoa Mai"
    [link] = await _rows(db, Guardianship)
    assert link.guardian_id == citizens[MOTHER_ID].id


async def test_a_related_person_who_is_not_a_guardian_is_skipped(
    db: Database, tmp_path: Path
) -> None:
    friend = {
        "resourceType": "RelatedPerson",
        "id": "rp",
        "patient": {"reference": "Patient/p1"},
        "relationship": [{"coding": [{"code": "FRND"}]}],
        "name": [{"text": "Bạn"}],
    }
    report = await import_paths(
        db, [write_json(tmp_path / "b.json", bundle(patient("p1"), friend))], progress=False
    )
    assert report.ok and report.counts["RelatedPerson"].skipped == 1
    assert len(await _rows(db, Citizen)) == 1 and await _rows(db, Guardianship) == []


async def test_coverage_classes_give_group_and_level_of_a_ten_digit_card(
    db: Database, tmp_path: Path
) -> None:
    def coverage_class(code: str, value: str) -> dict[str, Any]:
        system = "http://terminology.hl7.org/CodeSystem/coverage-class"
        return {"type": {"coding": [{"system": system, "code": code}]}, "value": value}

    cover = {
        "resourceType": "Coverage",
        "id": "cv",
        "status": "active",
        "beneficiary": {"reference": "Patient/p1"},
        "payor": [{"display": "BHXH"}],
        "identifier": [{"system": INSURANCE, "value": "9610579907"}],
        "class": [coverage_class("group", "ht"), coverage_class("plan", "3")],
    }
    path = write_json(tmp_path / "b.json", bundle(patient("p1"), cover))
    assert (await import_paths(db, [path], progress=False)).ok
    [stored] = await _rows(db, Coverage)
    assert (stored.card_number, stored.beneficiary_group, stored.benefit_level) == (
        "9610579907",
        "HT",
        3,
    )
    assert stored.benefit_percent == 95
