"""Write and read the audit log; entries are only ever added (see `bot.audit.append_only`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Required, TypedDict, Unpack

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.deferred import insert_at_commit
from bot.db.models import AuditEntry
from bot.identity.masking import mask_text


AUDIT_TABLE = AuditEntry.__table__


class ActorKind(StrEnum):
    """Who did it."""

    TELEGRAM_USER = "telegram_user"
    STAFF = "staff"
    SYSTEM = "system"


class Action(StrEnum):
    """What was done. Other features may log their own actions; these are the shared ones."""

    SIGN_IN = "sign_in"
    RECHECK = "recheck"
    SIGN_OUT = "sign_out"
    SIGNED_OUT_BY_TAKEOVER = "signed_out_by_takeover"
    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    VIEW = "view"


class Outcome(StrEnum):
    """How it ended."""

    SUCCESS = "success"
    FAILURE = "failure"
    LOCKED = "locked"
    REFUSED = "refused"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Access:
    """One look at a citizen's record, as the citizen is shown it."""

    at: datetime
    section: str | None
    actor_kind: str
    actor_telegram_id: int | None
    actor_citizen_id: int | None


class EntryValues(TypedDict, total=False):
    """The fields of an entry, as keyword arguments of `add` and `record`."""

    actor_kind: Required[ActorKind | str]
    action: Required[Action | str]
    actor_telegram_id: int | None
    actor_citizen_id: int | None
    subject_citizen_id: int | None
    section: str | None
    outcome: Outcome | str | None
    detail: str | None
    at: datetime | None


def _entry_values(
    actor_kind: ActorKind | str,
    action: Action | str,
    actor_telegram_id: int | None = None,
    actor_citizen_id: int | None = None,
    subject_citizen_id: int | None = None,
    section: str | None = None,
    outcome: Outcome | str | None = None,
    detail: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "at": at if at is not None else utcnow(),
        "actor_kind": str(actor_kind),
        "action": str(action),
        "actor_telegram_id": actor_telegram_id,
        "actor_citizen_id": actor_citizen_id,
        "subject_citizen_id": subject_citizen_id,
        "section": section,
        "outcome": str(outcome) if outcome is not None else None,
        "detail": mask_text(detail) if detail is not None else None,
    }


def add(session: AsyncSession, **values: Unpack[EntryValues]) -> AuditEntry:
    """Append one entry to the unit of work as an ORM object; it is written at its next flush.

    Args:
        session: The unit of work (not flushed here).
        values: actor_kind (who acted: a Telegram user, staff, the system), action (what was
            done, e.g. `Action.VIEW`), actor_telegram_id, actor_citizen_id (the citizen the
            actor is signed in as), subject_citizen_id (whose data was touched), section (the
            part of the record, for views), outcome (e.g. `Outcome.FAILURE`), detail (free text
            for staff; identifiers in it are masked here) and at (aware UTC; now by default).

    Returns:
        The new, pending entry.
    """
    entry = AuditEntry(**_entry_values(**values))
    session.add(entry)
    return entry


def add_at_commit(session: AsyncSession, **values: Unpack[EntryValues]) -> None:
    """Append one entry (the arguments of `add`), written when the unit of work commits.

    A view is audited this way: the entries of a unit go to the database in one INSERT in the
    same transaction, after the reads and just before the commit (see `bot.db.deferred`), so
    the write lock (SQLite) is held only that long; a view whose transaction fails is neither
    shown nor logged.
    """
    insert_at_commit(session, AUDIT_TABLE, _entry_values(**values))


async def record(session: AsyncSession, **values: Unpack[EntryValues]) -> AuditEntry:
    """Append one entry (the arguments of `add`) and flush it; the caller's unit of work commits."""
    entry = add(session, **values)
    await session.flush()
    return entry


async def recent_accesses(session: AsyncSession, citizen_id: int, limit: int = 20) -> list[Access]:
    """The latest views of a citizen's record sections, newest first, with who looked."""
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject_citizen_id == citizen_id, AuditEntry.action == Action.VIEW)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        Access(
            at=row.at,
            section=row.section,
            actor_kind=row.actor_kind,
            actor_telegram_id=row.actor_telegram_id,
            actor_citizen_id=row.actor_citizen_id,
        )
        for row in rows
    ]


async def trail(session: AsyncSession, citizen_id: int) -> list[AuditEntry]:
    """Every entry about or by a citizen, oldest first, for staff answering a request."""
    rows = await session.scalars(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.subject_citizen_id == citizen_id,
                AuditEntry.actor_citizen_id == citizen_id,
            )
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(rows)
