"""Signing out, the citizen's access log, and deleting one's data."""

from __future__ import annotations

from collections.abc import Sequence

from bot.audit.log import Access, ActorKind
from bot.i18n import Translator
from bot.identity.cccd import mask_id
from bot.signin import ErasureReport, KeptRecord
from bot.views.reply import Button, Reply, esc
from bot.views.start import main_menu

CONFIRM_ERASURE = "erase:yes"
KEEP_DATA = "erase:no"
ACCESS_LOG_SECTION = "access_log"
"""How a look at the access log itself is written in the audit log."""


def signed_out(t: Translator) -> Reply:
    """After /logout."""
    return Reply(
        t.gettext(
            "👋 You are signed out. This chat no longer shows your health data.\n\n"
            "Send /login whenever you want to sign in again."
        ),
        remove_keyboard=True,
    )


def not_signed_in(t: Translator) -> Reply:
    """/logout without being signed in."""
    return Reply(t.gettext("You are not signed in."), main_menu(t, signed_in=False))


def _section(t: Translator, section: str | None) -> str:
    labels = {
        "record": t.pgettext("record section", "Record summary"),
        "visits": t.pgettext("record section", "Visits"),
        "visit": t.pgettext("record section", "Visit details"),
        "labs": t.pgettext("record section", "Test results"),
        "lab_history": t.pgettext("record section", "Test result history"),
        "vaccinations": t.pgettext("record section", "Vaccinations"),
        "medications": t.pgettext("record section", "Medications"),
        "appointments": t.pgettext("record section", "Appointments"),
        "insurance": t.pgettext("record section", "Health insurance"),
        "family": t.pgettext("record section", "Family"),
        ACCESS_LOG_SECTION: t.pgettext("record section", "Access log"),
    }
    if section is None:
        return esc(t.pgettext("record section", "Record"))
    return esc(labels.get(section, section))


def _who(t: Translator, access: Access, viewer_telegram_id: int) -> str:
    if access.actor_kind == ActorKind.STAFF:
        return esc(t.gettext("health staff"))
    if access.actor_kind == ActorKind.SYSTEM or access.actor_telegram_id is None:
        return esc(t.gettext("the system"))
    masked = esc(mask_id(str(access.actor_telegram_id)))
    if access.actor_telegram_id == viewer_telegram_id:
        return t.gettext("Telegram account {account} (this one)").format(account=masked)
    return t.gettext("Telegram account {account}").format(account=masked)


def access_log(
    t: Translator, accesses: Sequence[Access], viewer_telegram_id: int, limit: int
) -> Reply:
    """The latest looks at the citizen's own record: when, which part, from which account."""
    title = t.gettext("<b>📜 Access log</b>")
    if not accesses:
        return Reply(title + "\n\n" + t.gettext("No one has looked at your record yet."), protect=True)
    count = t.ngettext(
        "The latest look at your record, {count} entry:",
        "The latest looks at your record, newest first, {count} entries:",
        len(accesses),
    ).format(count=len(accesses))
    lines = [title, count, ""]
    for access in accesses:
        lines.append(
            t.gettext("• {when} — {section}\n   {who}").format(
                when=esc(t.format_datetime(access.at)),
                section=_section(t, access.section),
                who=_who(t, access, viewer_telegram_id),
            )
        )
    if len(accesses) >= limit:
        lines.append("")
        lines.append(
            t.ngettext(
                "Only the {limit} latest access is shown. The health department keeps the full "
                "log.",
                "Only the {limit} latest accesses are shown. The health department keeps the "
                "full log.",
                limit,
            ).format(limit=limit)
        )
    return Reply("\n".join(lines), protect=True)


def _kept_lines(t: Translator) -> list[str]:
    return [
        t.gettext(
            "• <b>The access log</b>: who looked at which record and when, and your consent and "
            "its withdrawal. The Department of Health must keep it as proof (Decree 356/2025)."
        ),
        t.gettext(
            "• <b>Sign-in security records</b>: attempts with your ID in scrambled form only, so "
            "that a lock cannot be escaped by deleting data."
        ),
        t.gettext(
            "• <b>Your health record itself</b>: it belongs to the health facilities, not to this "
            "chat."
        ),
    ]


def confirm_erasure(t: Translator) -> Reply:
    """What /deletemydata will do and what it keeps, with the confirming button."""
    text = "\n".join(
        [
            t.gettext(
                "<b>🗑 Delete my data</b>\n\n"
                "This withdraws your consent, signs you out and deletes what this chat keeps about "
                "you: the link to your health record, your language and your reminder and notice "
                "settings.\n\n"
                "Kept, because the law requires it:"
            ),
            *_kept_lines(t),
            "",
            t.gettext("Do you want to delete your data?"),
        ]
    )
    buttons = [
        [Button(t.pgettext("button", "🗑 Yes, delete my data"), CONFIRM_ERASURE)],
        [Button(t.pgettext("button", "No, keep it"), KEEP_DATA)],
    ]
    return Reply(text, buttons)


def erased(t: Translator, report: ErasureReport) -> Reply:
    """The confirmation of the erasure: what was deleted, what was kept and why."""
    lines = [
        t.gettext(
            "✅ <b>Done.</b> Your consent is withdrawn, you are signed out, and this chat's data "
            "about you is deleted."
        ),
        "",
        t.gettext("Kept, because the law requires it:"),
        *_kept_lines(t),
    ]
    entries = report.kept.get(KeptRecord.AUDIT_LOG, 0)
    lines.append("")
    lines.append(
        t.ngettext(
            "The access log holds {count} entry about this account.",
            "The access log holds {count} entries about this account.",
            entries,
        ).format(count=entries)
    )
    lines.append("")
    lines.append(
        t.gettext(
            "Messages already in this chat stay on your device: you can delete the chat in "
            "Telegram. "
            "Send /privacy if you want to use the bot again."
        )
    )
    return Reply("\n".join(lines))


def erasure_cancelled(t: Translator) -> Reply:
    """After "No, keep it": nothing changed."""
    return Reply(t.gettext("Nothing was deleted."))
