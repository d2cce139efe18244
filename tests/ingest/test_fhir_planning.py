"""On PostgreSQL, an import plans each statement for its own parameters, from fresh statistics.

Plans kept for prepared statements are made while the tables are still small (a sequential
scan of a few rows), and PostgreSQL keeps using them while the tables grow: without custom
plans the 10,000-citizen import slowed from 1,573 to 720 resources/s as the tables filled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.db.session import Database
from bot.ingest.fhir import batch, import_paths
from bot.ingest.store import StoreWriter
from bot.ingest.store.statistics import FIRST_ANALYZE_AFTER
from tests.ingest.fhir_factories import bundle, encounter, patient, write_json


async def test_every_bundle_is_written_with_custom_plans(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("plan caching is PostgreSQL's")
    modes: list[str] = []
    real_write = batch.write_drafts

    async def recording_write(writer: StoreWriter, drafts: Any) -> Any:
        mode = await writer.execute(text("SELECT current_setting('plan_cache_mode')"))
        modes.append(mode.scalar_one())
        return await real_write(writer, drafts)

    monkeypatch.setattr(batch, "write_drafts", recording_write)
    files = [
        write_json(
            tmp_path / f"b{i}.json", bundle(patient(f"p{i}"), encounter(f"e{i}", f"Patient/p{i}"))
        )
        for i in range(3)
    ]
    report = await import_paths(db, files, progress=False)
    assert report.batches_loaded == 3
    assert modes == ["force_custom_plan"] * 3


async def _last_analyzed(db: Database) -> Any:
    async with db.engine.connect() as connection:
        query = "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'observations'"
        return (await connection.execute(text(query))).scalar_one()


async def test_the_tables_are_analyzed_once_enough_bundles_are_written(
    db: Database, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("ANALYZE feeds PostgreSQL's planner")
    files = [
        write_json(tmp_path / f"b{i}.json", bundle(patient(f"p{i}")))
        for i in range(FIRST_ANALYZE_AFTER)
    ]
    before = await _last_analyzed(db)
    await import_paths(db, files[:-1], progress=False)
    assert await _last_analyzed(db) == before
    await import_paths(db, files, progress=False)
    analyzed = await _last_analyzed(db)
    assert analyzed is not None and (before is None or analyzed > before)
