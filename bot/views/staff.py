"""What staff read: their hidden command menu, the binding answer and admin statistics."""

from __future__ import annotations

from collections.abc import Sequence

from bot.broadcast.stats import Statistics
from bot.i18n import N_, Translator
from bot.staff.members import StaffView
from bot.staff.roles import Permission, Role
from bot.views.reply import Reply, esc
from bot.views.start import MENU_COMMANDS

STAFF_COMMANDS: tuple[tuple[str, str, Permission], ...] = (
    ("notice", N_("Send a notice to citizens"), Permission.SEND_NOTICE),
    ("alert", N_("Send a contact-tracing alert"), Permission.SEND_ALERT),
    ("alerts", N_("Answers to alerts, and exports"), Permission.VIEW_ALERTS),
    ("stats", N_("Usage statistics"), Permission.VIEW_STATISTICS),
)

ROLE_NAMES = {
    Role.NOTIFIER: N_("notifier (general notices)"),
    Role.TRACER: N_("tracer (contact-tracing alerts)"),
    Role.ADMIN: N_("administrator"),
}


def chat_commands(t: Translator, staff: StaffView) -> Sequence[tuple[str, str]]:
    """The citizen menu followed by the staff commands this role may use."""
    commands = [(name, t.gettext(description)) for name, description in MENU_COMMANDS]
    commands += [
        (name, t.gettext(description))
        for name, description, permission in STAFF_COMMANDS
        if staff.can(permission)
    ]
    return commands


def bound(t: Translator, staff: StaffView) -> Reply:
    """Confirmation after `/staff CODE`."""
    lines = [
        t.gettext("Welcome, <b>{name}</b>. You are registered as {role}.").format(
            name=esc(staff.name), role=esc(t.gettext(ROLE_NAMES[staff.role]))
        ),
        "",
        t.gettext("Your staff commands (only you see them in the menu):"),
    ]
    lines += [
        f"/{name} — {esc(t.gettext(description))}"
        for name, description, permission in STAFF_COMMANDS
        if staff.can(permission)
    ]
    lines += ["", t.gettext("Staff commands never show citizens' health records.")]
    return Reply("\n".join(lines))


def already_staff(t: Translator, staff: StaffView) -> Reply:
    """The account is already an active staff member; the new code stays unused."""
    return Reply(
        t.gettext(
            "This Telegram account is already registered as {role}. The code was not used."
        ).format(role=esc(t.gettext(ROLE_NAMES[staff.role])))
    )


def statistics(t: Translator, stats: Statistics) -> Reply:
    """Usage and broadcast figures over the last 30 days."""
    n = t.format_number
    lines = [t.gettext("<b>📊 Statistics (last 30 days)</b>"), ""]
    lines.append(t.gettext("Linked citizens: {count}").format(count=n(stats.linked_total)))
    for district, count in stats.linked_by_district:
        name = esc(district) if district else esc(t.gettext("other areas (small groups pooled)"))
        lines.append(f"  • {name}: {n(count)}")
    lines.append(t.gettext("Active users: {count}").format(count=n(stats.active_users)))
    lines.append(t.gettext("Muted general notices: {count}").format(count=n(stats.muted_users)))
    lines.append(t.gettext("Broadcasts: {count}").format(count=n(stats.broadcasts)))
    lines.append(t.gettext("Notices delivered: {count}").format(count=n(stats.notices_sent)))
    lines.append(t.gettext("Alerts delivered: {count}").format(count=n(stats.alerts_sent)))
    dash = "—"
    lines.append(
        t.gettext("Reach: {percent}").format(
            percent=t.format_percent(stats.reach_percent)
            if stats.reach_percent is not None
            else dash
        )
    )
    lines.append(
        t.gettext("Alert response rate: {percent}").format(
            percent=t.format_percent(stats.response_percent)
            if stats.response_percent is not None
            else dash
        )
    )
    return Reply("\n".join(lines))
