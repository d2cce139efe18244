"""The migrations create exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.db.base import Base
from bot.db.migrate import upgrade
from bot.db.session import Database


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


# SQLite cannot reflect expression indexes (uq_coverages_card_period), so Alembic skips them
# there with these warnings; PostgreSQL compares them, and tests/core/test_card_period_index.py
# checks the index's effect on both.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
async def test_migrated_schema_matches_models(db: Database) -> None:
    async with db.engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
        assert {"citizens", "visits", "audit_log"} <= await connection.run_sync(_tables)


async def test_upgrade_is_repeatable(database_url: str) -> None:
    await upgrade(database_url)
    await upgrade(database_url)
