"""Runs before every handler: loads the user's account and resolves their language."""

from __future__ import annotations

from telegram import Update

from bot.accounts import load_account
from bot.context import BotContext
from bot.i18n import resolve_locale


async def prepare_update(update: Update, context: BotContext) -> None:
    """Fill `context.account` and `context.locale` for this update only.

    The account is read in the update's session, which the handler's unit of work continues.
    """
    user = update.effective_user
    if user is None:
        return
    async with context.reading() as session:
        context.account = await load_account(session, user.id)
    chosen = context.account.language if context.account else None
    context.locale = resolve_locale(chosen, user.language_code, context.settings.default_locale)
