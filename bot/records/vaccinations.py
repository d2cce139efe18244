"""Vaccinations from every facility, grouped by the disease they protect against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Facility, Immunization
from bot.records.common import CITIZEN, citizen_param, not_among, prebuilt

NOT_GIVEN_STATUSES = ("not-done", "entered-in-error")


@dataclass(frozen=True)
class VaccinationItem:
    """One dose given."""

    vaccine_name: str
    target_disease: str | None
    dose_number: str | None
    lot_number: str | None
    occurred: datetime | None
    facility: str | None


@dataclass(frozen=True)
class DiseaseVaccinations:
    """The doses against one disease, oldest first."""

    disease: str
    doses: tuple[VaccinationItem, ...]


def _given() -> Any:
    return or_(Immunization.status.is_(None), not_among(Immunization.status, NOT_GIVEN_STATUSES))


def vaccination_from_row(row: Any) -> VaccinationItem:
    """A VaccinationItem from a row of `latest_query` (or the same columns)."""
    return VaccinationItem(
        vaccine_name=row.vaccine_name,
        target_disease=row.target_disease,
        dose_number=row.dose_number,
        lot_number=row.lot_number,
        occurred=row.occurred,
        facility=row.facility,
    )


def _select() -> Any:
    i = Immunization
    return select(
        i.vaccine_name,
        i.target_disease,
        i.dose_number,
        i.lot_number,
        i.occurred,
        Facility.name.label("facility"),
    ).outerjoin(Facility, Facility.id == i.facility_id)


def latest_order() -> tuple[Any, ...]:
    """The most recent dose first."""
    return Immunization.occurred.desc().nulls_last(), Immunization.id.desc()


@prebuilt
def latest_query() -> Any:
    """The most recent dose given (one row)."""
    return (
        _select()
        .where(Immunization.citizen_id == citizen_param(), _given())
        .order_by(*latest_order())
        .limit(1)
    )


async def latest_vaccination(session: AsyncSession, citizen_id: int) -> VaccinationItem | None:
    """The most recent dose given."""
    row = (await session.execute(latest_query(), {CITIZEN: citizen_id})).first()
    return vaccination_from_row(row) if row is not None else None


async def vaccinations_by_disease(
    session: AsyncSession, citizen_id: int
) -> tuple[DiseaseVaccinations, ...]:
    """Every dose given, grouped by disease (alphabetically), each group oldest first."""
    rows = await session.execute(
        _select()
        .where(Immunization.citizen_id == citizen_id, _given())
        .order_by(Immunization.occurred.nulls_last(), Immunization.id)
    )
    names: dict[str, str] = {}
    groups: dict[str, list[VaccinationItem]] = {}
    for row in rows:
        item = vaccination_from_row(row)
        disease = " ".join((item.target_disease or item.vaccine_name).split())
        key = disease.casefold()
        names.setdefault(key, disease)
        groups.setdefault(key, []).append(item)
    return tuple(DiseaseVaccinations(names[key], tuple(groups[key])) for key in sorted(groups))
