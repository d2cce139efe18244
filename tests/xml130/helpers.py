"""Helpers for XML 130 import tests: fixture paths, importing, reading rows back."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from bot.db.base import Base
from bot.db.models import (
    Appointment,
    Citizen,
    CitizenIdentifier,
    Coverage,
    Diagnosis,
    Facility,
    Medication,
    Observation,
    Visit,
    VisitService,
)
from bot.db.session import Database
from bot.ingest.xml130 import Xml130Report, import_paths

BUILT = Path(__file__).resolve().parents[1] / "fixtures" / "xml130" / "built"
M = TypeVar("M", bound=Base)

COUNTED = (
    Citizen,
    CitizenIdentifier,
    Coverage,
    Facility,
    Visit,
    Diagnosis,
    VisitService,
    Medication,
    Observation,
    Appointment,
)


async def run_import(db: Database, *names: str | Path) -> Xml130Report:
    """Import fixture submissions (names under built/) or any paths."""
    paths = [name if isinstance(name, Path) else BUILT / name for name in names]
    return await import_paths(db, paths, progress=False)


async def all_rows(db: Database, model: type[M], *order: Any) -> list[M]:
    """Every row of a table, in `order` (by id by default)."""
    async with db.unit_of_work() as session:
        statement = select(model).order_by(*(order or (model.id,)))  # type: ignore[attr-defined]
        return list((await session.scalars(statement)).all())


async def one(db: Database, model: type[M], **where: Any) -> M:
    """The single row matching column values."""
    async with db.unit_of_work() as session:
        return (await session.scalars(select(model).filter_by(**where))).one()


async def counts(db: Database) -> dict[str, int]:
    """Row counts of the store's tables."""
    result = {}
    async with db.unit_of_work() as session:
        for model in COUNTED:
            table = model.__tablename__
            result[table] = (await session.scalar(select(func.count()).select_from(model))) or 0
    return result
