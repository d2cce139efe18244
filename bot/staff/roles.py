"""Staff roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A staff member's role."""

    NOTIFIER = "notifier"
    TRACER = "tracer"
    ADMIN = "admin"


class Permission(StrEnum):
    """Something a staff member may do through the bot or the command line."""

    SEND_NOTICE = "send_notice"
    SEND_ALERT = "send_alert"
    VIEW_ALERTS = "view_alerts"
    VIEW_BROADCASTS = "view_broadcasts"
    MANAGE_STAFF = "manage_staff"
    VIEW_STATISTICS = "view_statistics"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.NOTIFIER: frozenset({Permission.SEND_NOTICE, Permission.VIEW_BROADCASTS}),
    Role.TRACER: frozenset(
        {Permission.SEND_ALERT, Permission.VIEW_ALERTS, Permission.VIEW_BROADCASTS}
    ),
    Role.ADMIN: frozenset(Permission),
}


def can(role: Role | str, permission: Permission) -> bool:
    """True when the role grants the permission; unknown roles grant nothing."""
    try:
        return permission in _GRANTS[Role(role)]
    except ValueError:
        return False


def permissions_of(role: Role | str) -> frozenset[Permission]:
    """Every permission a role grants."""
    try:
        return _GRANTS[Role(role)]
    except ValueError:
        return frozenset()
