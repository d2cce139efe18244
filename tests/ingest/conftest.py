"""Importer tests run on SQLite and on a PostgreSQL database of their own (`hb_fhir_<random>`).

The PostgreSQL server is the one in HEALTHBOT_TEST_POSTGRES_URL, else the local one on
127.0.0.1:5432; its tests are skipped only when no server answers.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select

from bot.db.base import Base
from bot.db.session import Database
from tests.databases import POSTGRES_ENV, PostgresTestDatabase

LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SYNTHEA = FIXTURES / "synthea-r4"


async def _reachable(url: str) -> bool:
    try:
        connection = await asyncpg.connect(
            url.replace("postgresql+asyncpg://", "postgresql://", 1), timeout=3
        )
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresTestDatabase | None]:
    """This package's own migrated PostgreSQL database, dropped at the end of the run."""
    admin_url = os.environ.get(POSTGRES_ENV) or LOCAL_POSTGRES
    if not asyncio.run(_reachable(admin_url)):
        yield None
        return
    database = PostgresTestDatabase(admin_url)
    database.name = f"hb_fhir_{uuid.uuid4().hex[:10]}"
    database.url = admin_url.rsplit("/", 1)[0] + "/" + database.name
    database.create()
    yield database
    database.drop()


async def row_counts(db: Database) -> dict[str, int]:
    """Rows per table."""
    counts = {}
    async with db.unit_of_work() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = (
                await session.execute(select(func.count()).select_from(table))
            ).scalar_one()
    return counts


async def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, for before/after comparisons."""
    rows = {}
    async with db.unit_of_work() as session:
        for table in Base.metadata.sorted_tables:
            result = await session.execute(select(table).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(row) for row in result.all()]
    return rows
