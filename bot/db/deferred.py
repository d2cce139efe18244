"""Rows inserted at commit: one Core INSERT per table, in the committing transaction.

A record view adds its audit rows after its reads; as ORM objects they went through the unit
of work's flush (states, identity map, one INSERT per row to get each new id back), which cost
more than the view's reads. Rows queued with `insert_at_commit` are written by one executemany
INSERT per table when pending ORM objects would be: at the next flush or autoflushing statement
(not inside `no_autoflush`, where record views read), at the latest just before the transaction
commits, so they are in the same transaction and on disk before the reply is sent; a rollback, or
a session closed without commit, drops them.

    insert_at_commit(session, AuditEntry.__table__, {"action": "view", ...})
    await session.commit()    # INSERT ..., then COMMIT (on SQLite in one trip to its thread)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from bot.db.sqlite_async import writes_travel_with_commit

PENDING = "deferred_inserts"


def _sync(session: AsyncSession | Session) -> Session:
    return session.sync_session if isinstance(session, AsyncSession) else session


def insert_at_commit(session: AsyncSession | Session, table: Table, values: dict[str, Any]) -> None:
    """Queue one row of `table` for the session's next commit (in the transaction now open)."""
    sync = _sync(session)
    if not sync.in_transaction():
        sync.begin()  # no I/O; the rows then end with this transaction, committed or not
    pending: dict[Table, list[dict[str, Any]]] = sync.info.setdefault(PENDING, {})
    pending.setdefault(table, []).append(values)


def has_deferred_inserts(session: AsyncSession | Session) -> bool:
    """True when rows are queued for the next commit."""
    return bool(_sync(session).info.get(PENDING))


def has_pending_writes(session: AsyncSession) -> bool:
    """True when the next flush or commit writes something: ORM changes or queued rows."""
    return bool(session.new or session.dirty or session.deleted) or has_deferred_inserts(session)


def _write(session: Session) -> None:
    pending: dict[Table, list[dict[str, Any]]] | None = session.info.pop(PENDING, None)
    if not pending:
        return
    connection = session.connection()
    with writes_travel_with_commit(connection.connection.driver_connection):
        for table, rows in pending.items():
            connection.execute(insert(table), rows)  # Core: not the ORM's bulk insert


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    """Write the queued rows in the transaction about to commit (inside `commit`)."""
    _write(session)


@event.listens_for(Session, "before_flush")
def _write_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """A flush writes queued rows first, as it would pending ORM objects added before."""
    _write(session)


@event.listens_for(Session, "do_orm_execute")
def _write_before_query(state: ORMExecuteState) -> None:
    """Autoflush: a statement sees the rows queued before it, unless in `no_autoflush`."""
    if state.session.autoflush and PENDING in state.session.info:
        _write(state.session)


@event.listens_for(Session, "after_transaction_end")
def _drop_deferred(session: Session, transaction: SessionTransaction) -> None:
    """A rolled-back or closed transaction takes its queued rows with it."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)
