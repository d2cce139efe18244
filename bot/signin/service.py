"""Signing in with three factors (CCCD, own phone, birth date) and re-checking an expired session.

Each call is one step of a flow persisted in `conversation_states`, so any process can take the
next step after a restart. Calls never commit: run each inside the handler's unit of work.

Login: `start_login` -> `submit_id` -> `submit_contact` -> `submit_birthdate`.
Re-check (expired link): `start_recheck` -> `submit_birthdate`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import Outcome
from bot.db.base import utcnow
from bot.db.models import TelegramAccount
from bot.identity.birthdate import BirthdateProblem, parse_birthdate
from bot.identity.cccd import CccdProblem, parse_cccd
from bot.identity.phone import normalise_phone
from bot.signin import conversation, sessions
from bot.signin.consent import has_consented
from bot.signin.conversation import Progress
from bot.signin.outcomes import OutcomeRecorder
from bot.signin.policy import Clock, SignInPolicy, checked_now
from bot.signin.results import (
    BirthdateRejected,
    BirthdateResult,
    ConsentRequired,
    ContactRefusal,
    ContactRefused,
    ContactResult,
    Flow,
    IdRejected,
    IdResult,
    Locked,
    LoginStart,
    OutOfStep,
    Prompt,
    Step,
)
from bot.signin.throttle import Throttle, identifier_hash
from bot.signin.verify import verify_login, verify_recheck

_NATIONAL_ID = "national_id"
_PHONE = "phone"
_CITIZEN_ID = "citizen_id"


class SignInService:
    """The sign-in flows; holds only configuration, all state lives in the database."""

    def __init__(
        self, policy: SignInPolicy, clock: Clock = utcnow, consent_version: str | None = None
    ) -> None:
        """Configure the flows.

        Args:
            policy: Limits and session length (`SignInPolicy.from_settings`).
            clock: Returns the aware UTC time; tests pass a fake one.
            consent_version: When set, consent to exactly this version is required to sign in.
        """
        self.policy = policy
        self.clock = clock
        self.consent_version = consent_version
        self.outcomes = OutcomeRecorder(policy, Throttle(policy))

    async def pending(self, session: AsyncSession, telegram_user_id: int) -> Prompt | None:
        """What the unfinished sign-in waits for, to route the next message after a restart."""
        progress = await conversation.load(
            session, telegram_user_id, checked_now(self.clock), self.policy.abandon_after
        )
        return progress.prompt if progress is not None else None

    async def start_login(self, session: AsyncSession, telegram_user_id: int) -> LoginStart:
        """Begin a sign-in (replacing one in progress): ask for the CCCD."""
        if not await has_consented(session, telegram_user_id, self.consent_version):
            return ConsentRequired()
        return await self._start(session, telegram_user_id, Progress(Flow.LOGIN, Step.AWAIT_ID))

    async def start_recheck(
        self, session: AsyncSession, telegram_user_id: int
    ) -> Prompt | ConsentRequired | Locked | sessions.LinkState:
        """Renew a linked account's session by asking only for the birth date again.

        Returns `LinkState.NOT_LINKED` when the account is not linked to anyone (use `start_login`).
        """
        if not await has_consented(session, telegram_user_id, self.consent_version):
            return ConsentRequired()
        account = await session.get(TelegramAccount, telegram_user_id)
        if account is None or account.citizen_id is None:
            return sessions.LinkState.NOT_LINKED
        progress = Progress(
            Flow.RECHECK, Step.AWAIT_BIRTHDATE, {_CITIZEN_ID: str(account.citizen_id)}
        )
        return await self._start(session, telegram_user_id, progress)

    async def submit_id(self, session: AsyncSession, telegram_user_id: int, text: str) -> IdResult:
        """Take the typed CCCD; an impossible one is refused at once with its `CccdProblem`."""
        now = checked_now(self.clock)
        progress = await self._expect(session, telegram_user_id, Step.AWAIT_ID, now)
        if isinstance(progress, OutOfStep):
            return progress
        checked = parse_cccd(text, self.policy.local_date(now))
        if isinstance(checked, CccdProblem):
            await self.outcomes.audit(
                session, telegram_user_id, Flow.LOGIN, Outcome.REJECTED, now, f"id {checked}"
            )
            return IdRejected(checked)
        id_hash = identifier_hash(checked.number, self.policy.identifier_salt)
        locked = await self.outcomes.refuse_if_locked(
            session, telegram_user_id, Flow.LOGIN, now, id_hash
        )
        if locked is not None:
            return locked
        following = Progress(Flow.LOGIN, Step.AWAIT_PHONE, {_NATIONAL_ID: checked.number})
        await conversation.save(session, telegram_user_id, following, now)
        return following.prompt

    async def submit_contact(
        self,
        session: AsyncSession,
        telegram_user_id: int,
        *,
        phone: str,
        contact_user_id: int | None,
        forwarded: bool,
    ) -> ContactResult:
        """Take a shared contact; only the sender's own counts (their user id, not forwarded)."""
        now = checked_now(self.clock)
        progress = await self._expect(session, telegram_user_id, Step.AWAIT_PHONE, now)
        if isinstance(progress, OutOfStep):
            return progress
        if forwarded or contact_user_id != telegram_user_id:
            return await self._refuse_contact(
                session, telegram_user_id, ContactRefusal.SOMEONE_ELSES_CONTACT, now
            )
        data = {**progress.data, _PHONE: normalise_phone(phone) or ""}
        following = Progress(Flow.LOGIN, Step.AWAIT_BIRTHDATE, data)
        await conversation.save(session, telegram_user_id, following, now)
        return following.prompt

    async def submit_typed_phone(
        self, session: AsyncSession, telegram_user_id: int, text: str
    ) -> ContactResult:
        """A phone number typed as text at the phone step: refused, the share button is required."""
        now = checked_now(self.clock)
        progress = await self._expect(session, telegram_user_id, Step.AWAIT_PHONE, now)
        if isinstance(progress, OutOfStep):
            return progress
        return await self._refuse_contact(
            session, telegram_user_id, ContactRefusal.TYPED_PHONE, now
        )

    async def submit_birthdate(
        self, session: AsyncSession, telegram_user_id: int, text: str
    ) -> BirthdateResult:
        """Take the typed birth date and finish the login or re-check against the store.

        A failed login gives the same `SignInFailed` whichever factor failed and whether or not
        the ID is known; the audit log and `sign_in_attempts` keep which one it was.
        """
        now = checked_now(self.clock)
        progress = await self._expect(session, telegram_user_id, Step.AWAIT_BIRTHDATE, now)
        if isinstance(progress, OutOfStep):
            return progress
        birth_date = parse_birthdate(text, self.policy.local_date(now))
        if isinstance(birth_date, BirthdateProblem):
            return BirthdateRejected(birth_date)
        if progress.flow is Flow.RECHECK:
            return await self._finish_recheck(session, telegram_user_id, progress, birth_date, now)
        return await self._finish_login(session, telegram_user_id, progress, birth_date, now)

    async def cancel(self, session: AsyncSession, telegram_user_id: int) -> bool:
        """Drop the sign-in in progress and what it holds; True if there was one."""
        now = checked_now(self.clock)
        progress = await conversation.load(
            session, telegram_user_id, now, self.policy.abandon_after
        )
        if progress is None:
            return False
        await conversation.clear(session, telegram_user_id)
        await self.outcomes.audit(session, telegram_user_id, progress.flow, Outcome.CANCELLED, now)
        return True

    async def _finish_login(
        self,
        session: AsyncSession,
        telegram_user_id: int,
        progress: Progress,
        birth_date: date,
        now: datetime,
    ) -> BirthdateResult:
        national_id = progress.data[_NATIONAL_ID]
        cccd = parse_cccd(national_id, self.policy.local_date(now))
        if not isinstance(cccd, CccdProblem) and cccd.birth_year != birth_date.year:
            return BirthdateRejected(BirthdateProblem.YEAR_DIFFERS_FROM_ID)
        id_hash = identifier_hash(national_id, self.policy.identifier_salt)
        locked = await self.outcomes.refuse_if_locked(
            session, telegram_user_id, Flow.LOGIN, now, id_hash
        )
        if locked is not None:
            return locked
        verification = await verify_login(
            session, national_id, progress.data.get(_PHONE) or None, birth_date
        )
        return await self.outcomes.conclude(
            session, telegram_user_id, Flow.LOGIN, verification, id_hash, now, national_id
        )

    async def _finish_recheck(
        self,
        session: AsyncSession,
        telegram_user_id: int,
        progress: Progress,
        birth_date: date,
        now: datetime,
    ) -> BirthdateResult:
        citizen_id = int(progress.data[_CITIZEN_ID])
        account = await session.get(TelegramAccount, telegram_user_id)
        if account is None or account.citizen_id != citizen_id:
            await conversation.clear(session, telegram_user_id)
            return OutOfStep(None)
        verification = await verify_recheck(session, citizen_id, birth_date)
        citizen = verification.citizen
        national_id = citizen.national_id if citizen is not None and citizen.national_id else None
        id_hash = identifier_hash(
            national_id or f"citizen:{citizen_id}", self.policy.identifier_salt
        )
        locked = await self.outcomes.refuse_if_locked(
            session, telegram_user_id, Flow.RECHECK, now, id_hash
        )
        if locked is not None:
            return locked
        return await self.outcomes.conclude(
            session, telegram_user_id, Flow.RECHECK, verification, id_hash, now, national_id
        )

    async def _start(
        self, session: AsyncSession, telegram_user_id: int, progress: Progress
    ) -> Prompt | Locked:
        now = checked_now(self.clock)
        locked = await self.outcomes.refuse_if_locked(session, telegram_user_id, progress.flow, now)
        if locked is not None:
            return locked
        await conversation.save(session, telegram_user_id, progress, now)
        return progress.prompt

    async def _expect(
        self, session: AsyncSession, telegram_user_id: int, step: Step, now: datetime
    ) -> Progress | OutOfStep:
        progress = await conversation.load(
            session, telegram_user_id, now, self.policy.abandon_after
        )
        if progress is None:
            return OutOfStep(None)
        if progress.step is not step:
            return OutOfStep(progress.prompt)
        return progress

    async def _refuse_contact(
        self, session: AsyncSession, telegram_user_id: int, reason: ContactRefusal, now: datetime
    ) -> ContactRefused:
        await self.outcomes.audit(
            session, telegram_user_id, Flow.LOGIN, Outcome.REFUSED, now, f"phone {reason}"
        )
        return ContactRefused(reason)
