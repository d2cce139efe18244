"""The sender's Bot API client (python-telegram-bot, no rate limiter) and its place in the app.

This module is the only one of `bot/broadcast` that imports telegram: the sender must speak to
the Bot API apart from the application's own bot, whose rate limiter would otherwise pause every
reply to users whenever a broadcast meets a 429.
"""

from __future__ import annotations

import asyncio
import logging
import os
import warnings
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.aiohttp_request import AiohttpRequest
from bot.broadcast.sender import BroadcastSender
from bot.broadcast.sender_config import SenderConfig
from bot.broadcast.transport import CallResult, OutgoingMessage, ResultKind
from bot.services import Services
from bot.settings import Settings
from bot.staff.menus import sync_staff_menus

logger = logging.getLogger(__name__)
SENDER_KEY = "broadcast_sender"
_TASK_KEY = "broadcast_sender_task"
_STOP_TIMEOUT = 10.0


def _retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _markup(buttons: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in buttons
        ]
    )


def classify(error: TelegramError) -> CallResult:
    """Turn a python-telegram-bot error into a delivery result."""
    if isinstance(error, RetryAfter):
        return CallResult(ResultKind.RATE_LIMITED, retry_after=_retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return CallResult(ResultKind.BLOCKED, error=error.message)
    if isinstance(error, BadRequest):
        kind = (
            ResultKind.CHAT_NOT_FOUND
            if "chat not found" in error.message.lower()
            else ResultKind.PERMANENT
        )
        return CallResult(kind, error=error.message)
    if isinstance(error, NetworkError | InvalidToken):  # timeouts, 5xx, a token being replaced
        return CallResult(ResultKind.TRANSIENT, error=error.message)
    return CallResult(ResultKind.PERMANENT, error=error.message)


class TelegramTransport:
    """Sends through a plain `telegram.Bot`."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: OutgoingMessage) -> CallResult:
        """Send one HTML message."""
        try:
            sent = await self.bot.send_message(
                message.chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(message.buttons),
                allow_paid_broadcast=message.paid_broadcast or None,
            )
        except TelegramError as error:
            return classify(error)
        return CallResult(ResultKind.DELIVERED, message_id=sent.message_id)

    async def edit(
        self, chat_id: int, message_id: int, text: str, buttons: Sequence[Sequence[tuple[str, str]]]
    ) -> CallResult:
        """Edit a message in place; an unchanged text counts as done."""
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(buttons),
            )
        except TelegramError as error:
            if isinstance(error, BadRequest) and "not modified" in error.message.lower():
                return CallResult(ResultKind.DELIVERED, message_id=message_id)
            return classify(error)
        return CallResult(ResultKind.DELIVERED, message_id=message_id)

    async def set_chat_commands(
        self, chat_id: int, commands: Sequence[tuple[str, str]]
    ) -> CallResult:
        """Give one chat its own command menu."""
        try:
            await self.bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands],
                scope=BotCommandScopeChat(chat_id),
            )
        except TelegramError as error:
            return classify(error)
        return CallResult(ResultKind.DELIVERED)

    async def delete_chat_commands(self, chat_id: int) -> CallResult:
        """Drop a chat's own menu; the chat sees the default menu again."""
        try:
            await self.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
        except TelegramError as error:
            return classify(error)
        return CallResult(ResultKind.DELIVERED)


def sender_config(settings: Settings) -> SenderConfig:
    """The sender's pacing from the settings."""
    return SenderConfig(
        rate_per_second=settings.broadcast_rate_per_second,
        paid_broadcast=settings.broadcast_allow_paid,
    )


def make_bot(token: str, settings: Settings, concurrency: int) -> Bot:
    """A Bot for the sender: its own pool of `concurrency` keep-alive connections, no rate limiter.

    Opts in to python-telegram-bot's timedelta durations (PTB_TIMEDELTA): without it every 429
    raises a deprecation warning inside the library while it builds the RetryAfter error.
    """
    from bot.app import file_url_for

    os.environ.setdefault("PTB_TIMEDELTA", "true")
    return Bot(
        token,
        base_url=settings.telegram_api_base_url,
        base_file_url=file_url_for(settings.telegram_api_base_url),
        request=AiohttpRequest(concurrency),
    )


def build_sender(services: Services, bot: Bot) -> BroadcastSender:
    """A sender wired to the services: progress messages and staff menus in each user's language."""
    from bot.views.broadcast_progress import progress_message
    from bot.views.staff import chat_commands

    transport = TelegramTransport(bot)
    catalogs = services.catalogs

    async def housekeeping() -> None:
        await sync_staff_menus(
            services.db, transport, lambda staff, locale: chat_commands(catalogs.get(locale), staff)
        )

    return BroadcastSender(
        services.db,
        transport,
        clock=services.clock,
        config=sender_config(services.settings),
        render_progress=lambda state, locale: progress_message(catalogs.get(locale), state),
        housekeeping=housekeeping,
    )


async def start_broadcast_sender(application: Any) -> BroadcastSender:
    """Start the sender as a background task; call from post_init after the database is open."""
    from bot.app import services_of

    services = services_of(application)
    sender_settings = sender_config(services.settings)
    bot = make_bot(application.bot.token, services.settings, sender_settings.concurrency)
    await bot.initialize()
    sender = build_sender(services, bot)
    application.bot_data[SENDER_KEY] = sender
    application.bot_data[_TASK_KEY] = asyncio.create_task(sender.run(), name="broadcast-sender")
    return sender


async def stop_broadcast_sender(application: Any) -> None:
    """Stop the sender after its current batch; call from post_shutdown before the database closes."""
    sender: BroadcastSender | None = application.bot_data.pop(SENDER_KEY, None)
    task: asyncio.Task[None] | None = application.bot_data.pop(_TASK_KEY, None)
    if sender is None or task is None:
        return
    sender.stop()
    try:
        await asyncio.wait_for(task, _STOP_TIMEOUT)
    except TimeoutError:
        logger.warning("broadcast sender did not stop in time; its leases will expire")
    if isinstance(sender.transport, TelegramTransport):
        await sender.transport.bot.shutdown()
