"""The bot with the staff, notice and alert handlers and its broadcast sender, against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.app import BotApplication, build_application, services_of
from bot.broadcast.telegram_transport import (
    SENDER_KEY,
    start_broadcast_sender,
    stop_broadcast_sender,
)
from bot.clock import FakeClock
from bot.db.session import Database
from bot.emulator import BotApiEmulator
from handlers import alert, notice, staff
from tests.databases import SqliteTemplate
from tests.e2e_support import RunningBot


def _has_handler(application: BotApplication, command: str) -> bool:
    return any(
        isinstance(handler, CommandHandler) and command in handler.commands
        for group in application.handlers.values()
        for handler in group
    )


class BroadcastBot(RunningBot):
    """RunningBot plus this feature's handlers and sender, until the application wires them itself."""

    started_sender = False

    async def start(self) -> None:
        """Build, add the feature if the application lacks it, start the sender, poll."""
        application = build_application(self.settings, clock=self.clock)
        if not _has_handler(application, "notice"):
            for module in (staff, notice, alert):
                module.register(application)
        services_of(application).database = Database(self.db.url)
        await application.initialize()
        if SENDER_KEY not in application.bot_data:
            await start_broadcast_sender(application)
            self.started_sender = True
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        self.application = application

    async def stop(self) -> None:
        """Stop the sender we started, then the application."""
        if self.application is not None and self.started_sender:
            await stop_broadcast_sender(self.application)
        await super().stop()


@pytest.fixture
async def sqlite_db(tmp_path: Path, sqlite_template: SqliteTemplate) -> AsyncIterator[Database]:
    """A migrated SQLite database, for tests whose subject is not the database engine."""
    database = Database(sqlite_template.copy_to(tmp_path / "broadcast.sqlite3"))
    yield database
    await database.dispose()


@pytest.fixture
async def broadcast_bot(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> AsyncIterator[BroadcastBot]:
    """The real bot with staff notices and alerts, polling the emulator (SQLite: the outbox and
    audience queries are tested on both engines in the domain tests)."""
    running = BroadcastBot(emulator, sqlite_db, clock)
    await running.start()
    yield running
    await running.stop()
