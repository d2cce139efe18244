"""/language: choose the language the bot speaks."""

from __future__ import annotations

from telegram import Update

from bot import accounts
from bot.context import BotContext
from bot.settings import SUPPORTED_LOCALES
from bot.views import language as views
from handlers.common import edit, send


async def show_picker(update: Update, context: BotContext) -> None:
    """Offer each supported language."""
    if update.callback_query:
        await update.callback_query.answer()
    await send(update, context, views.picker(context.t))


async def choose(update: Update, context: BotContext) -> None:
    """Store the chosen language and confirm in it."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return
    language = query.data.removeprefix("lang:")
    await query.answer()
    if language not in SUPPORTED_LOCALES:
        return
    async with context.unit_of_work() as session:
        await accounts.set_language(
            session, update.effective_user.id, query.message.chat.id if query.message else update.effective_user.id,
            language, context.clock.now(),
        )
    context.locale = language
    await edit(query, views.chosen(context.t))
