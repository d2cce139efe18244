"""Greeting, help, main menu and the answer to input the bot does not understand."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.views.reply import Button, Reply, esc

# Commands shown in Telegram's menu, in this order; descriptions are translated per language.
MENU_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and main menu")),
    ("help", N_("What this bot can do")),
    ("language", N_("Change language")),
)


def main_menu(t: Translator) -> list[list[Button]]:
    """The big buttons under the greeting."""
    return [
        [Button(t.gettext("❓ Help"), "help")],
        [Button(t.gettext("🌐 Language"), "lang")],
    ]


def welcome(t: Translator, first_name: str) -> Reply:
    """The greeting for /start."""
    text = t.gettext(
        "Hello, <b>{name}</b>! 👋\n\n"
        "I am the health assistant of the Cà Mau Department of Health. "
        "Here you can see your own health record, appointments and health insurance card."
    ).format(name=esc(first_name))
    return Reply(text, main_menu(t))


def help_text(t: Translator) -> Reply:
    """What the bot can do, for /help."""
    lines = [t.gettext("<b>What I can do</b>")]
    lines += [f"/{name} — {esc(t.gettext(description))}" for name, description in MENU_COMMANDS]
    lines.append("")
    lines.append(t.gettext("You can also just type what you need, with or without accents."))
    return Reply("\n".join(lines), main_menu(t))


def not_understood(t: Translator) -> Reply:
    """The answer to text the bot cannot place, with the menu."""
    text = t.gettext("Sorry, I did not understand that. Please choose from the menu below.")
    return Reply(text, main_menu(t))


def something_went_wrong(t: Translator) -> Reply:
    """The polite answer when a handler failed."""
    return Reply(
        t.gettext("Sorry, something went wrong on our side. Please try again in a moment.")
    )
