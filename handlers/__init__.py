"""Telegram-facing handlers, one module per feature; `register` wires them all."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import errors, language, prepare, start


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler to the application, in priority order."""
    application.add_handler(TypeHandler(Update, prepare.prepare_update), group=-1)
    application.add_handlers(
        [
            CommandHandler("start", start.start),
            CommandHandler("help", start.help_command),
            CommandHandler("language", language.show_picker),
            CallbackQueryHandler(start.help_button, pattern=r"^help$"),
            CallbackQueryHandler(language.show_picker, pattern=r"^lang$"),
            CallbackQueryHandler(language.choose, pattern=r"^lang:[a-z]{2}$"),
            MessageHandler(filters.ALL, start.not_understood),
        ]
    )
    application.add_error_handler(errors.on_error)
