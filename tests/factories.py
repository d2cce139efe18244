"""Factories for rows many tests need: citizens with a consistent CCCD, and Telegram accounts."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen, CitizenPhone, TelegramAccount
from bot.views.consent import NOTICE_VERSION

CA_MAU = "096"
_serials = itertools.count(1)


def cccd_for(birth_date: date, sex: str = "female", province: str = CA_MAU, serial: int = 1) -> str:
    """A structurally valid CCCD for someone born on `birth_date` (digit 4 from century and sex)."""
    century_digit = (birth_date.year - 1900) // 100 * 2 + (1 if sex == "female" else 0)
    return f"{province}{century_digit}{birth_date.year % 100:02d}{serial % 1_000_000:06d}"


async def make_citizen(session: AsyncSession, **overrides: Any) -> Citizen:
    """Add a citizen (and their phones) with sensible unique defaults.

    Overrides are Citizen columns, plus `phones` (a list of E.164 numbers, default one mobile).
    The default CCCD agrees with the birth date and sex, as real ones do.
    """
    serial = next(_serials)
    birth_date = overrides.pop("birth_date", date(1985, 3, 14))
    sex = overrides.pop("sex", "female")
    phones = overrides.pop("phones", [f"+8491{serial % 10_000_000:07d}"])
    values: dict[str, Any] = {
        "source_key": f"test:citizen:{serial}",
        "full_name": f"Nguyễn Thị Thử {serial}",
        "birth_date": birth_date,
        "sex": sex,
        "national_id": cccd_for(birth_date, sex, serial=serial),
        "province": "Cà Mau",
    }
    values.update(overrides)
    citizen = Citizen(**values)
    session.add(citizen)
    await session.flush()
    for phone in phones:
        session.add(CitizenPhone(citizen_id=citizen.id, e164=phone))
    await session.flush()
    return citizen


async def make_account(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    consented_at: datetime | None = datetime(2026, 1, 1, tzinfo=UTC),
    **overrides: Any,
) -> TelegramAccount:
    """Add a Telegram account, consented by default (`consented_at=None` for one that has not)."""
    values: dict[str, Any] = {
        "telegram_user_id": telegram_user_id,
        "chat_id": telegram_user_id,
        "consent_version": "1" if consented_at is not None else None,
        "consented_at": consented_at,
        "language": "vi",
    }
    values.update(overrides)
    account = TelegramAccount(**values)
    session.add(account)
    await session.flush()
    return account


async def sign_in_directly(
    session: AsyncSession,
    citizen: Citizen,
    telegram_user_id: int,
    *,
    now: datetime,
    session_length: timedelta = timedelta(days=30),
    language: str | None = "vi",
    **overrides: Any,
) -> TelegramAccount:
    """A consented Telegram account signed in as `citizen` until `now + session_length`.

    For tests of what a signed-in citizen sees; the sign-in conversation has its own tests.
    Overrides are TelegramAccount columns (e.g. `reminders_enabled=False`).
    """
    return await make_account(
        session,
        telegram_user_id,
        consented_at=now - timedelta(minutes=5),
        consent_version=NOTICE_VERSION,
        language=language,
        citizen_id=citizen.id,
        linked_at=now - timedelta(minutes=1),
        link_expires_at=now + session_length,
        **overrides,
    )
