"""Whose record a signed-in citizen may see: their own, or their own children's under 14.

There is no other access from one citizen to another. Every look at a record is audited:
a guardian's look at a child's record names the guardian as the actor and the child as the
subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import Action, ActorKind, Outcome, add_at_commit, record
from bot.db.models import Citizen, Guardianship
from bot.records.common import LOCAL_ZONE, age_on, local_date, prebuilt, years_before

CHILD_AGE_LIMIT = 14
"""Guardians see a child's record until the child's 14th birthday."""


class Section(StrEnum):
    """Parts of a record, as written in the audit log."""

    RECORD = "record"
    VISITS = "visits"
    VISIT = "visit"
    LABS = "labs"
    LAB_HISTORY = "lab_history"
    VACCINATIONS = "vaccinations"
    MEDICATIONS = "medications"
    APPOINTMENTS = "appointments"
    INSURANCE = "insurance"
    FAMILY = "family"


@dataclass(frozen=True)
class SubjectCitizen:
    """The citizen whose record is shown, and who is looking."""

    citizen_id: int
    actor_citizen_id: int
    child_name: str | None = None

    @property
    def is_child(self) -> bool:
        """True when a guardian is looking at a child's record."""
        return self.citizen_id != self.actor_citizen_id


class AccessRefusedError(Exception):
    """The requested record is neither the citizen's own nor that of their child under 14."""

    def __init__(self, actor_citizen_id: int, requested_citizen_id: int) -> None:
        super().__init__("record access refused")
        self.actor_citizen_id = actor_citizen_id
        self.requested_citizen_id = requested_citizen_id


def child_birth_cutoff(now: datetime) -> date:
    """Children born after this local date are under 14 today."""
    return years_before(local_date(now, LOCAL_ZONE), CHILD_AGE_LIMIT)


@dataclass(frozen=True)
class ChildItem:
    """A child under 14 the citizen is the recorded guardian of."""

    citizen_id: int
    full_name: str
    birth_date: date
    age: int


async def guarded_children(
    session: AsyncSession, guardian_id: int, now: datetime, child_id: int | None = None
) -> tuple[ChildItem, ...]:
    """The guardian's living children under 14 (or just `child_id` if so), youngest first."""
    values = children_values(guardian_id, now)
    query = children_query() if child_id is None else _child_query()
    if child_id is not None:
        values["child_id"] = child_id
    today = local_date(now, LOCAL_ZONE)
    return tuple(child_from_row(row, today) for row in await session.execute(query, values))


GUARDIAN = "guardian_id"
BORN_AFTER = "born_after"


def children_order() -> tuple[Any, ...]:
    """The youngest child first."""
    return Citizen.birth_date.desc(), Citizen.id


def child_from_row(row: Any, today: date) -> ChildItem:
    """A ChildItem from a row of `children_query`, aged on `today`."""
    return ChildItem(row.id, row.full_name, row.birth_date, age_on(row.birth_date, today))


def children_values(guardian_id: int, now: datetime) -> dict[str, Any]:
    """The parameters of `children_query`."""
    return {GUARDIAN: guardian_id, BORN_AFTER: child_birth_cutoff(now)}


@prebuilt
def children_query() -> Select[Any]:
    """A guardian's living children under 14 (parameters from `children_values`), youngest first."""
    return (
        select(Citizen.id, Citizen.full_name, Citizen.birth_date)
        .join(Guardianship, Guardianship.child_id == Citizen.id)
        .where(
            Guardianship.guardian_id == bindparam(GUARDIAN),
            Citizen.birth_date > bindparam(BORN_AFTER, type_=Date),
            Citizen.deceased_at.is_(None),
        )
        .order_by(*children_order())
    )


@prebuilt
def _child_query() -> Select[Any]:
    return children_query().where(Guardianship.child_id == bindparam("child_id"))


async def resolve_subject(
    session: AsyncSession, account_citizen_id: int, acting_for: int | None, now: datetime
) -> SubjectCitizen:
    """The record to show: the citizen's own, or a child's they are the guardian of.

    Raises:
        AccessRefusedError: `acting_for` is someone else who is not their child under 14 (any more).
    """
    if acting_for is None or acting_for == account_citizen_id:
        return SubjectCitizen(account_citizen_id, account_citizen_id)
    children = await guarded_children(session, account_citizen_id, now, acting_for)
    if not children:
        raise AccessRefusedError(account_citizen_id, acting_for)
    return SubjectCitizen(acting_for, account_citizen_id, children[0].full_name)


def record_view(
    session: AsyncSession,
    subject: SubjectCitizen,
    section: Section,
    telegram_user_id: int,
    now: datetime,
    *,
    outcome: Outcome = Outcome.SUCCESS,
) -> None:
    """Audit one look at a section of a record (the actor is the guardian for a child's record).

    The entry is written with the unit of work's commit (one INSERT for all its entries),
    before anything is shown.
    """
    add_at_commit(
        session,
        actor_kind=ActorKind.TELEGRAM_USER,
        action=Action.VIEW,
        actor_telegram_id=telegram_user_id,
        actor_citizen_id=subject.actor_citizen_id,
        subject_citizen_id=subject.citizen_id,
        section=str(section),
        outcome=outcome,
        detail="guardian" if subject.is_child else None,
        at=now,
    )


async def record_refusal(
    session: AsyncSession, refused: AccessRefusedError, telegram_user_id: int, now: datetime
) -> None:
    """Audit a refused attempt to see someone else's record."""
    await record(
        session,
        actor_kind=ActorKind.TELEGRAM_USER,
        action=Action.VIEW,
        actor_telegram_id=telegram_user_id,
        actor_citizen_id=refused.actor_citizen_id,
        subject_citizen_id=refused.requested_citizen_id,
        outcome=Outcome.REFUSED,
        at=now,
    )
