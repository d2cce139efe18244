"""Application wiring: build_application(settings) -> a ready python-telegram-bot Application."""

from __future__ import annotations

import gc
import logging
from typing import Any

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.aiohttp_request import AiohttpRequest
from bot.broadcast.telegram_transport import start_broadcast_sender, stop_broadcast_sender
from bot.clock import Clock, SystemClock
from bot.context import SERVICES_KEY, BotContext
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.services import Services
from bot.settings import Settings
from bot.updates import PerUserUpdateProcessor

logger = logging.getLogger(__name__)
OFFLINE_DEMO_TOKEN = "123456789:HealthbotOfflineDemoTokenAAAAAAAAAA"

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]


def file_url_for(base_url: str) -> str:
    """The file-download base URL that goes with a Bot API base URL (`.../bot` -> `.../file/bot`)."""
    root, _, last = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}"


def services_of(application: BotApplication) -> Services:
    """The services stored on an application."""
    services: Services = application.bot_data[SERVICES_KEY]
    return services


def freeze_startup_objects() -> None:
    """Move everything built at start (modules, catalogs, statements) out of the collector's sight.

    Full collections then walk only what updates allocate, which shortens their pauses.
    """
    gc.collect()
    gc.freeze()


async def _post_init(application: BotApplication) -> None:
    from handlers.menu import set_commands

    services = services_of(application)
    if services.database is None:
        services.database = Database(services.settings.database_url, background_checkpoints=True)
    services.database.start_background_work()
    await set_commands(application.bot, services.catalogs)
    await start_broadcast_sender(application)
    freeze_startup_objects()
    logger.info("bot @%s ready", application.bot.username)


async def _post_shutdown(application: BotApplication) -> None:
    services = services_of(application)
    await stop_broadcast_sender(application)
    if services.database is not None:
        await services.database.dispose()
        services.database = None


def build_application(
    settings: Settings, *, clock: Clock | None = None, token: str | None = None
) -> BotApplication:
    """Build the bot: handlers registered, database opened in post_init, closed in post_shutdown."""
    import handlers

    services = Services(
        settings=settings,
        clock=clock or SystemClock(),
        catalogs=Catalogs(zone=settings.zone, default=settings.default_locale),
    )
    secret = settings.telegram_bot_token
    builder = (
        ApplicationBuilder()
        .token(token or (secret.get_secret_value() if secret else OFFLINE_DEMO_TOKEN))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url_for(settings.telegram_api_base_url))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserUpdateProcessor(256))
        .request(
            AiohttpRequest(
                settings.telegram_connection_pool_size,
                pool_timeout=settings.telegram_pool_timeout_seconds,
            )
        )
        .get_updates_request(AiohttpRequest(1))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_rate_limit_per_second > 0:
        builder = builder.rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.telegram_rate_limit_per_second,
                overall_time_period=1,
                max_retries=0,
            )
        )
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    handlers.register(application)
    return application
