"""The ceiling of the chat benchmark: a bare python-telegram-bot echo bot with default settings.

    python -m bench.echo_bot --token 123:ABC... --base-url http://127.0.0.1:8081/bot

A MessageHandler that replies with the text; nothing else (no database, no rate limiter).
"""

from __future__ import annotations

import argparse
import os

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def build(token: str, base_url: str) -> Application:  # type: ignore[type-arg]
    """The echo application."""
    root, _, last = base_url.rstrip("/").rpartition("/")
    application = (
        ApplicationBuilder().token(token).base_url(base_url).base_file_url(f"{root}/file/{last}").build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def main() -> None:
    """Parse the arguments and poll until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m bench.echo_bot", description=__doc__)
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-url", required=True, help="Bot API base URL, e.g. http://127.0.0.1:8081/bot")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    build(args.token, args.base_url).run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
