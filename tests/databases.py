"""Real test databases: a migrated SQLite file per test, and a migrated PostgreSQL database per run."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy import text

from bot.db.base import Base
from bot.db.migrate import upgrade
from bot.db.session import Database

POSTGRES_ENV = "HEALTHBOT_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    """The PostgreSQL server the tests may use (None: SQLite only)."""
    return os.environ.get(POSTGRES_ENV) or None


def _plain_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


async def _create_postgres(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_plain_dsn(admin_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_postgres(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(_plain_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


class PostgresTestDatabase:
    """A database created and migrated once per test run, emptied before each test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"hb_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.url = _with_database(admin_url, self.name)

    def create(self, revision: str = "head") -> None:
        """Create and migrate (to `revision`: tests of a migration start before it)."""
        asyncio.run(_create_postgres(self.admin_url, self.name))
        asyncio.run(upgrade(self.url, revision))

    def drop(self) -> None:
        """Drop it."""
        asyncio.run(_drop_postgres(self.admin_url, self.name))


class SqliteTemplate:
    """A migrated SQLite file copied for each test (much faster than migrating each time)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.sqlite3"

    def create(self) -> None:
        """Migrate the template once."""
        asyncio.run(upgrade(f"sqlite+aiosqlite:///{self.path}"))

    def copy_to(self, target: Path) -> str:
        """A fresh migrated database file; returns its URL."""
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"


async def empty_all_tables(database: Database) -> None:
    """Delete every row (PostgreSQL tests share one database)."""
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with database.engine.begin() as connection:
        await connection.execute(text("SET session_replication_role = replica"))
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await connection.execute(text("SET session_replication_role = DEFAULT"))
