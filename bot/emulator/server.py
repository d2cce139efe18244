"""BotApiEmulator: a local Telegram Bot API server plus the users who talk to the bot."""

from __future__ import annotations

from types import TracebackType

from aiohttp import web

from bot.emulator.driver import EmulatedUser
from bot.emulator.driver_http import DriverRoutes
from bot.emulator.flood import FaultInjector, FloodLimits
from bot.emulator.http_api import MAX_REQUEST_BYTES, BotApiRoutes, handle_unknown_path
from bot.emulator.spec import load_spec
from bot.emulator.state import BotAccount, BotCounters, Clock, MessageRecord
from bot.emulator.webhook import WebhookDispatcher
from bot.emulator.world import TelegramWorld

SHUTDOWN_TIMEOUT_SECONDS = 2.0


class BotApiEmulator:
    """Serve the Bot API over HTTP for python-telegram-bot and play its users.

    Use `async with BotApiEmulator() as emulator:` or call `start()` and `stop()`.
    """

    def __init__(
        self,
        limits: FloodLimits | None = None,
        *,
        webhook_retry_delay: float = 1.0,
        secure_webhooks_only: bool = False,
    ) -> None:
        self.world = TelegramWorld(limits or FloodLimits())
        self.webhooks = WebhookDispatcher(
            self.world.clock, self.world.changes.notify, webhook_retry_delay, secure_webhooks_only
        )
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on `host`:`port` (0 picks a free port)."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        BotApiRoutes(self.world, self.webhooks, load_spec()).add_to(app)
        DriverRoutes(self.world).add_to(app)
        app.router.add_route("*", "/{tail:.*}", handle_unknown_path)
        await self.webhooks.open()
        self._runner = web.AppRunner(app, shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._host, self._port = host, self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Release waiting long polls, stop webhook deliveries and close the server."""
        for bot in self.world.bots.values():
            bot.updates.release_poll()
        await self.webhooks.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """Return `http://HOST:PORT`."""
        if self._runner is None:
            raise RuntimeError("the emulator is not started")
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """Return the URL for `ApplicationBuilder().base_url(...)` (the token is appended)."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the URL for `ApplicationBuilder().base_file_url(...)`."""
        return f"{self.root_url}/file/bot"

    @property
    def driver_url(self) -> str:
        """Return the root of the JSON driver API."""
        return f"{self.root_url}/_driver"

    @property
    def limits(self) -> FloodLimits:
        """Return the flood limits in force."""
        return self.world.flood.limits

    @limits.setter
    def limits(self, limits: FloodLimits) -> None:
        self.world.flood.limits = limits

    @property
    def faults(self) -> FaultInjector:
        """Return the hook that forces 429s and 5xx errors."""
        return self.world.faults

    @property
    def clock(self) -> Clock:
        """Return the emulator's clock (advance it to age messages or expire flood windows)."""
        return self.world.clock

    @property
    def counters(self) -> dict[int, BotCounters]:
        """Return the counters of every bot, by bot id."""
        return {bot_id: bot.counters for bot_id, bot in self.world.bots.items()}

    def register_bot(
        self, token: str, first_name: str | None = None, username: str | None = None
    ) -> BotAccount:
        """Make a bot known before it calls the API (its token's number is its id)."""
        bot = self.world.bot_for_token(token)
        bot.first_name = first_name or bot.first_name
        bot.username = username or bot.username
        return bot

    def bot(self, bot_id: int | None = None) -> BotAccount:
        """Return a bot's state (the only bot when `bot_id` is None)."""
        return self.world.resolve_bot(bot_id)

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "vi",
        username: str | None = None,
        bot_id: int | None = None,
    ) -> EmulatedUser:
        """Return an emulated user who chats with the bot `bot_id` (default: the only bot)."""
        profile = self.world.ensure_user(
            user_id,
            first_name=first_name,
            last_name=last_name,
            language_code=language_code,
            username=username,
        )
        return EmulatedUser(self.world, profile, bot_id)

    def add_group(self, chat_id: int, title: str, bot_id: int | None = None) -> int:
        """Add the bot to a group chat (negative id) it can send to; returns the chat id."""
        return self.world.add_group(self.world.resolve_bot(bot_id), chat_id, title).id

    def chat_messages(self, chat_id: int, bot_id: int | None = None) -> list[MessageRecord]:
        """Return every message of a chat, oldest first."""
        return list(self.world.resolve_bot(bot_id).chats[chat_id].messages.values())

    def sent_messages(self, bot_id: int | None = None) -> list[MessageRecord]:
        """Return every message the bot sent, in sending order, across chats."""
        return list(self.world.resolve_bot(bot_id).sent_log)
