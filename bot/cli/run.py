"""`healthbot run`: start the bot (offline demo on the built-in emulator when no token is set)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any
from urllib.parse import urlparse

from telegram import Update

from bot.app import build_application
from bot.cli.support import configure_logging, redact_url
from bot.db.migrate import upgrade_blocking
from bot.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "run", help="run the bot (offline demo with a terminal chat when TELEGRAM_BOT_TOKEN is empty)"
    )
    parser.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook (needs WEBHOOK_URL)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Migrate, then serve updates until interrupted."""
    settings = load_settings()
    configure_logging(settings.log_level)
    logger.info("database %s", redact_url(settings.database_url))
    upgrade_blocking(settings.database_url)
    if settings.offline_demo:
        from bot.demo.offline import run_offline_demo

        return asyncio.run(run_offline_demo(settings, sys.stdin, sys.stdout))
    if args.webhook or settings.telegram_mode == "webhook":
        return _run_webhook(settings)
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def _run_webhook(settings: Settings) -> int:
    if not settings.webhook_url:
        print("healthbot: invalid setting WEBHOOK_URL: required in webhook mode", file=sys.stderr)
        return 2
    secret = settings.webhook_secret_token
    build_application(settings).run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlparse(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=secret.get_secret_value() if secret else None,
        allowed_updates=Update.ALL_TYPES,
    )
    return 0
