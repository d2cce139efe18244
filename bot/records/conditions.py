"""Allergies and active conditions, from every facility."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Allergy, Condition, Facility
from bot.records.common import (
    CITIZEN,
    LIMIT,
    Listing,
    among,
    citizen_param,
    limit_param,
    listing,
    not_among,
    prebuilt,
)

ACTIVE_STATUSES = ("active", "recurrence", "relapse")
INACTIVE_ALLERGY_STATUSES = ("inactive", "resolved", "entered-in-error")
ENCOUNTER_DIAGNOSIS = "encounter-diagnosis"
_ICD10_SHAPE = re.compile(r"^[A-Z][0-9]{2}(\.?[0-9A-Z]{1,4})?$")
_ICD10_SYSTEM = re.compile(r"icd-?10", re.IGNORECASE)


def icd10_code(code: str | None, system: str | None) -> str | None:
    """The code if it is ICD-10: named so by its system, or shaped like one without a system."""
    if not code:
        return None
    if system:
        return code if _ICD10_SYSTEM.search(system) else None
    return code if _ICD10_SHAPE.match(code.strip().upper()) else None


@dataclass(frozen=True)
class AllergyItem:
    """An allergy; `severity` is the reaction's severity, else the criticality."""

    substance: str
    severity: str | None
    criticality: str | None
    reaction: str | None
    recorded: datetime | None
    facility: str | None


@dataclass(frozen=True)
class ConditionItem:
    """An active condition; `icd10` is set only when it is coded in ICD-10."""

    name: str | None
    icd10: str | None
    onset: datetime | None
    facility: str | None


def allergy_order() -> tuple[Any, ...]:
    """The most dangerous allergies first, then the most recently recorded."""
    danger = case(
        (or_(Allergy.criticality == "high", Allergy.severity == "severe"), 0),
        (Allergy.severity == "moderate", 1),
        else_=2,
    )
    return danger, Allergy.recorded.desc().nulls_last(), Allergy.id


@prebuilt
def allergies_query() -> Select[Any]:
    """Allergies not marked inactive (`LIMIT` rows), each with the total count."""
    a = Allergy
    return (
        select(
            a.substance,
            a.severity,
            a.criticality,
            a.reaction,
            a.recorded,
            Facility.name.label("facility"),
            func.count().over().label("total"),
        )
        .outerjoin(Facility, Facility.id == a.facility_id)
        .where(
            a.citizen_id == citizen_param(),
            or_(a.clinical_status.is_(None), not_among(a.clinical_status, INACTIVE_ALLERGY_STATUSES)),
        )
        .order_by(*allergy_order())
        .limit(limit_param())
    )


def allergy_from_row(row: Any) -> AllergyItem:
    """An AllergyItem from a row of `allergies_query`."""
    return AllergyItem(
        substance=row.substance,
        severity=row.severity,
        criticality=row.criticality,
        reaction=row.reaction,
        recorded=row.recorded,
        facility=row.facility,
    )


async def active_allergies(
    session: AsyncSession, citizen_id: int, limit: int = 20
) -> Listing[AllergyItem]:
    """Allergies not marked inactive, the most dangerous first."""
    rows = (await session.execute(allergies_query(), {CITIZEN: citizen_id, LIMIT: limit})).all()
    return listing(rows, allergy_from_row)


def condition_order() -> tuple[Any, ...]:
    """The most recent onset first."""
    return Condition.onset.desc().nulls_last(), Condition.id


@prebuilt
def conditions_query() -> Select[Any]:
    """Active conditions (`LIMIT` rows), each with the total count."""
    c = Condition
    unstated_but_ongoing = and_(
        c.clinical_status.is_(None),
        c.abated.is_(None),
        or_(c.category.is_(None), c.category != ENCOUNTER_DIAGNOSIS),
    )
    return (
        select(
            c.name,
            c.code,
            c.code_system,
            c.onset,
            Facility.name.label("facility"),
            func.count().over().label("total"),
        )
        .outerjoin(Facility, Facility.id == c.facility_id)
        .where(
            c.citizen_id == citizen_param(),
            or_(among(c.clinical_status, ACTIVE_STATUSES), unstated_but_ongoing),
        )
        .order_by(*condition_order())
        .limit(limit_param())
    )


def condition_from_row(row: Any) -> ConditionItem:
    """A ConditionItem from a row of `conditions_query`."""
    return ConditionItem(
        name=row.name or row.code,
        icd10=icd10_code(row.code, row.code_system),
        onset=row.onset,
        facility=row.facility,
    )


async def active_conditions(
    session: AsyncSession, citizen_id: int, limit: int = 20
) -> Listing[ConditionItem]:
    """Conditions that are active (a diagnosis of one visit without a status is not a condition)."""
    rows = (await session.execute(conditions_query(), {CITIZEN: citizen_id, LIMIT: limit})).all()
    return listing(rows, condition_from_row)
