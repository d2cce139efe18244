"""Medicines prescribed at any facility: the current ones first, then the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Facility, Medication
from bot.records.common import (
    CITIZEN,
    LIMIT,
    Listing,
    Page,
    citizen_param,
    limit_param,
    listing,
    make_page,
    page_offset,
    prebuilt,
)

MEDICATIONS_PAGE_SIZE = 8


@dataclass(frozen=True)
class MedicationItem:
    """A prescribed medicine with its strength, dose and facility."""

    medication_id: int
    name: str
    strength: str | None
    route: str | None
    dosage: str | None
    quantity: float | None
    unit: str | None
    active: bool
    authored: datetime | None
    prescriber: str | None
    visit_id: int | None
    facility: str | None


def medication_columns() -> tuple[Any, ...]:
    """The medication columns a MedicationItem is made of."""
    m = Medication
    return (
        m.id,
        m.name,
        m.strength,
        m.route,
        m.dosage,
        m.quantity,
        m.unit,
        m.active,
        m.authored,
        m.prescriber,
        m.visit_id,
    )


def medication_from_row(row: Any, facility: str | None) -> MedicationItem:
    """A MedicationItem from a row selected with `medication_columns()`."""
    return MedicationItem(
        medication_id=row.id,
        name=row.name,
        strength=row.strength,
        route=row.route,
        dosage=row.dosage,
        quantity=row.quantity,
        unit=row.unit,
        active=bool(row.active),
        authored=row.authored,
        prescriber=row.prescriber,
        visit_id=row.visit_id,
        facility=facility,
    )


def _base(*extra: Any) -> Any:
    return select(*medication_columns(), Facility.name.label("facility"), *extra).outerjoin(
        Facility, Facility.id == Medication.facility_id
    )


def current_order() -> tuple[Any, ...]:
    """The most recently prescribed first."""
    return Medication.authored.desc().nulls_last(), Medication.id.desc()


@prebuilt
def current_query() -> Any:
    """Medicines currently taken (`LIMIT` rows), each with the total count."""
    return (
        _base(func.count().over().label("total"))
        .where(Medication.citizen_id == citizen_param(), Medication.active.is_(True))
        .order_by(*current_order())
        .limit(limit_param())
    )


def current_from_row(row: Any) -> MedicationItem:
    """A MedicationItem from a row of `current_query`."""
    return medication_from_row(row, row.facility)


async def current_medications(
    session: AsyncSession, citizen_id: int, limit: int = 20
) -> Listing[MedicationItem]:
    """Medicines marked as currently taken, most recently prescribed first."""
    rows = (await session.execute(current_query(), {CITIZEN: citizen_id, LIMIT: limit})).all()
    return listing(rows, current_from_row)


async def medications_page(
    session: AsyncSession, citizen_id: int, page: int = 1, size: int = MEDICATIONS_PAGE_SIZE
) -> Page[MedicationItem]:
    """Every medicine, current ones first, then newest first (one query)."""
    rows = (
        await session.execute(
            _base(func.count().over().label("total"))
            .where(Medication.citizen_id == citizen_id)
            .order_by(
                Medication.active.desc(),
                Medication.authored.desc().nulls_last(),
                Medication.id.desc(),
            )
            .limit(size)
            .offset(page_offset(page, size))
        )
    ).all()
    if not rows and page > 1:
        return await medications_page(session, citizen_id, 1, size)
    total = rows[0].total if rows else 0
    return make_page([medication_from_row(row, row.facility) for row in rows], page, size, total)
