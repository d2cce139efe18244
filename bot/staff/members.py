"""Inviting staff, binding their Telegram account with a one-time code, listing and revoking."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import StaffMember
from bot.staff.audit import audit
from bot.staff.roles import Permission, Role, can

INVITE_VALIDITY = timedelta(hours=24)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or retyped safely
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4  # 12 characters, 60 bits


@dataclass(frozen=True)
class StaffView:
    """A staff member as the rest of the bot sees them."""

    id: int
    name: str
    role: Role
    telegram_user_id: int | None
    chat_id: int | None
    created_at: datetime
    invite_expires_at: datetime | None
    bound_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        """Bound to Telegram and not revoked."""
        return self.telegram_user_id is not None and self.revoked_at is None

    def can(self, permission: Permission) -> bool:
        """True when active and the role grants the permission."""
        return self.active and can(self.role, permission)


@dataclass(frozen=True)
class Invitation:
    """A new staff member and their one-time code, shown once."""

    staff: StaffView
    code: str


class BindOutcome(StrEnum):
    """The result of `/staff CODE`."""

    BOUND = "bound"
    INVALID = "invalid"  # unknown, used, expired or revoked: the bot gives nothing away
    ALREADY_STAFF = "already_staff"


def _view(row: StaffMember) -> StaffView:
    return StaffView(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        created_at=row.created_at,
        invite_expires_at=row.invite_expires_at,
        bound_at=row.bound_at,
        revoked_at=row.revoked_at,
    )


def normalize_code(code: str) -> str:
    """The code without separators or case, as hashed."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def new_code() -> str:
    """A random one-time code such as `K7PQ-M2XD-9RTA`."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


async def invite(
    session: AsyncSession, *, name: str, role: Role, now: datetime, actor_kind: str = "operator"
) -> Invitation:
    """Create a staff member with a one-time code valid for 24 hours."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("a staff member needs a name")
    code = new_code()
    row = StaffMember(
        name=name,
        role=role.value,
        invite_code_hash=_hash(code),
        invite_expires_at=now + INVITE_VALIDITY,
        created_at=now,
        menu_pending=False,
    )
    session.add(row)
    await session.flush()
    await audit(
        session,
        at=now,
        actor_kind=actor_kind,
        action="staff.invite",
        outcome="ok",
        detail=f"staff={row.id} role={role.value}",
    )
    return Invitation(_view(row), code)


async def bind(
    session: AsyncSession, *, code: str, telegram_user_id: int, chat_id: int, now: datetime
) -> tuple[BindOutcome, StaffView | None]:
    """Bind the Telegram account that sent a valid code; the code then stops working."""
    row = await session.scalar(
        select(StaffMember).where(StaffMember.invite_code_hash == _hash(code))
    )
    valid = (
        row is not None
        and row.revoked_at is None
        and row.telegram_user_id is None
        and row.invite_expires_at is not None
        and row.invite_expires_at > now
    )
    if not valid or row is None:
        await audit(
            session,
            at=now,
            actor_kind="telegram_user",
            actor_telegram_id=telegram_user_id,
            action="staff.bind",
            outcome="refused",
        )
        return BindOutcome.INVALID, None
    current = await session.scalar(
        select(StaffMember).where(StaffMember.telegram_user_id == telegram_user_id)
    )
    if current is not None and current.revoked_at is None:
        return BindOutcome.ALREADY_STAFF, _view(current)
    if current is not None:  # a revoked earlier role of the same person
        current.telegram_user_id = None
        await session.flush()
    row.telegram_user_id, row.chat_id, row.bound_at = telegram_user_id, chat_id, now
    row.invite_code_hash, row.menu_pending = None, True
    await audit(
        session,
        at=now,
        actor_kind="staff",
        actor_telegram_id=telegram_user_id,
        action="staff.bind",
        outcome="ok",
        detail=f"staff={row.id} role={row.role}",
    )
    return BindOutcome.BOUND, _view(row)


async def active_staff(session: AsyncSession, telegram_user_id: int) -> StaffView | None:
    """The active staff member behind a Telegram account, or None."""
    row = await session.scalar(
        select(StaffMember).where(
            StaffMember.telegram_user_id == telegram_user_id, StaffMember.revoked_at.is_(None)
        )
    )
    return _view(row) if row is not None else None


async def get_staff(session: AsyncSession, staff_id: int) -> StaffView | None:
    """A staff member by id."""
    row = await session.get(StaffMember, staff_id)
    return _view(row) if row is not None else None


async def list_staff(session: AsyncSession) -> list[StaffView]:
    """Every staff member, oldest first, revoked ones included."""
    rows = await session.scalars(select(StaffMember).order_by(StaffMember.id))
    return [_view(row) for row in rows]


async def revoke(
    session: AsyncSession,
    staff_id: int,
    *,
    now: datetime,
    actor_kind: str = "operator",
    actor_telegram_id: int | None = None,
) -> StaffView | None:
    """Revoke a staff member at once; their hidden command menu is removed by the sender task."""
    row = await session.get(StaffMember, staff_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at, row.invite_code_hash = now, None
        row.menu_pending = row.chat_id is not None
        await audit(
            session,
            at=now,
            actor_kind=actor_kind,
            actor_telegram_id=actor_telegram_id,
            action="staff.revoke",
            outcome="ok",
            detail=f"staff={row.id}",
        )
    return _view(row)


async def menus_to_sync(session: AsyncSession, limit: int = 20) -> list[StaffView]:
    """Staff whose per-chat command menu must be set (bound) or removed (revoked)."""
    rows = await session.scalars(
        select(StaffMember)
        .where(StaffMember.menu_pending.is_(True), StaffMember.chat_id.is_not(None))
        .order_by(StaffMember.id)
        .limit(limit)
    )
    return [_view(row) for row in rows]


async def mark_menu_synced(session: AsyncSession, staff_id: int) -> None:
    """Record that a staff member's command menu matches their status."""
    await session.execute(
        update(StaffMember).where(StaffMember.id == staff_id).values(menu_pending=False)
    )
