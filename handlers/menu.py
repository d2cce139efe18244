"""The command menu, set per language with setMyCommands."""

from __future__ import annotations

from telegram import Bot, BotCommand

from bot.i18n import Catalogs
from bot.views.start import MENU_COMMANDS


def commands_for(catalogs: Catalogs, locale: str) -> list[BotCommand]:
    """The menu commands with descriptions in one language."""
    t = catalogs.get(locale)
    return [BotCommand(name, t.gettext(description)) for name, description in MENU_COMMANDS]


async def set_commands(bot: Bot, catalogs: Catalogs) -> None:
    """Set the menu for every supported language, and the default language as the fallback."""
    for locale in catalogs.locales:
        await bot.set_my_commands(commands_for(catalogs, locale), language_code=locale)
    await bot.set_my_commands(commands_for(catalogs, catalogs.default))
