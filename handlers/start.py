"""/start, /help and the answer to anything the bot does not understand."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.views import start as views
from handlers.common import edit, send


def _signed_in(context: BotContext) -> bool:
    """True when the user's account is linked and the session runs (for the menu's buttons)."""
    return context.account is not None and context.account.is_linked(context.clock.now())


async def start(update: Update, context: BotContext) -> None:
    """Greet the user in their language and show the main menu."""
    user = update.effective_user
    name = user.first_name if user else ""
    await send(update, context, views.welcome(context.t, name, _signed_in(context)))


async def help_command(update: Update, context: BotContext) -> None:
    """List what the bot can do."""
    await send(update, context, views.help_text(context.t, _signed_in(context)))


async def help_button(update: Update, context: BotContext) -> None:
    """The help button of the main menu."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await edit(query, views.help_text(context.t, _signed_in(context)))


async def not_understood(update: Update, context: BotContext) -> None:
    """Answer input the bot cannot place with a hint and the menu."""
    await send(update, context, views.not_understood(context.t, _signed_in(context)))
