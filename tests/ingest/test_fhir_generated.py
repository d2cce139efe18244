"""What the synthetic data generator writes, the importer reads completely."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import Appointment, Citizen, Coverage, Facility, Guardianship, Visit
from bot.db.session import Database
from bot.ingest.fhir import Outcome, import_paths

generator = pytest.importorskip("bot.ingest.synthetic.generator")


async def _scalar(db: Database, statement: object) -> object:
    async with db.unit_of_work() as session:
        return (await session.execute(statement)).scalar_one()  # type: ignore[call-overload]


async def test_a_generated_province_imports_without_rejections(
    db: Database, tmp_path: Path
) -> None:
    generator.generate(tmp_path / "demo", 12, seed=7, today=date(2026, 1, 15))
    report = await import_paths(db, [tmp_path / "demo"], progress=False)
    assert report.ok, report.rejections[:5]
    assert report.total(Outcome.REJECTED) == 0 and report.counts["Patient"].imported == 12
    assert set(report.counts) - {"PractitionerRole"} <= {
        name for name, c in report.counts.items() if c.imported
    }
    assert (
        await _scalar(
            db, select(func.count()).select_from(Citizen).where(Citizen.national_id.is_(None))
        )
        == 0
    )
    assert (
        await _scalar(
            db, select(func.count()).select_from(Visit).where(Visit.facility_id.is_(None))
        )
        == 0
    )
    assert (
        await _scalar(
            db,
            select(func.count()).select_from(Appointment).where(Appointment.facility_id.is_(None)),
        )
        == 0
    )
    assert (
        await _scalar(
            db, select(func.count()).select_from(Facility).where(Facility.code.is_not(None))
        )
        > 0
    )
    assert (
        await _scalar(
            db,
            select(func.count()).select_from(Coverage).where(Coverage.primary_care_code.is_(None)),
        )
        == 0
    )
    assert (
        await _scalar(
            db, select(func.count()).select_from(Coverage).where(Coverage.benefit_percent.is_(None))
        )
        == 0
    )
    if report.counts.get("RelatedPerson"):
        assert await _scalar(db, select(func.count()).select_from(Guardianship)) > 0
    again = await import_paths(db, [tmp_path / "demo"], progress=False)
    assert again.total(Outcome.IMPORTED) == again.total(Outcome.UPDATED) == 0
