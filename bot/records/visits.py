"""Visits from every facility, newest first, and the full detail of one visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.reads import read_rows
from bot.db.models import Diagnosis, Facility, Medication, Observation, Visit, VisitService
from bot.records.common import (
    CITIZEN,
    LIMIT,
    Page,
    citizen_param,
    limit_param,
    make_page,
    page_offset,
    prebuilt,
)
from bot.records.conditions import icd10_code
from bot.records.labs import ResultItem, result_columns, result_from_row, shown_category
from bot.records.medications import MedicationItem, medication_columns, medication_from_row

VISITS_PAGE_SIZE = 5
OFFSET = "offset"


@dataclass(frozen=True)
class VisitItem:
    """One visit as listed: when, where and the main diagnosis."""

    visit_id: int
    start: datetime | None
    end: datetime | None
    facility: str | None
    department: str | None
    visit_type: str | None
    main_diagnosis_code: str | None
    main_diagnosis_name: str | None


@dataclass(frozen=True)
class VisitCosts:
    """What a visit cost, in VND; unknown amounts are None."""

    total: int | None
    insurance_paid: int | None
    patient_copay: int | None
    patient_paid: int | None

    @property
    def patient_share(self) -> int | None:
        """What the patient paid: as recorded, else the total less the insurance part."""
        if self.patient_paid is not None:
            return self.patient_paid
        if self.total is not None and self.insurance_paid is not None:
            return max(0, self.total - self.insurance_paid)
        return self.patient_copay

    @property
    def known(self) -> bool:
        """True when any amount is recorded."""
        return any(v is not None for v in (self.total, self.insurance_paid, self.patient_share))


@dataclass(frozen=True)
class DiagnosisItem:
    """A diagnosis of a visit; `icd10` is set when the code is an ICD-10 code."""

    name: str | None
    code: str | None
    icd10: str | None
    main: bool


@dataclass(frozen=True)
class ServiceItem:
    """A billed service or supply."""

    name: str
    quantity: float | None
    total: int | None
    insurance_paid: int | None


@dataclass(frozen=True)
class VisitDetail:
    """Everything recorded about one visit."""

    visit: VisitItem
    practitioner: str | None
    reason: str | None
    outcome: str | None
    follow_up_date: date | None
    diagnoses: tuple[DiagnosisItem, ...]
    medications: tuple[MedicationItem, ...]
    results: tuple[ResultItem, ...]
    services: tuple[ServiceItem, ...]
    costs: VisitCosts


def _facility() -> ColumnElement[Any]:
    return func.coalesce(Facility.name, Visit.facility_name).label("facility")


def _visit_select(*extra: Any) -> Select[Any]:
    return select(
        Visit.id,
        Visit.start,
        Visit.end,
        _facility(),
        Visit.department,
        Visit.visit_type,
        Visit.main_diagnosis_code,
        Visit.main_diagnosis_name,
        *extra,
    ).outerjoin(Facility, Facility.id == Visit.facility_id)


def visit_from_row(row: Any) -> VisitItem:
    """A VisitItem from a row selected with `_visit_select`."""
    return VisitItem(
        visit_id=row.id,
        start=row.start,
        end=row.end,
        facility=row.facility,
        department=row.department,
        visit_type=row.visit_type,
        main_diagnosis_code=row.main_diagnosis_code,
        main_diagnosis_name=row.main_diagnosis_name,
    )


def newest_first() -> tuple[Any, ...]:
    """The most recent visit first."""
    return (Visit.start.desc().nulls_last(), Visit.id.desc())


@prebuilt
def _page_query() -> Select[Any]:
    return (
        _visit_select(func.count().over().label("total"))
        .where(Visit.citizen_id == citizen_param())
        .order_by(*newest_first())
        .limit(limit_param())
        .offset(bindparam(OFFSET, type_=Integer))
    )


async def visits_page(
    session: AsyncSession, citizen_id: int, page: int = 1, size: int = VISITS_PAGE_SIZE
) -> Page[VisitItem]:
    """One page of the citizen's visits at all facilities, newest first (one query)."""
    values = {CITIZEN: citizen_id, LIMIT: size, OFFSET: page_offset(page, size)}
    rows = (await read_rows(session, _page_query(), values)).all()
    if not rows and page > 1:
        return await visits_page(session, citizen_id, 1, size)
    total = rows[0].total if rows else 0
    return make_page([visit_from_row(row) for row in rows], page, size, total)


@prebuilt
def recent_query() -> Select[Any]:
    """The most recent visits (`LIMIT` rows)."""
    return (
        _visit_select()
        .where(Visit.citizen_id == citizen_param())
        .order_by(*newest_first())
        .limit(limit_param())
    )


async def recent_visits(
    session: AsyncSession, citizen_id: int, limit: int = 3
) -> tuple[VisitItem, ...]:
    """The most recent visits, newest first."""
    rows = await session.execute(recent_query(), {CITIZEN: citizen_id, LIMIT: limit})
    return tuple(visit_from_row(row) for row in rows)


async def visit_detail(session: AsyncSession, citizen_id: int, visit_id: int) -> VisitDetail | None:
    """A visit with its diagnoses, medicines, results, services and costs (None if not theirs)."""
    head = (
        await session.execute(
            _visit_select(
                Visit.practitioner_name,
                Visit.reason,
                Visit.outcome,
                Visit.follow_up_date,
                Visit.total_cost,
                Visit.insurance_paid,
                Visit.patient_copay,
                Visit.patient_paid,
            ).where(Visit.id == visit_id, Visit.citizen_id == citizen_id)
        )
    ).first()
    if head is None:
        return None
    diagnoses = await session.scalars(
        select(Diagnosis)
        .where(Diagnosis.visit_id == visit_id)
        .order_by(Diagnosis.rank, Diagnosis.id)
    )
    medications = await session.execute(
        select(*medication_columns(), Facility.name.label("facility"))
        .outerjoin(Facility, Facility.id == Medication.facility_id)
        .where(Medication.visit_id == visit_id)
        .order_by(Medication.id)
    )
    results = await session.execute(
        select(*result_columns(), Facility.name.label("facility"))
        .outerjoin(Facility, Facility.id == Observation.facility_id)
        .where(Observation.visit_id == visit_id, shown_category())
        .order_by(Observation.effective, Observation.id)
    )
    services = await session.scalars(
        select(VisitService).where(VisitService.visit_id == visit_id).order_by(VisitService.id)
    )
    return VisitDetail(
        visit=visit_from_row(head),
        practitioner=head.practitioner_name,
        reason=head.reason,
        outcome=head.outcome,
        follow_up_date=head.follow_up_date,
        diagnoses=_diagnoses(list(diagnoses), head),
        medications=tuple(medication_from_row(row, row.facility) for row in medications),
        results=tuple(result_from_row(row, row.facility) for row in results),
        services=tuple(
            ServiceItem(row.name, row.quantity, row.total, row.insurance_paid) for row in services
        ),
        costs=VisitCosts(
            head.total_cost, head.insurance_paid, head.patient_copay, head.patient_paid
        ),
    )


def _diagnoses(rows: list[Diagnosis], head: Any) -> tuple[DiagnosisItem, ...]:
    """The visit's diagnoses; without diagnosis rows, the main diagnosis written on the visit."""
    if not rows and (head.main_diagnosis_code or head.main_diagnosis_name):
        code = head.main_diagnosis_code
        return (DiagnosisItem(head.main_diagnosis_name, code, icd10_code(code, None), True),)
    return tuple(
        DiagnosisItem(row.name, row.code, icd10_code(row.code, row.code_system), row.rank == 0)
        for row in rows
    )
