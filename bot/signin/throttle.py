"""Counting failed sign-ins and locking accounts and IDs with a doubling back-off.

IDs are only ever stored as salted HMAC-SHA256 hashes (IDENTIFIER_SALT), in `sign_in_attempts`
and in lock keys. The rules are described on `SignInPolicy`.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import SignInAttempt, SignInLock
from bot.signin.policy import SignInPolicy


def identifier_hash(national_id: str, salt: str) -> str:
    """The salted hash that stands for an ID in the throttling tables (64 hex characters)."""
    return hmac.new(salt.encode(), national_id.encode(), hashlib.sha256).hexdigest()


def account_lock_key(telegram_user_id: int) -> str:
    """The lock key of a Telegram account."""
    return f"account:{telegram_user_id}"


def id_lock_key(id_hash: str) -> str:
    """The lock key of a hashed ID."""
    return f"id:{id_hash}"


class Throttle:
    """Records attempts and decides locks; never commits."""

    def __init__(self, policy: SignInPolicy) -> None:
        self.policy = policy

    async def locked_until(
        self, session: AsyncSession, now: datetime, *keys: str
    ) -> datetime | None:
        """The end of the longest lock still running on any of `keys`, or None."""
        latest = await session.scalar(
            select(func.max(SignInLock.locked_until)).where(
                SignInLock.key.in_(keys), SignInLock.locked_until > now
            )
        )
        return latest

    async def record_attempt(
        self,
        session: AsyncSession,
        *,
        telegram_user_id: int,
        id_hash: str,
        failed_factor: str | None,
        now: datetime,
    ) -> None:
        """Store one attempt; `failed_factor` None means it succeeded."""
        session.add(
            SignInAttempt(
                telegram_user_id=telegram_user_id,
                national_id_hash=id_hash,
                succeeded=failed_factor is None,
                failed_factor=failed_factor,
                attempted_at=now,
            )
        )
        await session.flush()

    async def lock_after_failure(
        self, session: AsyncSession, *, telegram_user_id: int, id_hash: str, now: datetime
    ) -> datetime | None:
        """Lock the account and/or the ID if this failure reached a limit; the latest lock end."""
        policy = self.policy
        last_success_id = await session.scalar(
            select(func.max(SignInAttempt.id)).where(
                SignInAttempt.telegram_user_id == telegram_user_id, SignInAttempt.succeeded
            )
        )
        account_failures = SignInAttempt.telegram_user_id == telegram_user_id
        if last_success_id is not None:
            account_failures = account_failures & (SignInAttempt.id > last_success_id)
        account_until = await self._lock_if_over(
            session,
            key=account_lock_key(telegram_user_id),
            failures_of=account_failures,
            limit=policy.account_max_failures,
            window=policy.account_window,
            now=now,
        )
        id_until = await self._lock_if_over(
            session,
            key=id_lock_key(id_hash),
            failures_of=SignInAttempt.national_id_hash == id_hash,
            limit=policy.id_max_failures,
            window=policy.id_window,
            now=now,
        )
        ends = [until for until in (account_until, id_until) if until is not None]
        return max(ends) if ends else None

    async def forget_account(self, session: AsyncSession, telegram_user_id: int) -> None:
        """After a success: the account's lock history goes, so the next lock is short again."""
        await session.execute(
            delete(SignInLock).where(SignInLock.key == account_lock_key(telegram_user_id))
        )

    async def _lock_if_over(
        self,
        session: AsyncSession,
        *,
        key: str,
        failures_of: ColumnElement[bool],
        limit: int,
        window: timedelta,
        now: datetime,
    ) -> datetime | None:
        lock = await session.get(SignInLock, key)
        since = now - window
        if lock is not None:
            since = max(since, lock.locked_until - self.policy.lock_duration(lock.level))
        failures = await session.scalar(
            select(func.count())
            .select_from(SignInAttempt)
            .where(failures_of, ~SignInAttempt.succeeded, SignInAttempt.attempted_at > since)
        )
        if (failures or 0) < limit:
            return None
        if lock is None:
            lock = SignInLock(key=key, level=0)
            session.add(lock)
        elif lock.locked_until + self.policy.lock_memory > now:
            lock.level += 1
        else:
            lock.level = 0
        lock.locked_until = now + self.policy.lock_duration(lock.level)
        await session.flush()
        return lock.locked_until
