"""The single error handler: log with context, answer the user politely."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.context import BotContext
from bot.i18n import resolve_locale
from bot.views.start import something_went_wrong
from handlers.common import send

logger = logging.getLogger(__name__)


def _describe(update: object) -> str:
    if not isinstance(update, Update):
        return "no update"
    user = update.effective_user
    kind = "callback" if update.callback_query else "message" if update.message else "other"
    return f"update {update.update_id} ({kind}) from user {user.id if user else '-'}"


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (identifiers are masked by the logging filter) and apologise."""
    error = context.error
    if isinstance(error, Forbidden):
        logger.info("user unreachable: %s: %s", _describe(update), error)
        return
    if isinstance(error, NetworkError | RetryAfter) and not isinstance(update, Update):
        logger.warning("network trouble: %s", error)
        return
    logger.error("handler failed for %s", _describe(update), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if context.locale is None and update.effective_user is not None:
        context.locale = resolve_locale(
            None, update.effective_user.language_code, context.settings.default_locale
        )
    try:
        await send(update, context, something_went_wrong(context.t))
    except Exception:  # the apology itself failed; nothing more to do but log
        logger.warning("could not send the apology for %s", _describe(update), exc_info=True)
