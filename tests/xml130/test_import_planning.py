"""On PostgreSQL, XML 130 batches are planned for their own parameters, from fresh statistics.

The same shapes of statement run batch after batch while the tables grow; plans kept from
the first, small tables, or made from never-analyzed ones, read whole tables (see
`bot.ingest.store.statistics`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.db.session import Database
from bot.ingest.xml130 import Xml130Importer, write_submission
from bot.ingest.xml130 import pipeline as xml_pipeline
from tests.planning_support import assert_analyzed_after_enough_batches, record_plan_modes
from tests.xml130.factories import generated_visits


async def _import_one_hoso_per_batch(db: Database, folder: Path, hosos: int) -> None:
    path = folder / f"{hosos}.xml"
    write_submission(path, "96001", date(2025, 11, 20), list(generated_visits(hosos)))
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    report = await Xml130Importer(db, clock, batch_size=1).run([path], progress=False)
    assert report.ok and report.hoso_imported == hosos


async def test_every_batch_is_written_with_custom_plans(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("plan caching is PostgreSQL's")
    modes = record_plan_modes(monkeypatch, xml_pipeline, "write_batch")
    await _import_one_hoso_per_batch(db, tmp_path, 3)
    assert modes == ["force_custom_plan"] * 3


async def test_the_tables_are_analyzed_once_enough_batches_are_written(
    db: Database, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("ANALYZE feeds PostgreSQL's planner")

    async def import_batches(count: int) -> None:
        await _import_one_hoso_per_batch(db, tmp_path, count)

    await assert_analyzed_after_enough_batches(db, "visits", import_batches)
