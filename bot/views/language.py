"""The language picker."""

from __future__ import annotations

from bot.i18n import LANGUAGE_NAMES, Translator
from bot.views.reply import Button, Reply
from bot.views.start import main_menu


def picker(t: Translator) -> Reply:
    """Each language named in its own script, one big button each."""
    rows = [[Button(name, f"lang:{code}")] for code, name in LANGUAGE_NAMES.items()]
    return Reply(t.gettext("Please choose your language:"), rows)


def chosen(t: Translator) -> Reply:
    """Confirmation, already in the newly chosen language."""
    return Reply(t.gettext("Done. I will speak English with you from now on."), main_menu(t))
