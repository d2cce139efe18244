"""Reads of columns on the session's connection, without the ORM's per-statement work.

`session.execute` runs every statement through the ORM (execution options, compile state,
an ORM result over plain rows) even when it selects columns only; in-process profiles of a
record view showed that costing more than SQLite's own execution. `read_rows` executes on the
session's connection in the session's transaction; pending changes are flushed first, as
autoflush would have, so a read still sees what the unit of work added before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.deferred import has_pending_writes


async def read_rows(
    session: AsyncSession, statement: Executable, parameters: Mapping[str, Any] | None = None
) -> CursorResult[Any]:
    """Execute a Core statement selecting columns, in the session's transaction."""
    if session.sync_session.autoflush and has_pending_writes(session):
        await session.flush()
    connection = await session.connection()
    return await connection.execute(statement, parameters)
