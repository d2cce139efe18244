"""SQLite statements in one trip to aiosqlite's thread instead of four.

aiosqlite runs every call on the connection's own thread, and SQLAlchemy's adapter makes four
calls per statement (create the cursor, execute, fetch all rows, close), each a hand-over
between threads: py-spy showed those hand-overs as the largest single cost of a record view on
SQLite. `OneTripConnection` creates the cursor, executes, fetches the first rows and, when
that was all, closes the cursor in one call. Larger results (streamed exports) are fetched
from the still-open cursor as before, so memory stays bounded.

`use_one_trip_connections(engine)` switches an aiosqlite engine to it (see `create_engine`).

A record view's audit rows are written just before its commit (`bot.db.deferred`); inside
`writes_travel_with_commit` their INSERT is held and sent in the COMMIT's trip, or before the
next statement of the transaction, so the order of statements is kept and the write lock is
held for one trip instead of two.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import aiosqlite
from aiosqlite.context import Result
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

PREFETCH_ROWS = 256
"""Rows fetched together with the execution; a statement returning fewer needs no second trip."""


Held = list[tuple[str, list[Any]]]
"""Statements waiting to travel with the next trip: (sql, sets of parameters)."""


def _run_held(connection: sqlite3.Connection, held: Held) -> None:
    for sql, parameters in held:
        connection.executemany(sql, parameters).close()


def _run(
    connection: sqlite3.Connection, sql: str, parameters: Iterable[Any], held: Held
) -> tuple[sqlite3.Cursor, list[Any], bool]:
    """On the connection's thread: execute, fetch the first rows, close the cursor when done."""
    _run_held(connection, held)
    cursor = connection.cursor()
    cursor.execute(sql, parameters)
    rows = cursor.fetchmany(PREFETCH_ROWS) if cursor.description else []
    done = len(rows) < PREFETCH_ROWS
    if done:
        cursor.close()  # description, rowcount and lastrowid stay readable
    return cursor, rows, done


def _run_many(
    connection: sqlite3.Connection, sql: str, parameters: list[Any], held: Held
) -> sqlite3.Cursor:
    """On the connection's thread: execute for each set of parameters, then close the cursor."""
    _run_held(connection, held)
    cursor = connection.cursor()
    cursor.executemany(sql, parameters)
    cursor.close()  # rowcount stays readable
    return cursor


class OneTripCursor(aiosqlite.Cursor):
    """An aiosqlite cursor whose `execute` also fetches; fetches answer from those rows first."""

    def __init__(self, connection: OneTripConnection) -> None:
        super().__init__(connection, None)  # type: ignore[arg-type]  # made by `execute`
        self._rows: list[Any] = []
        self._done = True

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> OneTripCursor:
        """Execute and fetch the first rows in one trip."""
        connection = self._one_trip
        values = parameters if parameters is not None else ()
        run = partial(_run, connection._conn, sql, values, connection.take_held())
        self._cursor, self._rows, self._done = await self._execute(run)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> OneTripCursor:
        """Execute a statement for each set of parameters in one trip (nothing to fetch).

        Inside `writes_travel_with_commit` the statement is held for the next trip instead.
        """
        connection = self._one_trip
        if connection.holding:
            connection.held.append((sql, [tuple(p) for p in parameters]))
            self._cursor, self._rows, self._done = None, [], True
            return self
        run = partial(_run_many, connection._conn, sql, list(parameters), connection.take_held())
        self._cursor, self._rows, self._done = await self._execute(run), [], True
        return self

    @property
    def _one_trip(self) -> OneTripConnection:
        connection: OneTripConnection = self._conn  # type: ignore[assignment]
        return connection

    async def fetchone(self) -> Any:
        """The next row, from the prefetched ones first."""
        if self._rows:
            return self._rows.pop(0)
        return None if self._done else await super().fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` rows (the cursor's arraysize by default), prefetched ones first."""
        wanted = size if size is not None else self.arraysize
        rows, self._rows = self._rows[:wanted], self._rows[wanted:]
        if len(rows) < wanted and not self._done:
            rows += list(await super().fetchmany(wanted - len(rows)))
        return rows

    async def fetchall(self) -> list[Any]:
        """Every remaining row."""
        rows, self._rows = self._rows, []
        if not self._done:
            rows += list(await super().fetchall())
            self._done = True
        return rows

    async def close(self) -> None:
        """Close the cursor unless `execute` already did."""
        if self._cursor is not None and not self._done:
            self._done = True
            await super().close()

    @property
    def arraysize(self) -> int:
        """Rows `fetchmany` returns by default."""
        return self._cursor.arraysize if self._cursor is not None else 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        if self._cursor is not None:
            self._cursor.arraysize = value

    @property
    def description(self) -> Any:
        """The result's columns (None for statements returning no rows)."""
        return self._cursor.description if self._cursor is not None else None

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""
        return self._cursor.rowcount if self._cursor is not None else -1

    @property
    def lastrowid(self) -> int | None:
        """The row id of the last inserted row."""
        return self._cursor.lastrowid if self._cursor is not None else None


def _commit(connection: sqlite3.Connection, held: Held) -> None:
    _run_held(connection, held)
    connection.commit()


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection handing out `OneTripCursor`s (made without a trip to the thread)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holding = False
        self.held: Held = []

    def take_held(self) -> Held:
        """The held statements, for the trip about to start."""
        held, self.held = self.held, []
        return held

    async def commit(self) -> None:
        """Send the held statements and COMMIT in one trip."""
        await self._execute(partial(_commit, self._conn, self.take_held()))

    async def rollback(self) -> None:
        """Drop the held statements and roll back."""
        self.held = []
        await super().rollback()

    def cursor(self) -> Result[aiosqlite.Cursor]:  # type: ignore[override]
        """A new cursor; awaitable and an async context manager, as aiosqlite's."""
        return Result(self._new_cursor())

    async def _new_cursor(self) -> aiosqlite.Cursor:
        return OneTripCursor(self)


@contextmanager
def writes_travel_with_commit(driver_connection: object) -> Iterator[None]:
    """Inside: executemany statements on a `OneTripConnection` wait for the next trip."""
    if not isinstance(driver_connection, OneTripConnection):
        yield
        return
    driver_connection.holding = True
    try:
        yield
    finally:
        driver_connection.holding = False


def one_trip_connect(database: Any, *, iter_chunk_size: int = 64, **kwargs: Any) -> OneTripConnection:
    """Like `aiosqlite.connect` (not awaited yet), with one trip per statement."""
    connection = OneTripConnection(partial(sqlite3.connect, str(database), **kwargs), iter_chunk_size)
    thread = getattr(connection, "_thread", connection)
    thread.daemon = True  # as SQLAlchemy does: an unclosed connection must not block exit
    return connection


def _connect_with_one_trip(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
    params["async_creator_fn"] = one_trip_connect


def use_one_trip_connections(engine: AsyncEngine) -> None:
    """Make an aiosqlite engine open `OneTripConnection`s."""
    event.listen(engine.sync_engine, "do_connect", _connect_with_one_trip)
