"""Audit log triggers: rows are added, never changed or removed (own SQLite and PG databases)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.audit.append_only import append_only_ddl, drop_append_only_ddl
from bot.audit.log import ActorKind, record
from bot.db.migrate import upgrade
from bot.db.models import AuditEntry
from bot.db.session import Database
from tests.databases import postgres_admin_url
from tests.signin.conftest import START


async def _execute(db: Database, statements: list[str]) -> None:
    async with db.engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))


async def _count(db: Database) -> int:
    async with db.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.fixture(params=["sqlite", "postgresql"])
async def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A freshly migrated database of this module's own: a SQLite file, or `hb_signin_<random>`."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'audit.sqlite3'}"
        await upgrade(url)
        database = Database(url)
        yield database
        await database.dispose()
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("PostgreSQL not configured (set HEALTHBOT_TEST_POSTGRES_URL)")
    name = f"hb_signin_{uuid.uuid4().hex[:12]}"
    admin_dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = admin_url.rsplit("/", 1)[0] + "/" + name
        await upgrade(url)
        database = Database(url)
        yield database
        await database.dispose()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_audit_rows_cannot_be_changed_or_removed(own_database: Database) -> None:
    db = own_database
    await _execute(db, append_only_ddl(db.dialect))
    await _execute(db, append_only_ddl(db.dialect))  # idempotent, as a re-run migration would be
    async with db.unit_of_work() as session:
        await record(session, actor_kind=ActorKind.SYSTEM, action="test", detail="kept", at=START)

    for statement in ("UPDATE audit_log SET detail = 'changed'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            await _execute(db, [statement])
    if db.dialect == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"):
            await _execute(db, ["TRUNCATE audit_log"])

    async with db.unit_of_work() as session:
        await record(session, actor_kind=ActorKind.SYSTEM, action="test", detail="added", at=START)
        details = list(await session.scalars(select(AuditEntry.detail).order_by(AuditEntry.id)))
    assert details == ["kept", "added"]


async def test_dropping_the_triggers_allows_changes_again(own_database: Database) -> None:
    db = own_database
    await _execute(db, append_only_ddl(db.dialect))
    async with db.unit_of_work() as session:
        await record(session, actor_kind=ActorKind.SYSTEM, action="test", at=START)
    await _execute(db, drop_append_only_ddl(db.dialect))
    await _execute(db, drop_append_only_ddl(db.dialect))
    await _execute(db, ["DELETE FROM audit_log"])
    assert await _count(db) == 0


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="mysql"):
        append_only_ddl("mysql")
