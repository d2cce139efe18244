"""Links between Telegram accounts and citizens: who is signed in, until when; signing out."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import Action, ActorKind, Outcome, record
from bot.db.models import TelegramAccount
from bot.signin import conversation
from bot.signin.results import AccountRef


class LinkState(StrEnum):
    """Why an account cannot see a record right now."""

    EXPIRED = "expired"
    """Linked, but the session is over: ask for the birth date again (`start_recheck`)."""
    NOT_LINKED = "not_linked"


def _unlink(account: TelegramAccount) -> None:
    account.citizen_id = None
    account.linked_at = None
    account.link_expires_at = None


async def current_link(
    session: AsyncSession, telegram_user_id: int, now: datetime
) -> int | LinkState:
    """The citizen id the account is signed in as, or why it is not."""
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None or account.citizen_id is None:
        return LinkState.NOT_LINKED
    if account.link_expires_at is None or account.link_expires_at <= now:
        return LinkState.EXPIRED
    return account.citizen_id


async def linked_account(session: AsyncSession, citizen_id: int) -> TelegramAccount | None:
    """The account linked to a citizen (expired or not), if any."""
    return await session.scalar(
        select(TelegramAccount).where(TelegramAccount.citizen_id == citizen_id)
    )


async def link(
    session: AsyncSession,
    account: TelegramAccount,
    citizen_id: int,
    now: datetime,
    session_length: timedelta,
) -> AccountRef | None:
    """Link `account` to the citizen; any other account linked to it is signed out and returned."""
    previous = await linked_account(session, citizen_id)
    displaced = None
    if previous is not None and previous.telegram_user_id != account.telegram_user_id:
        displaced = AccountRef(previous.telegram_user_id, previous.chat_id)
        _unlink(previous)
        await session.flush()
        await record(
            session,
            actor_kind=ActorKind.SYSTEM,
            action=Action.SIGNED_OUT_BY_TAKEOVER,
            actor_telegram_id=previous.telegram_user_id,
            subject_citizen_id=citizen_id,
            outcome=Outcome.SUCCESS,
            detail="another Telegram account signed in as this citizen",
            at=now,
        )
    account.citizen_id = citizen_id
    account.linked_at = now
    account.link_expires_at = now + session_length
    await session.flush()
    return displaced


async def logout(session: AsyncSession, telegram_user_id: int, now: datetime) -> bool:
    """Sign the account out (and drop any sign-in in progress); True if it was linked."""
    await conversation.clear(session, telegram_user_id)
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None or account.citizen_id is None:
        return False
    citizen_id = account.citizen_id
    _unlink(account)
    await session.flush()
    await record(
        session,
        actor_kind=ActorKind.TELEGRAM_USER,
        action=Action.SIGN_OUT,
        actor_telegram_id=telegram_user_id,
        actor_citizen_id=citizen_id,
        subject_citizen_id=citizen_id,
        outcome=Outcome.SUCCESS,
        at=now,
    )
    return True
