"""Rows inserted at commit: one INSERT per table, in the same transaction, dropped on rollback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import StatementError

from bot.audit.log import AUDIT_TABLE, ActorKind, add, add_at_commit
from bot.db.deferred import has_deferred_inserts
from bot.db.models import AuditEntry
from bot.db.session import Database

AT = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)


def _view(session: Any, section: str, detail: str | None = None) -> None:
    add_at_commit(session, actor_kind=ActorKind.TELEGRAM_USER, action="view", actor_telegram_id=7,
                  subject_citizen_id=1, section=section, detail=detail, at=AT)


@contextmanager
def audit_inserts(db: Database) -> Iterator[list[str]]:
    """The INSERT statements into the audit log sent inside the block."""
    seen: list[str] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if sql.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            seen.append(sql)

    event.listen(db.engine.sync_engine, "before_cursor_execute", statement)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", statement)


async def _sections(db: Database) -> list[str | None]:
    async with db.sessions() as session:
        return list(await session.scalars(select(AuditEntry.section).order_by(AuditEntry.id)))


async def test_queued_rows_are_written_in_one_insert_at_commit_in_order(db: Database) -> None:
    with audit_inserts(db) as inserts:
        async with db.unit_of_work() as session:
            with session.no_autoflush:
                await session.execute(select(func.count()).select_from(AUDIT_TABLE))
                _view(session, "record", detail="CCCD 096185000123")
                _view(session, "family")
                await session.execute(select(func.count()).select_from(AUDIT_TABLE))
            assert inserts == [] and has_deferred_inserts(session)
    assert len(inserts) == 1
    assert await _sections(db) == ["record", "family"]
    async with db.sessions() as session:
        details = list(await session.scalars(select(AuditEntry.detail).where(AuditEntry.detail.is_not(None))))
    assert details and "096185000123" not in details[0]  # masked, as ORM entries are


async def test_a_rollback_or_a_close_without_commit_drops_queued_rows(db: Database) -> None:
    async with db.sessions() as session:
        await session.execute(select(1))
        _view(session, "record")
        await session.rollback()
        assert not has_deferred_inserts(session)
        await session.commit()
    async with db.sessions() as session:
        await session.execute(select(1))
        _view(session, "visits")
    async with db.sessions() as session:
        _view(session, "labs")
        await session.close()
        await session.commit()
    assert await _sections(db) == []


async def test_a_statement_outside_no_autoflush_and_a_flush_see_queued_rows_first(db: Database) -> None:
    async with db.unit_of_work() as session:
        _view(session, "record")
        assert await session.scalar(select(func.count()).select_from(AUDIT_TABLE)) == 1
        _view(session, "visits")
        add(session, actor_kind=ActorKind.SYSTEM, action="sign_out", section="orm", at=AT)
        await session.flush()
        assert not has_deferred_inserts(session)
    assert await _sections(db) == ["record", "visits", "orm"]


async def test_a_failed_commit_writes_nothing(db: Database) -> None:
    async with db.sessions() as session:
        _view(session, "record")
        add_at_commit(session, actor_kind=ActorKind.SYSTEM, action="view", at=datetime(2026, 1, 1))
        with pytest.raises(StatementError, match="naive datetime"):
            await session.commit()
        await session.rollback()
        await session.commit()
    assert await _sections(db) == []
