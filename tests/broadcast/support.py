"""Helpers for broadcast tests: linked citizens, staff, and a clock-aware audience draft."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.service import Draft
from bot.db.models import Citizen, Condition
from bot.i18n import Catalogs
from bot.staff import members
from bot.staff.members import StaffView
from bot.staff.roles import Role
from tests.factories import make_account, make_citizen

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)
CATALOGS = Catalogs()
PHONE = "0290 3831 234"


async def linked_citizen(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    account: dict[str, Any] | None = None,
    **citizen: Any,
) -> Citizen:
    """A citizen with a consented Telegram account linked to them."""
    person = await make_citizen(session, **citizen)
    values: dict[str, Any] = {"citizen_id": person.id, "linked_at": NOW, "language": "vi"}
    values.update(account or {})
    await make_account(session, telegram_user_id, **values)
    return person


async def add_condition(
    session: AsyncSession, citizen: Citizen, code: str, status: str | None = "active"
) -> None:
    """A problem-list condition."""
    session.add(
        Condition(
            source_key=f"test:condition:{citizen.id}:{code}",
            citizen_id=citizen.id,
            code=code,
            code_system="ICD-10",
            clinical_status=status,
        )
    )
    await session.flush()


async def bound_staff(
    session: AsyncSession, role: Role, telegram_user_id: int, name: str = "Trần Văn Y"
) -> StaffView:
    """A staff member already bound to a Telegram account."""
    invitation = await members.invite(session, name=name, role=role, now=NOW)
    outcome, staff = await members.bind(
        session,
        code=invitation.code,
        telegram_user_id=telegram_user_id,
        chat_id=telegram_user_id,
        now=NOW,
    )
    assert staff is not None, outcome
    return staff


def dengue(audience: Audience | None = None, **changes: Any) -> Draft:
    """A dengue-prevention notice to everyone linked (or `audience`)."""
    values: dict[str, Any] = {
        "template": "dengue",
        "audience": audience or Audience(AudienceKind.ALL),
        "params": {"place": "Phường 5", "phone": PHONE},
    }
    values.update(changes)
    return Draft(**values)
