"""Telegram-facing handlers, one module per feature; `register` wires them all."""

from __future__ import annotations

import re
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

from bot.views import account as account_views
from bot.views import consent as consent_views
from bot.views import signin as signin_views
from bot.records.callbacks import CallbackAction
from handlers import (
    account,
    alert,
    consent,
    errors,
    language,
    login,
    notice,
    records,
    reminder_job,
    staff,
    start,
)


def _exactly(data: str) -> str:
    """A callback-data pattern matching exactly `data`."""
    return f"^{re.escape(data)}$"


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler to the application, in priority order."""
    sign_in_input = filters.ChatType.PRIVATE & ((filters.TEXT & ~filters.COMMAND) | filters.CONTACT)
    application.add_handler(
        MessageHandler(sign_in_input, login.continue_sign_in), group=login.SIGN_IN_GROUP
    )
    # prepare_update (account, language), then the consent gate, for every update
    application.add_handler(TypeHandler(Update, consent.admit), group=-1)
    application.add_handlers(
        [
            CommandHandler("start", start.start),
            CommandHandler("help", start.help_command),
            CommandHandler("language", language.show_picker),
            CommandHandler("privacy", account.show_privacy),
            CommandHandler("login", login.start),
            CommandHandler("cancel", login.cancel),
            CommandHandler("logout", account.sign_out),
            CommandHandler("accesslog", account.show_access_log),
            CommandHandler("deletemydata", account.ask_erasure),
            CallbackQueryHandler(start.help_button, pattern=r"^help$"),
            CallbackQueryHandler(language.show_picker, pattern=r"^lang$"),
            CallbackQueryHandler(language.choose, pattern=r"^lang:[a-z]{2}$"),
            CallbackQueryHandler(consent.accept, pattern=_exactly(consent_views.ACCEPT)),
            CallbackQueryHandler(consent.decline, pattern=_exactly(consent_views.DECLINE)),
            CallbackQueryHandler(login.start, pattern=_exactly(signin_views.LOGIN)),
            CallbackQueryHandler(login.cancel, pattern=_exactly(signin_views.CANCEL)),
            CallbackQueryHandler(account.ask_erasure, pattern=_exactly(consent_views.ASK_ERASURE)),
            CallbackQueryHandler(account.erase, pattern=_exactly(account_views.CONFIRM_ERASURE)),
            CallbackQueryHandler(account.keep, pattern=_exactly(account_views.KEEP_DATA)),
            CommandHandler("record", records.command(CallbackAction.RECORD)),
            CommandHandler("appointments", records.command(CallbackAction.APPOINTMENTS)),
            CommandHandler("insurance", records.command(CallbackAction.INSURANCE)),
            CommandHandler("family", records.command(CallbackAction.FAMILY)),
            CommandHandler("reminders", records.reminders_command),
            CallbackQueryHandler(records.on_button, pattern=r"^(rec|appt|ins|fam|rem):"),
            MessageHandler(filters.TEXT & ~filters.COMMAND, records.on_text),
            MessageHandler(filters.ALL, start.not_understood),
        ]
    )
    for feature in (staff, notice, alert):  # staff-only handlers, group -2, invisible to others
        feature.register(application)
    application.add_error_handler(errors.on_error)
    reminder_job.schedule(application)
