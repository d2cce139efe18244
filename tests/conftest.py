"""Shared fixtures: real databases (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os

# python-telegram-bot 22: durations as timedelta (the int form is deprecated and warns); as in bot/__main__.py
os.environ.setdefault("PTB_TIMEDELTA", "true")

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.db.session import Database
from bot.emulator import BotApiEmulator
from tests.e2e_support import RunningBot
from tests.databases import PostgresTestDatabase, SqliteTemplate, empty_all_tables, postgres_admin_url

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """The migrated SQLite template."""
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    template.create()
    return template


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresTestDatabase | None]:
    """The run's PostgreSQL database, or None when no server is configured."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        yield None
        return
    database = PostgresTestDatabase(admin_url)
    database.create()
    yield database
    database.drop()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: SqliteTemplate,
    postgres_database: PostgresTestDatabase | None,
) -> str:
    """A migrated, empty database URL on each backend."""
    if request.param == "sqlite":
        return sqlite_template.copy_to(tmp_path / "test.sqlite3")
    if postgres_database is None:
        pytest.skip("PostgreSQL not configured (set HEALTHBOT_TEST_POSTGRES_URL)")
    return postgres_database.url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """An open Database on an empty, migrated schema."""
    database = Database(database_url)
    if database.dialect == "postgresql":
        await empty_all_tables(database)
    yield database
    await database.dispose()


# ----- end-to-end: the real Application against the Bot API emulator -----------------------


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock starting on a Thursday morning in Cà Mau (09:00 +07:00)."""
    return FakeClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A running Bot API emulator on a free loopback port."""
    server = BotApiEmulator()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def running_bot(
    db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The real bot, polling the emulator over HTTP, on the test database."""
    running = RunningBot(emulator, db, clock)
    await running.start()
    yield running
    await running.stop()
