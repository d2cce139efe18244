"""On PostgreSQL, an import plans each statement for its own parameters, from fresh statistics.

Plans kept for prepared statements are made while the tables are still small (a sequential
scan of a few rows), and PostgreSQL keeps using them while the tables grow: without custom
plans the 10,000-citizen import slowed from 1,573 to 720 resources/s as the tables filled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db.session import Database
from bot.ingest.fhir import batch, import_paths
from tests.ingest.fhir_factories import bundle, encounter, patient, write_json
from tests.planning_support import assert_analyzed_after_enough_batches, record_plan_modes


async def test_every_bundle_is_written_with_custom_plans(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("plan caching is PostgreSQL's")
    modes = record_plan_modes(monkeypatch, batch, "write_drafts")
    files = [
        write_json(
            tmp_path / f"b{i}.json", bundle(patient(f"p{i}"), encounter(f"e{i}", f"Patient/p{i}"))
        )
        for i in range(3)
    ]
    report = await import_paths(db, files, progress=False)
    assert report.batches_loaded == 3
    assert modes == ["force_custom_plan"] * 3


async def test_the_tables_are_analyzed_once_enough_bundles_are_written(
    db: Database, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("ANALYZE feeds PostgreSQL's planner")

    async def import_bundles(count: int) -> None:
        files = [
            write_json(tmp_path / f"b{i}.json", bundle(patient(f"p{i}"))) for i in range(count)
        ]
        await import_paths(db, files, progress=False)

    await assert_analyzed_after_enough_batches(db, "observations", import_bundles)
