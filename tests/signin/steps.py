"""Drive sign-in flows the way handlers do: one unit of work per user message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.db.models import AuditEntry, CitizenPhone, SignInAttempt
from bot.db.session import Database
from bot.signin import Prompt, SignInService, current_link
from bot.signin.results import BirthdateResult, ContactResult, IdResult, LoginStart
from bot.signin.sessions import LinkState
from tests.factories import make_account, make_citizen


@dataclass(frozen=True)
class Person:
    """A citizen in the store and what they would type to sign in."""

    citizen_id: int
    national_id: str
    phone: str
    birth_date: date

    @property
    def birth_text(self) -> str:
        """The birth date as a user types it."""
        return self.birth_date.strftime("%d/%m/%Y")


async def add_person(db: Database, **overrides: Any) -> Person:
    """A citizen with one phone, in the store."""
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session, **overrides)
        phone = await session.scalar(
            select(CitizenPhone.e164).where(CitizenPhone.citizen_id == citizen.id).limit(1)
        )
        assert citizen.national_id is not None and citizen.birth_date is not None
        return Person(citizen.id, citizen.national_id, phone or "", citizen.birth_date)


async def add_account(db: Database, telegram_user_id: int, **overrides: Any) -> None:
    """A consented Telegram account."""
    async with db.unit_of_work() as session:
        await make_account(session, telegram_user_id, **overrides)


LoginResult = LoginStart | IdResult | ContactResult | BirthdateResult


async def login(
    db: Database,
    service: SignInService,
    telegram_user_id: int,
    *,
    national_id: str,
    phone: str,
    birth_text: str,
) -> LoginResult:
    """All steps with the user's own contact; stops at the first answer that is not a prompt."""
    async with db.unit_of_work() as session:
        started = await service.start_login(session, telegram_user_id)
    if not isinstance(started, Prompt):
        return started
    async with db.unit_of_work() as session:
        after_id = await service.submit_id(session, telegram_user_id, national_id)
    if not isinstance(after_id, Prompt):
        return after_id
    async with db.unit_of_work() as session:
        after_phone = await service.submit_contact(
            session,
            telegram_user_id,
            phone=phone,
            contact_user_id=telegram_user_id,
            forwarded=False,
        )
    if not isinstance(after_phone, Prompt):
        return after_phone
    async with db.unit_of_work() as session:
        return await service.submit_birthdate(session, telegram_user_id, birth_text)


async def login_as(
    db: Database, service: SignInService, telegram_user_id: int, person: Person
) -> LoginResult:
    """A login with all three factors right."""
    return await login(
        db,
        service,
        telegram_user_id,
        national_id=person.national_id,
        phone=person.phone,
        birth_text=person.birth_text,
    )


async def link_of(db: Database, service: SignInService, telegram_user_id: int) -> int | LinkState:
    """`current_link` at the service clock's time."""
    async with db.unit_of_work() as session:
        return await current_link(session, telegram_user_id, service.clock())


async def pending(db: Database, service: SignInService, telegram_user_id: int) -> Prompt | None:
    """What the user's sign-in waits for, read from the database."""
    async with db.unit_of_work() as session:
        return await service.pending(session, telegram_user_id)


async def audit_rows(db: Database) -> list[AuditEntry]:
    """The whole audit log in order."""
    async with db.unit_of_work() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def attempts(db: Database) -> list[SignInAttempt]:
    """Every sign-in attempt in order."""
    async with db.unit_of_work() as session:
        return list(await session.scalars(select(SignInAttempt).order_by(SignInAttempt.id)))
