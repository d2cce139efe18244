"""Factories for health records: facilities, visits with everything on them, results, cards, ..."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Allergy,
    Appointment,
    Citizen,
    Condition,
    Coverage,
    Diagnosis,
    Facility,
    Guardianship,
    Immunization,
    Medication,
    Observation,
    Visit,
    VisitService,
)
from tests.factories import make_citizen

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
"""10:00 in Vietnam on Thursday 26 November 2026."""

_keys = itertools.count(1)


def key(kind: str) -> str:
    """A unique source key."""
    return f"test:{kind}:{next(_keys)}"


async def add(session: AsyncSession, *rows: Any) -> None:
    """Add rows and flush."""
    session.add_all(rows)
    await session.flush()


async def make_facility(session: AsyncSession, name: str, **overrides: Any) -> Facility:
    """A facility with a unique code."""
    serial = next(_keys)
    values: dict[str, Any] = {
        "source_key": f"test:facility:{serial}",
        "code": f"96{serial:03d}",
        "name": name,
        "address": f"{serial} Đường Lý Thường Kiệt, Phường 5, Cà Mau",
    }
    values.update(overrides)
    facility = Facility(**values)
    await add(session, facility)
    return facility


def observation(
    citizen: Citizen, code: str, name: str, value: float | None, **overrides: Any
) -> Observation:
    """An observation row (not added)."""
    values: dict[str, Any] = {
        "source_key": key("observation"),
        "citizen_id": citizen.id,
        "category": "laboratory",
        "code": code,
        "code_system": "loinc",
        "name": name,
        "value_number": value,
        "effective": NOW - timedelta(days=10),
    }
    values.update(overrides)
    return Observation(**values)


async def make_visit(
    session: AsyncSession,
    citizen: Citizen,
    facility: Facility | None,
    start: datetime,
    *,
    diagnoses: Sequence[tuple[str, str]] = (("J20", "Viêm phế quản cấp"),),
    medications: Sequence[dict[str, Any]] = (),
    results: Sequence[dict[str, Any]] = (),
    services: Sequence[dict[str, Any]] = (),
    **overrides: Any,
) -> Visit:
    """A visit with its diagnoses (ICD-10), medicines, results and services."""
    values: dict[str, Any] = {
        "source_key": key("visit"),
        "citizen_id": citizen.id,
        "facility_id": facility.id if facility else None,
        "start": start,
        "end": start + timedelta(hours=2),
        "department": "Khoa Khám bệnh",
        "main_diagnosis_code": diagnoses[0][0] if diagnoses else None,
        "main_diagnosis_name": diagnoses[0][1] if diagnoses else None,
    }
    values.update(overrides)
    visit = Visit(**values)
    await add(session, visit)
    rows: list[Any] = [
        Diagnosis(visit_id=visit.id, code=code, code_system="icd10", name=name, rank=rank)
        for rank, (code, name) in enumerate(diagnoses)
    ]
    facility_id = facility.id if facility else None
    rows += [
        Medication(
            source_key=key("medication"),
            citizen_id=citizen.id,
            facility_id=facility_id,
            visit_id=visit.id,
            authored=start,
            **medication,
        )
        for medication in medications
    ]
    rows += [
        observation(citizen, visit_id=visit.id, facility_id=facility_id, effective=start, **result)
        for result in results
    ]
    rows += [VisitService(visit_id=visit.id, **service) for service in services]
    await add(session, *rows)
    return visit


async def make_appointment(
    session: AsyncSession,
    citizen: Citizen,
    facility: Facility | None,
    start: datetime,
    **overrides: Any,
) -> Appointment:
    """A booked appointment."""
    values: dict[str, Any] = {
        "source_key": key("appointment"),
        "citizen_id": citizen.id,
        "facility_id": facility.id if facility else None,
        "status": "booked",
        "start": start,
        "end": start + timedelta(minutes=30),
        "department": "Khoa Nội",
        "practitioner_name": "BS. Trần Văn An",
        "reason": "Tái khám tiểu đường",
        "instructions": "Nhịn ăn sáng; mang theo sổ khám bệnh, thẻ BHYT",
    }
    values.update(overrides)
    appointment = Appointment(**values)
    await add(session, appointment)
    return appointment


async def make_coverage(
    session: AsyncSession, citizen: Citizen, valid_to: date, **overrides: Any
) -> Coverage:
    """A BHYT card of group DN, level 4 (80%), valid for a year up to `valid_to`."""
    values: dict[str, Any] = {
        "source_key": key("coverage"),
        "citizen_id": citizen.id,
        "card_number": "DN4960123456789",
        "beneficiary_group": "DN",
        "benefit_level": 4,
        "valid_from": valid_to - timedelta(days=364),
        "valid_to": valid_to,
        "primary_care_code": "96001",
        "primary_care_name": "Trạm Y tế Phường 5",
    }
    values.update(overrides)
    coverage = Coverage(**values)
    await add(session, coverage)
    return coverage


async def make_guardian_with_child(
    session: AsyncSession, child_birth: date, **child: Any
) -> tuple[Citizen, Citizen]:
    """A guardian (mother) and a child born on `child_birth`."""
    guardian = await make_citizen(session, birth_date=date(1990, 5, 1))
    kid = await make_citizen(session, birth_date=child_birth, phones=[], **child)
    await add(
        session, Guardianship(guardian_id=guardian.id, child_id=kid.id, relationship_code="MTH")
    )
    return guardian, kid


async def make_rich_citizen(session: AsyncSession, visits: int = 300) -> Citizen:
    """A citizen with records from three facilities: many visits, results, medicines, vaccines."""
    citizen = await make_citizen(
        session, full_name="Lê Văn <Bình> & Co", blood_type="O+", birth_date=date(1960, 11, 27)
    )
    facilities = [
        await make_facility(session, "Bệnh viện Đa khoa Cà Mau"),
        await make_facility(session, "Trung tâm Y tế Năm Căn"),
        await make_facility(session, "Trạm Y tế Phường 5 <TYT> & Co"),
    ]
    for number in range(visits):
        start = NOW - timedelta(days=5 + 3 * number)
        visit = Visit(
            source_key=key("visit"),
            citizen_id=citizen.id,
            facility_id=facilities[number % 3].id,
            start=start,
            end=start + timedelta(hours=1),
            department="Khoa Nội " + "x" * 40,
            main_diagnosis_code="E11",
            main_diagnosis_name="Bệnh đái tháo đường type 2 " + "y" * 150,
        )
        session.add(visit)
    await session.flush()
    rows: list[Any] = [
        Allergy(
            source_key=key("allergy"),
            citizen_id=citizen.id,
            facility_id=facilities[0].id,
            substance=f"Penicillin {n} <beta>",
            severity="severe",
            reaction="Phát ban " * 30,
        )
        for n in range(25)
    ]
    rows += [
        Condition(
            source_key=key("condition"),
            citizen_id=citizen.id,
            facility_id=facilities[1].id,
            code=f"E1{n % 10}",
            code_system="icd10",
            name="Đái tháo đường " * 12,
            clinical_status="active",
        )
        for n in range(25)
    ]
    rows += [
        Medication(
            source_key=key("medication"),
            citizen_id=citizen.id,
            facility_id=facilities[n % 3].id,
            name=f"Metformin {n}",
            strength="500 mg",
            dosage="Uống 1 viên x 2 lần/ngày " * 8,
            active=True,
            authored=NOW - timedelta(days=n),
        )
        for n in range(25)
    ]
    rows += [
        Immunization(
            source_key=key("immunization"),
            citizen_id=citizen.id,
            facility_id=facilities[2].id,
            vaccine_name="Vắc xin Sởi - Rubella",
            target_disease=f"Bệnh {n % 12}",
            dose_number=str(n % 3 + 1),
            occurred=NOW - timedelta(days=400 + n),
        )
        for n in range(60)
    ]
    rows += [
        observation(
            citizen,
            code=f"T{n}",
            name=f"Xét nghiệm số {n}",
            value=float(n),
            reference_low=1.0,
            reference_high=5.0,
            unit="mmol/L",
            facility_id=facilities[n % 3].id,
            effective=NOW - timedelta(days=n + 1),
        )
        for n in range(30)
    ]
    rows += [
        observation(
            citizen,
            "8480-6",
            "Systolic blood pressure",
            150.0,
            unit="mm[Hg]",
            reference_high=139.0,
            category="vital-signs",
            facility_id=facilities[0].id,
        ),
        observation(
            citizen,
            "8462-4",
            "Diastolic blood pressure",
            85.0,
            unit="mm[Hg]",
            reference_high=89.0,
            category="vital-signs",
            facility_id=facilities[0].id,
        ),
        observation(
            citizen,
            "4548-4",
            "HbA1c",
            7.9,
            unit="%",
            reference_high=6.4,
            facility_id=facilities[1].id,
        ),
    ]
    await add(session, *rows)
    return citizen
