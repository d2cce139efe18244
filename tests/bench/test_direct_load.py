"""`healthbot demo-data --direct`: a skewed population written straight into the database."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import Citizen, Diagnosis, Immunization, Observation, Visit
from bot.db.session import Database
from bot.ingest.synthetic.direct import DirectLoadError, load_direct
from bot.ingest.synthetic.direct_rows import HEAVY_USER_EVERY, HEAVY_VISITS
from bot.records.summary import record_summary

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
CITIZENS = 1_200  # includes one heavy user (index 1000)


async def count(db: Database, model: type, *where: object) -> int:
    async with db.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_direct_load_writes_citizens_with_the_skewed_distribution(db: Database) -> None:
    summary = await load_direct(db, CITIZENS, seed=7, today=TODAY, batch_citizens=500)

    assert await count(db, Citizen) == summary.citizens == CITIZENS
    visits = await count(db, Visit)
    assert summary.rows["visits"] == visits
    assert 4.0 <= visits / CITIZENS <= 6.0
    assert 8.0 <= await count(db, Observation) / CITIZENS <= 12.0
    assert 4.0 <= await count(db, Immunization) / CITIZENS <= 6.0
    assert await count(db, Diagnosis) == visits  # every visit has its main diagnosis
    async with db.unit_of_work() as session:
        per_citizen = (
            select(Visit.citizen_id, func.count().label("n")).group_by(Visit.citizen_id).subquery()
        )
        heavy = list(await session.scalars(select(per_citizen.c.n).where(per_citizen.c.n >= HEAVY_VISITS[0])))
        typical = await session.scalar(select(func.max(per_citizen.c.n)).where(per_citizen.c.n < HEAVY_VISITS[0]))
    assert len(heavy) == CITIZENS // HEAVY_USER_EVERY + 1
    assert typical is not None and typical < 60


async def test_the_record_summary_reads_a_direct_loaded_citizen(db: Database) -> None:
    await load_direct(db, CITIZENS, seed=7, today=TODAY)
    async with db.unit_of_work() as session:
        busiest = await session.scalar(
            select(Visit.citizen_id).group_by(Visit.citizen_id).order_by(func.count().desc()).limit(1)
        )
        assert busiest is not None
        summary = await record_summary(session, busiest, NOW)

    assert summary is not None
    assert summary.person.full_name
    assert summary.person.masked_national_id
    starts = [visit.start for visit in summary.recent_visits]
    assert len(starts) == 3
    assert all(start is not None and start < NOW for start in starts)
    assert starts == sorted(starts, reverse=True)
    assert all(visit.main_diagnosis_name for visit in summary.recent_visits)


async def test_rows_written_after_a_direct_load_get_fresh_ids(db: Database) -> None:
    await load_direct(db, 50, seed=7, today=TODAY)

    async with db.unit_of_work() as session:
        citizen = Citizen(source_key="after-direct", full_name="Nguyễn Văn Sau")
        session.add(citizen)
        await session.flush()
        highest = await session.scalar(select(func.max(Citizen.id)).where(Citizen.source_key != "after-direct"))

    assert citizen.id > (highest or 0)


async def test_a_direct_load_into_a_populated_database_is_refused(db: Database) -> None:
    await load_direct(db, 20, seed=7, today=TODAY)

    with pytest.raises(DirectLoadError, match="already holds citizens"):
        await load_direct(db, 20, seed=8, today=TODAY)
    assert await count(db, Citizen) == 20


def healthbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_demo_data_direct_loads_the_database_given_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'direct.sqlite3'}"

    first = healthbot("demo-data", "--citizens", "300", "--direct", "--database-url", url, cwd=tmp_path)
    again = healthbot("demo-data", "--citizens", "300", "--direct", "--database-url", url, cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Loaded 300 citizens directly")
    assert again.returncode == 1
    assert "already holds citizens" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--database-url", "sqlite+aiosqlite:///x.sqlite3"), "--database-url goes with --direct"),
        ((), "--out is required (or --direct)"),
    ],
)
def test_demo_data_without_direct_needs_an_output_folder(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = healthbot("demo-data", "--citizens", "10", *args, cwd=tmp_path)

    assert result.returncode == 2
    assert message in result.stderr
