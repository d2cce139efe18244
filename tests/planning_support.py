"""Checks that an importer keeps PostgreSQL's plans fit for growing tables.

Importers write each batch with custom plans (`store_transaction(plan_each_time=True)`) and
refresh the planner's statistics as the tables fill (`StatisticsRefresher`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import text

from bot.db.session import Database
from bot.ingest.store import StoreWriter
from bot.ingest.store.statistics import FIRST_ANALYZE_AFTER


def record_plan_modes(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> list[str]:
    """Wrap `module.name(writer, ...)`; the returned list gets the plan_cache_mode of each call."""
    modes: list[str] = []
    real = getattr(module, name)

    async def recording(writer: StoreWriter, *args: Any) -> Any:
        mode = await writer.execute(text("SELECT current_setting('plan_cache_mode')"))
        modes.append(mode.scalar_one())
        return await real(writer, *args)

    monkeypatch.setattr(module, name, recording)
    return modes


async def last_analyzed(db: Database, table: str) -> Any:
    """When ANALYZE last ran on a table (None: never)."""
    query = text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = :table")
    async with db.engine.connect() as connection:
        return (await connection.execute(query, {"table": table})).scalar_one()


async def assert_analyzed_after_enough_batches(
    db: Database, table: str, import_batches: Callable[[int], Awaitable[object]]
) -> None:
    """An import of one batch too few leaves `table` unanalyzed; one of enough analyzes it.

    `import_batches(n)` runs an import that writes `n` batches.
    """
    before = await last_analyzed(db, table)
    await import_batches(FIRST_ANALYZE_AFTER - 1)
    assert await last_analyzed(db, table) == before
    await import_batches(FIRST_ANALYZE_AFTER)
    analyzed = await last_analyzed(db, table)
    assert analyzed is not None and (before is None or analyzed > before)
