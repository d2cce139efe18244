"""Explicit, recorded consent to process health data; withdrawal with erasure (/deletemydata)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import Action, ActorKind, Outcome, record
from bot.db.models import AuditEntry, ConversationState, SignInAttempt, SignInLock, TelegramAccount
from bot.signin.throttle import account_lock_key


class KeptRecord(StrEnum):
    """Records that survive an erasure request, and why (tell the user; Decree 356/2025)."""

    AUDIT_LOG = "audit_log"
    """The proof of who accessed which record, and of the consent and its withdrawal."""
    SIGN_IN_ATTEMPTS = "sign_in_attempts"
    """Security records with hashed IDs only; without them a lock could be escaped."""
    SIGN_IN_LOCKS = "sign_in_locks"
    """A running lock on the account, for the same reason."""


@dataclass(frozen=True)
class ErasureReport:
    """What /deletemydata did: was there an account, the citizen unlinked, what was kept."""

    had_account: bool
    unlinked_citizen_id: int | None
    kept: dict[KeptRecord, int]


async def record_consent(
    session: AsyncSession, telegram_user_id: int, chat_id: int, version: str, now: datetime
) -> None:
    """Record that the user agreed to consent text `version` (creating the account row if new)."""
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None:
        account = TelegramAccount(
            telegram_user_id=telegram_user_id, chat_id=chat_id, created_at=now
        )
        session.add(account)
    account.chat_id = chat_id
    account.consent_version = version
    account.consented_at = now
    await session.flush()
    await record(
        session,
        actor_kind=ActorKind.TELEGRAM_USER,
        action=Action.CONSENT_GIVEN,
        actor_telegram_id=telegram_user_id,
        outcome=Outcome.SUCCESS,
        detail=f"consent version {version}",
        at=now,
    )


async def has_consented(
    session: AsyncSession, telegram_user_id: int, version: str | None = None
) -> bool:
    """True when the user's consent is on record (to `version` exactly, when given)."""
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None or account.consented_at is None:
        return False
    return version is None or account.consent_version == version


async def _count(session: AsyncSession, model: type, condition: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(condition)) or 0)


async def withdraw_and_erase(
    session: AsyncSession, telegram_user_id: int, now: datetime
) -> ErasureReport:
    """Withdraw consent and erase the account's data: the link to the citizen, language, reminder
    and notice settings, chat state. The account row itself goes; the audit log stays untouched.

    Returns:
        What was erased and what was kept (with counts), for the confirmation message.
    """
    state = await session.get(ConversationState, telegram_user_id)
    if state is not None:
        await session.delete(state)
    account = await session.get(TelegramAccount, telegram_user_id)
    unlinked = account.citizen_id if account is not None else None
    if account is not None:
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.CONSENT_WITHDRAWN,
            actor_telegram_id=telegram_user_id,
            subject_citizen_id=unlinked,
            outcome=Outcome.SUCCESS,
            detail="account data erased on request",
            at=now,
        )
        await session.delete(account)
    await session.flush()
    kept = {
        KeptRecord.AUDIT_LOG: await _count(
            session, AuditEntry, AuditEntry.actor_telegram_id == telegram_user_id
        ),
        KeptRecord.SIGN_IN_ATTEMPTS: await _count(
            session, SignInAttempt, SignInAttempt.telegram_user_id == telegram_user_id
        ),
        KeptRecord.SIGN_IN_LOCKS: await _count(
            session, SignInLock, SignInLock.key == account_lock_key(telegram_user_id)
        ),
    }
    return ErasureReport(had_account=account is not None, unlinked_citizen_id=unlinked, kept=kept)
