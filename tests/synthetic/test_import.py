"""Generated files load through the standard FHIR importer, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bot.db.models import Citizen, Coverage, Facility, Guardianship, Visit
from bot.db.session import Database
from bot.ingest.fhir.importer import import_paths
from bot.ingest.synthetic import generate
from tests.synthetic.support import REFERENCE_DATE


async def test_the_importer_loads_everything_generated(db: Database, tmp_path: Path) -> None:
    summary = generate(tmp_path, 24, 17, today=REFERENCE_DATE, chunk_size=12, density=0.3)
    report = await import_paths(db, [tmp_path], progress=False)
    assert report.ok, [str(rejection) for rejection in report.rejections]
    async with db.unit_of_work() as session:
        citizens = await session.scalar(select(func.count()).select_from(Citizen))
        visits = await session.scalar(select(func.count()).select_from(Visit))
        coverages = await session.scalar(select(func.count()).select_from(Coverage))
        guardians = await session.scalar(select(func.count()).select_from(Guardianship))
        facilities = await session.scalar(
            select(func.count()).select_from(Facility).where(Facility.code.is_not(None))
        )
        visits_without_facility = await session.scalar(
            select(func.count()).select_from(Visit).where(Visit.facility_id.is_(None))
        )
        cards_without_primary_care = await session.scalar(
            select(func.count()).select_from(Coverage).where(Coverage.primary_care_code.is_(None))
        )
        demo = json.loads((tmp_path / "manifest.json").read_text())["demoCitizens"]
        cards = {
            d["national_id"]: (
                await session.scalars(
                    select(Coverage.valid_to)
                    .join(Citizen, Citizen.id == Coverage.citizen_id)
                    .where(Citizen.national_id == d["national_id"])
                )
            ).all()
            for d in demo
            if d["card_valid_to"]
        }
    assert citizens == 24
    assert visits == summary.resources["Encounter"]
    assert coverages == summary.resources["Coverage"]
    assert guardians == summary.resources.get("RelatedPerson", 0)
    assert facilities == 184
    assert visits_without_facility == cards_without_primary_care == 0
    for citizen in demo:
        if citizen["card_valid_to"]:
            latest = max(day for day in cards[citizen["national_id"]] if day is not None)
            assert latest == date.fromisoformat(citizen["card_valid_to"])
