"""The privacy notice, and the answers to agreeing or declining (Law 91/2025/QH15)."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.views.reply import Button, Reply, esc
from bot.views.start import main_menu

NOTICE_VERSION = "1"
"""The version of the notice text a user agrees to; raise it when the notice changes in substance,
and everyone is asked again."""

ACCEPT = "consent:yes"
DECLINE = "consent:no"
ASK_ERASURE = "erase:ask"


def _notice_body(t: Translator, session_days: int) -> str:
    sections = [
        t.gettext("<b>🔒 Privacy notice</b>"),
        t.gettext(
            "The <b>Cà Mau Department of Health</b> (Sở Y tế Cà Mau) runs this bot and is the "
            "controller of your data. Health data is sensitive personal data under the Law on "
            "Personal Data Protection (91/2025/QH15): I need your explicit consent to show it."
        ),
        t.gettext(
            "<b>What I show:</b> your own health record — visits, test results, vaccinations, "
            "medicines, appointments and health insurance (BHYT) status."
        ),
        t.gettext("<b>Why:</b> so that you can see your own health information, nothing else."),
        t.gettext(
            "<b>Who can see it:</b> only you, after signing in with your citizen ID, your phone "
            "number and your date of birth. Messages with your ID and birth date are deleted once "
            "read."
        ),
        t.ngettext(
            "<b>How long:</b> a sign-in lasts {days} day. Your chat settings are kept until you "
            "delete them. The access log (who looked at which record, when) is kept as the law "
            "requires.",
            "<b>How long:</b> a sign-in lasts {days} days. Your chat settings are kept until you "
            "delete them. The access log (who looked at which record, when) is kept as the law "
            "requires.",
            session_days,
        ).format(days=session_days),
        t.gettext(
            "<b>Your rights:</b> see who looked at your record (/accesslog), withdraw your consent "
            "and delete your data (/deletemydata) at any time, read this notice again (/privacy). "
            "Requests are answered within 2 working days."
        ),
    ]
    return "\n\n".join(sections)


def consent_request(t: Translator, session_days: int, first_name: str | None = None) -> Reply:
    """The notice with the agree button first, then "Not now" and the language picker."""
    parts = []
    if first_name:
        parts.append(t.gettext("Hello, <b>{name}</b>! 👋").format(name=esc(first_name)))
    parts.append(_notice_body(t, session_days))
    parts.append(t.gettext("Do you agree? Nothing about your health is shown before you do."))
    buttons = [
        [Button(t.pgettext("button", "✅ I agree"), ACCEPT)],
        [Button(t.pgettext("button", "Not now"), DECLINE)],
        [Button(t.pgettext("button", "🌐 Language"), "lang")],
    ]
    return Reply("\n\n".join(parts), buttons)


def notice_agreed(t: Translator, session_days: int, agreed_at: datetime | None) -> Reply:
    """The notice for someone who has agreed, with when, and how to withdraw."""
    parts = [_notice_body(t, session_days)]
    if agreed_at is not None:
        parts.append(
            t.gettext("✅ You agreed on {date}.").format(date=esc(t.format_datetime(agreed_at)))
        )
    parts.append(t.gettext("To withdraw your consent and delete your data, use /deletemydata."))
    erase = Button(t.pgettext("button", "🗑 Delete my data"), ASK_ERASURE)
    return Reply("\n\n".join(parts), [[erase]])


def thanks(t: Translator, first_name: str) -> Reply:
    """After agreeing: what to do next, with the main menu (its first button signs in)."""
    text = t.gettext(
        "Thank you, <b>{name}</b>. Your consent is recorded.\n\n"
        "To see your health record, sign in with your citizen ID, your phone number and your "
        "date of birth."
    ).format(name=esc(first_name))
    return Reply(text, main_menu(t, signed_in=False))


def already_agreed(t: Translator) -> str:
    """The short answer to pressing "I agree" again."""
    return t.gettext("You have already agreed.")


def declined(t: Translator) -> Reply:
    """After "Not now": nothing shown, nothing kept, how to come back."""
    return Reply(
        t.gettext(
            "No problem. Without your consent I show no health data and keep nothing about you.\n\n"
            "You can read the notice again and agree at any time with /privacy."
        )
    )


def decline_after_agreeing(t: Translator) -> str:
    """The short answer to "Not now" on an old notice by someone who has agreed."""
    return t.gettext("You have agreed already. To withdraw your consent, use /deletemydata.")
