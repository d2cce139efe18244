"""Family access: a guardian lists their children under 14 and switches to a child's record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import ActorKind, Outcome, record
from bot.db.models import TelegramAccount
from bot.records.access import ChildItem, guarded_children

SWITCH_ACTION = "switch_record"


class SwitchOutcome(StrEnum):
    """The result of switching to a child's record."""

    SWITCHED = "switched"
    REFUSED = "refused"
    NO_ACCOUNT = "no_account"


@dataclass(frozen=True)
class SwitchResult:
    """What happened, and the child when switched."""

    outcome: SwitchOutcome
    child: ChildItem | None = None


async def children_of(
    session: AsyncSession, guardian_id: int, now: datetime
) -> tuple[ChildItem, ...]:
    """The guardian's children under 14 (by birth date, today in Vietnam), youngest first."""
    return await guarded_children(session, guardian_id, now)


async def _set_acting_for(
    session: AsyncSession, telegram_user_id: int, guardian_id: int, child_id: int | None
) -> bool:
    changed = await session.execute(
        update(TelegramAccount)
        .where(
            TelegramAccount.telegram_user_id == telegram_user_id,
            TelegramAccount.citizen_id == guardian_id,
        )
        .values(acting_for_citizen_id=child_id)
        .execution_options(synchronize_session=False)
    )
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


async def switch_to_child(
    session: AsyncSession, telegram_user_id: int, guardian_id: int, child_id: int, now: datetime
) -> SwitchResult:
    """Show the child's record from now on if the guardian may see it; audited either way."""
    found = await guarded_children(session, guardian_id, now, child_id)
    switched = bool(found) and await _set_acting_for(
        session, telegram_user_id, guardian_id, child_id
    )
    await record(
        session,
        actor_kind=ActorKind.TELEGRAM_USER,
        action=SWITCH_ACTION,
        actor_telegram_id=telegram_user_id,
        actor_citizen_id=guardian_id,
        subject_citizen_id=child_id,
        outcome=Outcome.SUCCESS if switched else Outcome.REFUSED,
        at=now,
    )
    if switched:
        return SwitchResult(SwitchOutcome.SWITCHED, found[0])
    return SwitchResult(SwitchOutcome.NO_ACCOUNT if found else SwitchOutcome.REFUSED)


async def switch_to_self(session: AsyncSession, telegram_user_id: int, citizen_id: int) -> bool:
    """Show the citizen's own record again; False when the account is not this citizen's."""
    return await _set_acting_for(session, telegram_user_id, citizen_id, None)
