"""SQLite through `OneTripConnection`: same results as aiosqlite, fewer trips; writes take turns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite.core
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.audit.log import ActorKind, add, add_at_commit
from bot.db.deferred import insert_at_commit
from bot.db.models import TelegramAccount
from bot.db.session import Database
from bot.db.sqlite_async import PREFETCH_ROWS, OneTripConnection
from tests.databases import SqliteTemplate

AT = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite_db(tmp_path: Path, sqlite_template: SqliteTemplate) -> AsyncIterator[Database]:
    """A migrated SQLite database with one more table of numbered rows."""
    database = Database(sqlite_template.copy_to(tmp_path / "trips.sqlite3"))
    async with database.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE numbers (id INTEGER PRIMARY KEY, n INTEGER)"))
    yield database
    await database.dispose()


async def _fill(database: Database, count: int) -> None:
    if not count:
        return
    async with database.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO numbers (n) VALUES (:n)"), [{"n": n} for n in range(count)]
        )


async def test_the_engine_uses_one_trip_connections(sqlite_db: Database) -> None:
    async with sqlite_db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.driver_connection, OneTripConnection)


@pytest.mark.parametrize("count", [0, 1, PREFETCH_ROWS - 1, PREFETCH_ROWS, PREFETCH_ROWS + 1, 1000])
async def test_every_row_comes_back_fetched_or_streamed(sqlite_db: Database, count: int) -> None:
    await _fill(sqlite_db, count)
    async with sqlite_db.engine.connect() as connection:
        fetched = (await connection.execute(text("SELECT n FROM numbers ORDER BY id"))).scalars().all()
        streamed = []
        stream = await connection.stream(text("SELECT n FROM numbers ORDER BY id"))
        async for part in stream.partitions(100):
            streamed += [row.n for row in part]
        first = (await connection.execute(text("SELECT n FROM numbers ORDER BY id"))).first()
    assert fetched == streamed == list(range(count))
    assert first == ((0,) if count else None)


async def test_a_small_select_is_one_trip(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    await _fill(sqlite_db, 3)
    trips: list[object] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self: aiosqlite.core.Connection, fn: object, *args: object) -> object:
        trips.append(fn)
        return await original(self, fn, *args)

    async with sqlite_db.engine.connect() as connection:
        monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
        rows = (await connection.execute(text("SELECT n FROM numbers"))).all()
        monkeypatch.undo()
    assert len(rows) == 3 and len(trips) == 1  # aiosqlite itself: cursor, execute, fetch, close


async def test_inserts_report_their_row_id_and_errors_surface(sqlite_db: Database) -> None:
    async with sqlite_db.engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO numbers (n) VALUES (7)"))
        returning = text("INSERT INTO numbers (n) VALUES (8) RETURNING id")
        returned = (await connection.execute(returning)).scalar()
        assert (inserted.lastrowid, inserted.rowcount, returned) == (1, 1, 2)
        with pytest.raises(OperationalError, match="no such table"):
            await connection.execute(text("SELECT * FROM missing"))


async def test_a_unit_already_writing_commits_while_another_waits_for_its_turn(
    sqlite_db: Database,
) -> None:
    """No deadlock: the unit holding SQLite's write lock never waits for the in-process turn.

    The second unit takes the turn to write its pending entry and waits for the lock the first
    unit holds; the first must then commit without waiting for the turn.
    """
    writing = asyncio.Event()

    async def writes_first() -> None:
        async with sqlite_db.unit_of_work() as session:
            await session.execute(text("INSERT INTO numbers (n) VALUES (1)"))  # takes the lock
            writing.set()
            await asyncio.sleep(0.3)  # meanwhile the other unit holds the turn, waiting
            session.add(_account(1))

    async def writes_at_commit() -> None:
        await writing.wait()
        async with sqlite_db.unit_of_work() as session:
            session.add(_account(2))  # not an independent row: it takes the turn

    await asyncio.wait_for(asyncio.gather(writes_first(), writes_at_commit()), timeout=8)
    async with sqlite_db.engine.connect() as connection:
        query = text("SELECT telegram_user_id FROM telegram_accounts ORDER BY 1")
        assert (await connection.execute(query)).scalars().all() == [1, 2]


def _account(user_id: int) -> TelegramAccount:
    return TelegramAccount(
        telegram_user_id=user_id,
        chat_id=user_id,
        created_at=datetime(2026, 11, 26, tzinfo=UTC),
        reminders_enabled=True,
        notices_muted=False,
    )


async def test_pending_writes_of_many_units_all_commit(sqlite_db: Database) -> None:
    async def one(number: int) -> None:
        async with sqlite_db.unit_of_work() as session:
            await session.execute(text("SELECT count(*) FROM audit_log"))
            add(session, actor_kind=ActorKind.SYSTEM, action=f"unit {number}")

    await asyncio.gather(*(one(number) for number in range(40)))
    async with sqlite_db.engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM audit_log"))).scalar()
    assert count == 40


def _counting_rollbacks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every ROLLBACK handed to aiosqlite's thread (True when a transaction was open)."""
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection

    calls: list[bool] = []
    original = AsyncAdapt_aiosqlite_connection.rollback

    def rollback(self: AsyncAdapt_aiosqlite_connection) -> None:
        calls.append(bool(self._connection.in_transaction))
        original(self)

    monkeypatch.setattr(AsyncAdapt_aiosqlite_connection, "rollback", rollback)
    return calls


