"""Allergies and active conditions, from every facility."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Allergy, Condition, Facility
from bot.records.common import Listing

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


async def active_allergies(
    session: AsyncSession, citizen_id: int, limit: int = 20
) -> Listing[AllergyItem]:
    """Allergies not marked inactive, the most dangerous first."""
    danger = case(
        (or_(Allergy.criticality == "high", Allergy.severity == "severe"), 0),
        (Allergy.severity == "moderate", 1),
        else_=2,
    )
    rows = (
        await session.execute(
            select(Allergy, Facility.name.label("facility"), func.count().over().label("total"))
            .outerjoin(Facility, Facility.id == Allergy.facility_id)
            .where(
                Allergy.citizen_id == citizen_id,
                or_(
                    Allergy.clinical_status.is_(None),
                    Allergy.clinical_status.not_in(INACTIVE_ALLERGY_STATUSES),
                ),
            )
            .order_by(danger, Allergy.recorded.desc().nulls_last(), Allergy.id)
            .limit(limit)
        )
    ).all()
    items = tuple(
        AllergyItem(
            substance=row.Allergy.substance,
            severity=row.Allergy.severity,
            criticality=row.Allergy.criticality,
            reaction=row.Allergy.reaction,
            recorded=row.Allergy.recorded,
            facility=row.facility,
        )
        for row in rows
    )
    return Listing(items, rows[0].total if rows else 0)


async def active_conditions(
    session: AsyncSession, citizen_id: int, limit: int = 20
) -> Listing[ConditionItem]:
    """Conditions that are active (a diagnosis of one visit without a status is not a condition)."""
    unstated_but_ongoing = and_(
        Condition.clinical_status.is_(None),
        Condition.abated.is_(None),
        or_(Condition.category.is_(None), Condition.category != ENCOUNTER_DIAGNOSIS),
    )
    rows = (
        await session.execute(
            select(Condition, Facility.name.label("facility"), func.count().over().label("total"))
            .outerjoin(Facility, Facility.id == Condition.facility_id)
            .where(
                Condition.citizen_id == citizen_id,
                or_(Condition.clinical_status.in_(ACTIVE_STATUSES), unstated_but_ongoing),
            )
            .order_by(Condition.onset.desc().nulls_last(), Condition.id)
            .limit(limit)
        )
    ).all()
    items = tuple(
        ConditionItem(
            name=row.Condition.name or row.Condition.code,
            icd10=icd10_code(row.Condition.code, row.Condition.code_system),
            onset=row.Condition.onset,
            facility=row.facility,
        )
        for row in rows
    )
    return Listing(items, rows[0].total if rows else 0)
