"""Telegram accounts: who is talking to the bot, in which language, linked to whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen, TelegramAccount
from bot.db.reads import read_rows
from bot.settings import SUPPORTED_LOCALES


@dataclass(frozen=True)
class AccountView:
    """A read-only snapshot of an account, loaded once per update."""

    telegram_user_id: int
    chat_id: int
    language: str | None
    consented: bool
    citizen_id: int | None
    link_expires_at: datetime | None
    acting_for_citizen_id: int | None
    reminders_enabled: bool
    notices_muted: bool
    telegram_language_code: str | None = None
    consent_version: str | None = None
    consented_at: datetime | None = None

    def is_linked(self, now: datetime) -> bool:
        """True when linked to a citizen and the link has not expired."""
        return self.citizen_id is not None and (
            self.link_expires_at is None or self.link_expires_at > now
        )


_ACCOUNT_COLUMNS = (
    TelegramAccount.telegram_user_id,
    TelegramAccount.chat_id,
    TelegramAccount.language,
    TelegramAccount.consented_at,
    TelegramAccount.citizen_id,
    TelegramAccount.link_expires_at,
    TelegramAccount.acting_for_citizen_id,
    TelegramAccount.reminders_enabled,
    TelegramAccount.notices_muted,
    TelegramAccount.telegram_language_code,
    TelegramAccount.consent_version,
)


_USER = "telegram_user_id"


@cache
def _account_query() -> Select[Any]:
    """Built once: building a statement and its cache key costs more than running it."""
    return select(*_ACCOUNT_COLUMNS).where(TelegramAccount.telegram_user_id == bindparam(_USER))


def _view(row: Any) -> AccountView:
    return AccountView(
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        language=row.language,
        consented=row.consented_at is not None,
        citizen_id=row.citizen_id,
        link_expires_at=row.link_expires_at,
        acting_for_citizen_id=row.acting_for_citizen_id,
        reminders_enabled=row.reminders_enabled,
        notices_muted=row.notices_muted,
        telegram_language_code=row.telegram_language_code,
        consent_version=row.consent_version,
        consented_at=row.consented_at,
    )


async def load_account(session: AsyncSession, telegram_user_id: int) -> AccountView | None:
    """The account of a Telegram user, or None on first contact (one row of columns, no entity)."""
    row = (await read_rows(session, _account_query(), {_USER: telegram_user_id})).first()
    return _view(row) if row is not None else None


async def ensure_account(
    session: AsyncSession,
    telegram_user_id: int,
    chat_id: int,
    telegram_language_code: str | None,
    now: datetime,
) -> TelegramAccount:
    """The account row of a user, created on first need."""
    row = await session.get(TelegramAccount, telegram_user_id)
    if row is None:
        row = TelegramAccount(
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            telegram_language_code=telegram_language_code,
            created_at=now,
            reminders_enabled=True,
            notices_muted=False,
        )
        session.add(row)
    row.chat_id = chat_id
    row.last_seen_at = now
    if telegram_language_code:
        row.telegram_language_code = telegram_language_code
    return row


async def set_language(
    session: AsyncSession, telegram_user_id: int, chat_id: int, language: str, now: datetime
) -> None:
    """Store the user's explicit language choice."""
    if language not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported language {language!r}")
    row = await ensure_account(session, telegram_user_id, chat_id, None, now)
    row.language = language


async def linked_chat_ids(session: AsyncSession) -> list[int]:
    """Chat ids of every account linked to a citizen."""
    result = await session.scalars(
        select(TelegramAccount.chat_id).where(TelegramAccount.citizen_id.is_not(None))
    )
    return list(result)


async def citizen_full_name(session: AsyncSession, citizen_id: int) -> str | None:
    """The full name of the citizen an account is linked to, to greet them by it."""
    citizen = await session.get(Citizen, citizen_id)
    return citizen.full_name if citizen is not None else None
