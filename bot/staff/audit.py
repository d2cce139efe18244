"""Audit entries for staff actions and broadcasts (who did what, never the personal data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import record

SECTION = "broadcast"


async def audit(
    session: AsyncSession,
    *,
    at: datetime,
    actor_kind: str,
    action: str,
    actor_telegram_id: int | None = None,
    outcome: str | None = None,
    detail: str | None = None,
) -> None:
    """Append an audit entry in the caller's transaction (the shared log masks `detail` again).

    Args:
        session: The unit of work the action happens in, so both commit or neither does.
        at: When the action happened.
        actor_kind: `staff`, `operator` (the command line), `telegram_user` or `system`.
        action: What was done, e.g. `staff.invite`, `broadcast.create.notice`.
        actor_telegram_id: The acting Telegram user, when there is one.
        outcome: `ok`, `refused`, ...
        detail: Identifiers of the objects acted on; never names, phones or ID numbers.
    """
    await record(
        session,
        actor_kind=actor_kind,
        action=action,
        actor_telegram_id=actor_telegram_id,
        section=SECTION,
        outcome=outcome,
        detail=detail,
        at=at,
    )
