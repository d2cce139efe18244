"""Running the real python-telegram-bot Application against the emulator, for end-to-end tests."""

from __future__ import annotations

from typing import Any

from bot.app import BotApplication, build_application, services_of
from bot.clock import FakeClock
from bot.db.session import Database
from bot.emulator import BotApiEmulator
from bot.emulator.driver import EmulatedUser
from bot.settings import Settings

TEST_TOKEN = "987654321:" + "T" * 35


def make_test_settings(database_url: str, base_url: str, **overrides: Any) -> Settings:
    """Settings for a test run, ignoring any `.env` of the developer."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "telegram_api_base_url": base_url,
        "telegram_bot_token": TEST_TOKEN,
        "telegram_rate_limit_per_second": 0,
        "identifier_salt": "test-salt",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class RunningBot:
    """The bot under test: start(), users, restart(), stop()."""

    def __init__(self, emulator: BotApiEmulator, db: Database, clock: FakeClock, **overrides: Any) -> None:
        self.emulator = emulator
        self.db = db
        self.clock = clock
        self.overrides = overrides
        self.application: BotApplication | None = None

    @property
    def settings(self) -> Settings:
        """The settings the bot runs with."""
        return make_test_settings(self.db.url, self.emulator.base_url, **self.overrides)

    async def start(self) -> None:
        """Build and start polling."""
        application = build_application(self.settings, clock=self.clock)
        services_of(application).database = Database(self.db.url)
        await application.initialize()
        if application.post_init:  # run_polling() would call the hooks; we drive the parts by hand
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        self.application = application

    async def stop(self) -> None:
        """Stop polling and shut down (like a process exit)."""
        application, self.application = self.application, None
        if application is None:
            return
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)

    async def restart(self) -> None:
        """Stop and start again: nothing in memory survives."""
        await self.stop()
        await self.start()

    def user(self, user_id: int = 1001, first_name: str = "Lan", language_code: str | None = "vi", **kwargs: Any) -> EmulatedUser:
        """An emulated Telegram user chatting with the bot."""
        return self.emulator.user(user_id, first_name=first_name, language_code=language_code, **kwargs)

    async def ask(self, user: EmulatedUser, text: str, replies: int = 1, timeout: float = 10.0) -> list[Any]:
        """Send a text and wait for the bot's replies."""
        await user.send(text)
        return await user.wait_for_messages(replies, timeout=timeout)
