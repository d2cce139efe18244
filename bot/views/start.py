"""Greeting, help, main menu and the answer to input the bot does not understand."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.records.callbacks import CallbackAction, format_callback
from bot.views.reply import Button, Reply, esc

# Commands shown in Telegram's menu, in this order; descriptions are translated per language.
MENU_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start and main menu")),
    ("record", N_("My health record")),
    ("appointments", N_("My appointments")),
    ("insurance", N_("My health insurance card")),
    ("family", N_("My children's records")),
    ("login", N_("Sign in to see your health record")),
    ("language", N_("Change language")),
    ("help", N_("What this bot can do")),
    ("reminders", N_("Appointment reminders on or off")),
    ("notices", N_("Turn general notices on or off")),
    ("logout", N_("Sign out")),
    ("privacy", N_("Privacy notice and your rights")),
    ("accesslog", N_("Who looked at your record")),
    ("deletemydata", N_("Withdraw consent and delete your data")),
    ("cancel", N_("Stop what you are doing")),
)


def main_menu(t: Translator, signed_in: bool = False) -> list[list[Button]]:
    """The big buttons under the greeting; "Sign in" comes first for users not signed in."""
    rows = [
        [
            Button(t.pgettext("button", "❓ Help"), "help"),
            Button(t.pgettext("button", "🌐 Language"), "lang"),
        ]
    ]
    if not signed_in:
        return [[Button(t.pgettext("button", "🔐 Sign in"), "login")], *rows]
    records = [
        [Button(t.pgettext("button", "📋 My record"), format_callback(CallbackAction.RECORD))],
        [
            Button(t.pgettext("button", "📅 Appointments"), format_callback(CallbackAction.APPOINTMENTS)),
            Button(t.pgettext("button", "💳 Insurance"), format_callback(CallbackAction.INSURANCE)),
        ],
    ]
    return [*records, *rows]


def welcome(t: Translator, first_name: str, signed_in: bool = False) -> Reply:
    """The greeting for /start."""
    text = t.gettext(
        "Hello, <b>{name}</b>! 👋\n\n"
        "I am the health assistant of the Cà Mau Department of Health. "
        "Here you can see your own health record, appointments and health insurance card."
    ).format(name=esc(first_name))
    return Reply(text, main_menu(t, signed_in))


def help_text(t: Translator, signed_in: bool = False) -> Reply:
    """What the bot can do, for /help."""
    lines = [t.gettext("<b>What I can do</b>")]
    lines += [f"/{name} — {esc(t.gettext(description))}" for name, description in MENU_COMMANDS]
    lines.append("")
    lines.append(t.gettext("You can also just type what you need, with or without accents."))
    return Reply("\n".join(lines), main_menu(t, signed_in))


def not_understood(t: Translator, signed_in: bool = False) -> Reply:
    """The answer to text the bot cannot place, with the menu."""
    text = t.gettext("Sorry, I did not understand that. Please choose from the menu below.")
    return Reply(text, main_menu(t, signed_in))


def something_went_wrong(t: Translator) -> Reply:
    """The polite answer when a handler failed."""
    return Reply(
        t.gettext("Sorry, something went wrong on our side. Please try again in a moment.")
    )
