"""SQLite WAL checkpoints run in the background for the bot, never inside a user's commit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.checkpoints import WalCheckpointer
from bot.db.session import Database


class CountingCheckpointer(WalCheckpointer):
    """Counts the checkpoints it ran and the log frames they copied."""

    rounds = 0
    copied = 0

    def checkpoint(self) -> tuple[int, int, int]:
        busy, frames, copied = super().checkpoint()
        self.rounds += 1
        self.copied += copied
        return busy, frames, copied


def _wal(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


async def _write(db: Database, rows: int) -> None:
    for n in range(rows):
        async with db.unit_of_work() as session:
            await session.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 3000 + str(n)})


async def _database(path: Path, *, background: bool) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}", background_checkpoints=background)
    async with db.unit_of_work() as session:
        await session.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)"))
    return db


async def test_the_bots_commits_leave_checkpoints_to_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await _database(path, background=True)
    assert db.checkpointer is not None
    async with db.sessions() as session:
        assert (await session.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one() == 0
    await _write(db, 1_500)  # more than SQLite's automatic threshold of 1,000 pages
    pages_in_log = _wal(path) // 4096
    assert pages_in_log > 1_000, "no commit copied the log back"

    busy, frames, copied = await asyncio.to_thread(db.checkpointer.checkpoint)

    assert (busy, copied) == (0, frames) and frames > 1_000
    await db.dispose()


async def test_other_databases_checkpoint_as_sqlite_does(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite3"
    db = await _database(path, background=False)
    assert db.checkpointer is None
    await _write(db, 1_500)
    assert _wal(path) // 4096 <= 1_100, "the log was copied back when it passed 1,000 pages"
    await db.dispose()


async def test_the_checkpointer_runs_every_interval_and_once_more_when_stopped(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await _database(path, background=True)
    checkpointer = db.checkpointer = CountingCheckpointer(path, interval=0.05)
    db.start_background_work()
    await _write(db, 20)
    await asyncio.sleep(0.3)
    assert checkpointer.copied >= 20, "the background rounds copied the commits"
    rounds = checkpointer.rounds
    await _write(db, 20)
    await db.dispose()  # stops the checkpointer, which copies the last commits and closes
    assert checkpointer.rounds > rounds
    assert _wal(path) == 0, "the last connection closed with everything copied"


async def test_a_failing_checkpoint_is_logged_and_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    checkpointer = WalCheckpointer(tmp_path / "missing" / "db.sqlite3", interval=0.01)
    checkpointer.start()
    await asyncio.sleep(0.1)
    await checkpointer.stop()
    failures = [r for r in caplog.records if r.getMessage().startswith("SQLite checkpoint failed")]
    assert len(failures) >= 3
