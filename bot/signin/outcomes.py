"""How a sign-in step ends: attempt recorded, link made or failure counted, all audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import Action, ActorKind, Outcome, record
from bot.db.models import TelegramAccount
from bot.signin import conversation, sessions
from bot.signin.policy import SignInPolicy
from bot.signin.results import AccountRef, Flow, Locked, OutOfStep, SignedIn, SignInFailed
from bot.signin.throttle import Throttle, account_lock_key, id_lock_key
from bot.signin.verify import Verification


class OutcomeRecorder:
    """Concludes sign-in steps for `SignInService`; never commits."""

    def __init__(self, policy: SignInPolicy, throttle: Throttle) -> None:
        self.policy = policy
        self.throttle = throttle

    async def conclude(
        self,
        session: AsyncSession,
        telegram_user_id: int,
        flow: Flow,
        verification: Verification,
        id_hash: str,
        now: datetime,
        national_id: str | None,
    ) -> SignedIn | SignInFailed | OutOfStep:
        """Record the attempt; link the account on success, count the failure (maybe lock) if not.

        The failure is the same whichever factor failed; which one is kept in the audit detail.
        """
        await conversation.clear(session, telegram_user_id)
        account = await session.get(TelegramAccount, telegram_user_id)
        if account is None:
            return OutOfStep(None)
        await self.throttle.record_attempt(
            session,
            telegram_user_id=telegram_user_id,
            id_hash=id_hash,
            failed_factor=verification.failed_factor,
            now=now,
        )
        citizen = verification.citizen
        subject = citizen.id if citizen is not None else None
        if citizen is not None and verification.succeeded:
            await self.throttle.forget_account(session, telegram_user_id)
            displaced = await sessions.link(
                session, account, citizen.id, now, self.policy.session_length
            )
            await self.audit(session, telegram_user_id, flow, Outcome.SUCCESS, now, subject=subject)
            return SignedIn(citizen.id, now + self.policy.session_length, displaced)
        retry_at = await self.throttle.lock_after_failure(
            session, telegram_user_id=telegram_user_id, id_hash=id_hash, now=now
        )
        detail = f"failed {verification.failed_factor} with id {national_id or '-'}"
        if retry_at is not None:
            detail += f"; locked until {retry_at.isoformat()}"
        await self.audit(
            session, telegram_user_id, flow, Outcome.FAILURE, now, detail, subject=subject
        )
        owner = await sessions.linked_account(session, subject) if subject is not None else None
        alert = None
        if owner is not None and owner.telegram_user_id != telegram_user_id:
            alert = AccountRef(owner.telegram_user_id, owner.chat_id)
        return SignInFailed(retry_at, alert)

    async def refuse_if_locked(
        self,
        session: AsyncSession,
        telegram_user_id: int,
        flow: Flow,
        now: datetime,
        id_hash: str | None = None,
    ) -> Locked | None:
        """`Locked` (ending the flow) if the account or the hashed ID is locked, else None."""
        keys = [account_lock_key(telegram_user_id)]
        if id_hash is not None:
            keys.append(id_lock_key(id_hash))
        until = await self.throttle.locked_until(session, now, *keys)
        if until is None:
            return None
        await conversation.clear(session, telegram_user_id)
        await self.audit(
            session, telegram_user_id, flow, Outcome.LOCKED, now, f"until {until.isoformat()}"
        )
        return Locked(until)

    async def audit(
        self,
        session: AsyncSession,
        telegram_user_id: int,
        flow: Flow,
        outcome: Outcome,
        now: datetime,
        detail: str | None = None,
        *,
        subject: int | None = None,
    ) -> None:
        """Log one step's outcome under the flow's action (`sign_in` or `recheck`)."""
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.RECHECK if flow is Flow.RECHECK else Action.SIGN_IN,
            actor_telegram_id=telegram_user_id,
            actor_citizen_id=subject if outcome is Outcome.SUCCESS else None,
            subject_citizen_id=subject,
            outcome=outcome,
            detail=detail,
            at=now,
        )