async def test_a_committed_unit_returns_its_connection_without_another_rollback(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rollbacks = _counting_rollbacks(monkeypatch)
    for n in range(3):
        async with sqlite_db.unit_of_work() as session:
            await session.execute(text("INSERT INTO numbers (n) VALUES (:n)"), {"n": n})
        async with sqlite_db.unit_of_work() as session:
            await session.execute(text("SELECT count(*) FROM numbers"))
    assert rollbacks == []


async def test_a_transaction_left_open_is_rolled_back_when_the_connection_returns(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write SQLAlchemy does not know of (raw driver call) is not kept, nor its write lock."""
    rollbacks = _counting_rollbacks(monkeypatch)
    async with sqlite_db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.execute("INSERT INTO numbers (n) VALUES (42)")
        assert raw.driver_connection.in_transaction
    async with sqlite_db.engine.begin() as connection:  # the same pooled connection, then a write
        await connection.execute(text("INSERT INTO numbers (n) VALUES (7)"))
        values = (await connection.execute(text("SELECT n FROM numbers"))).scalars().all()
    assert values == [7]
    assert rollbacks == [True]


def _counting_trips(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    trips: list[object] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self: aiosqlite.core.Connection, fn: object, *args: object) -> object:
        trips.append(fn)
        return await original(self, fn, *args)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    return trips


def _audit(session: object, n: int) -> None:
    add_at_commit(session, actor_kind=ActorKind.TELEGRAM_USER, action="view",  # type: ignore[arg-type]
                  actor_telegram_id=n, subject_citizen_id=None, section="record", at=AT)


async def _audited(database: Database) -> list[int]:
    async with database.unit_of_work() as session:
        rows = await session.execute(text("SELECT actor_telegram_id FROM audit_log ORDER BY id"))
        return [row[0] for row in rows]


async def test_a_views_audit_rows_travel_with_its_commit(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sqlite_db.unit_of_work() as session:
        await session.execute(text("SELECT count(*) FROM numbers"))
        _audit(session, 1)
        _audit(session, 2)
        trips = _counting_trips(monkeypatch)
    monkeypatch.undo()
    assert len(trips) == 1, "INSERT and COMMIT in one trip"
    assert await _audited(sqlite_db) == [1, 2]


async def test_held_rows_go_before_any_later_statement_of_the_transaction(sqlite_db: Database) -> None:
    async with sqlite_db.unit_of_work() as session:
        _audit(session, 3)
        await session.flush()  # writes the queued rows first, as pending objects would be
        session.add(TelegramAccount(telegram_user_id=9, chat_id=9, created_at=AT,
                                    reminders_enabled=True, notices_muted=False))
        await session.flush()
        counted = await session.execute(text("SELECT count(*) FROM audit_log"))
        assert counted.scalar_one() == 1
    assert await _audited(sqlite_db) == [3]


async def test_a_failing_held_insert_fails_the_commit_and_leaves_nothing(sqlite_db: Database) -> None:
    numbers = Table("numbers", MetaData(), Column("id", Integer, primary_key=True), Column("n", Integer))
    with pytest.raises(IntegrityError):
        async with sqlite_db.unit_of_work() as session:
            await session.execute(text("INSERT INTO numbers (id, n) VALUES (1, 1)"))
            _audit(session, 4)
            insert_at_commit(session, numbers, {"id": 1, "n": 2})  # the same id: refused at commit
    assert await _audited(sqlite_db) == []
    async with sqlite_db.unit_of_work() as session:
        assert (await session.execute(text("SELECT count(*) FROM numbers"))).scalar_one() == 0


async def test_held_rows_of_a_rolled_back_unit_are_dropped(sqlite_db: Database) -> None:
    async with sqlite_db.sessions() as session:
        _audit(session, 5)
        await session.flush()
        await session.rollback()
    async with sqlite_db.unit_of_work() as session:  # the same pooled connection
        await session.execute(text("INSERT INTO numbers (n) VALUES (2)"))
    assert await _audited(sqlite_db) == []
