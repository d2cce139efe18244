"""Database engine and unit-of-work sessions for SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import PoolResetState

from bot.db.checkpoints import WalCheckpointer, disable_automatic_checkpoints
from bot.db.deferred import has_pending_writes
from bot.db.sqlite_async import use_one_trip_connections


def is_sqlite(url: str) -> bool:
    """True for a SQLite database URL."""
    return url.startswith("sqlite")


def _sqlite_file(url: str) -> Path | None:
    path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
    return Path(path) if path and path != ":memory:" else None


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _rollback_if_open(engine: AsyncEngine) -> Callable[[Any, Any, PoolResetState], None]:
    """The pool's reset for SQLite: roll back only a transaction SQLite says is still open.

    A unit of work ends in COMMIT or ROLLBACK, after which SQLAlchemy's default reset still sent
    a ROLLBACK (one more trip to aiosqlite's thread per unit). `in_transaction` is SQLite's own
    autocommit flag (`sqlite3_get_autocommit`), so whatever leaves a transaction open - a unit
    cut short, a raw driver call - is still rolled back before the connection is reused.
    """
    driver_connection = engine.dialect.get_driver_connection

    def reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
        connection = driver_connection(dbapi_connection)
        if state.asyncio_safe and (connection.in_transaction or getattr(connection, "held", None)):
            dbapi_connection.rollback()  # also drops statements held for the commit's trip

    return reset


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an engine; a SQLite file's folder is created and WAL mode switched on."""
    if is_sqlite(url):
        file = _sqlite_file(url)
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
        if kwargs["pool_reset_on_return"] is None:
            event.listen(engine.sync_engine, "reset", _rollback_if_open(engine))
        if "+aiosqlite" in url:
            use_one_trip_connections(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_recycle", 1800)  # no pre-ping round trip on every checkout
    return create_async_engine(url, **kwargs)


class Database:
    """Owns the engine and hands out one transaction per unit of work.

    With `background_checkpoints` (the bot), a SQLite file's WAL checkpoints run in a
    background thread instead of inside commits (see `bot.db.checkpoints`); they start with
    `start_background_work` in a running event loop and end with `dispose`.
    """

    def __init__(self, url: str, *, background_checkpoints: bool = False, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write_turn = asyncio.Lock() if is_sqlite(url) else None
        file = _sqlite_file(url) if is_sqlite(url) else None
        self.checkpointer = WalCheckpointer(file) if background_checkpoints and file else None
        if self.checkpointer is not None:
            event.listen(self.engine.sync_engine, "connect", disable_automatic_checkpoints)

    def start_background_work(self) -> None:
        """Start the background checkpoints, if this database has them."""
        if self.checkpointer is not None:
            self.checkpointer.start()

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed on success and rolled back on error."""
        async with self.sessions() as session:
            try:
                yield session
                await self.commit(session)
            except BaseException:
                await session.rollback()
                raise

    async def commit(self, session: AsyncSession) -> None:
        """Flush and commit a session's transaction.

        SQLite has one write lock per database, and a connection that finds it taken sleeps in
        SQLite's busy handler in growing steps (up to 100 ms), which made the slowest record
        views wait seconds. So on SQLite a unit whose writes are still pending (the audit
        entries of a view, added after its reads) waits for its turn in this process, then
        writes and commits at once; a unit that already writes holds the lock and commits
        without waiting (waiting could deadlock with the unit whose turn it is).
        """
        if self._write_turn is None or not has_pending_writes(session):
            await session.commit()
        elif await _already_writing(session):
            await session.commit()
        else:
            async with self._write_turn:
                await session.commit()

    async def dispose(self) -> None:
        """Close every pooled connection (and checkpoint what the log still holds)."""
        await self.engine.dispose()
        if self.checkpointer is not None:
            await self.checkpointer.stop()


async def _already_writing(session: AsyncSession) -> bool:
    """True when the session's SQLite connection is inside a write transaction already."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return bool(getattr(raw.driver_connection, "in_transaction", False))
