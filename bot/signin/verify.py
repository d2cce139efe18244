"""Compare what the user entered with the health-record store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen, CitizenPhone
from bot.identity.phone import normalise_phone


class Factor(StrEnum):
    """A piece of evidence that did not match (recorded internally, never shown to the user)."""

    NATIONAL_ID = "national_id"
    PHONE = "phone"
    BIRTH_DATE = "birth_date"
    DECEASED = "deceased"


@dataclass(frozen=True)
class Verification:
    """The outcome of a comparison: the citizen found (if any) and what failed."""

    citizen: Citizen | None
    failed: tuple[Factor, ...]

    @property
    def succeeded(self) -> bool:
        """True when the citizen was found and nothing failed."""
        return self.citizen is not None and not self.failed

    @property
    def failed_factor(self) -> str | None:
        """The failed factors joined with `+` (e.g. `phone+birth_date`), None on success."""
        return "+".join(self.failed) if self.failed else None


async def _phone_matches(session: AsyncSession, citizen_id: int, phone_e164: str | None) -> bool:
    if phone_e164 is None:
        return False
    stored = await session.scalars(
        select(CitizenPhone.e164).where(CitizenPhone.citizen_id == citizen_id)
    )
    return any(normalise_phone(value) == phone_e164 for value in stored)


def _alive_and_born(citizen: Citizen, birth_date: date) -> list[Factor]:
    failed = []
    if citizen.birth_date != birth_date:
        failed.append(Factor.BIRTH_DATE)
    if citizen.deceased_at is not None:
        failed.append(Factor.DECEASED)
    return failed


async def verify_login(
    session: AsyncSession, national_id: str, phone_e164: str | None, birth_date: date
) -> Verification:
    """Check the three factors: the ID exists, the phone is one of its phones, the birth date."""
    citizen = await session.scalar(select(Citizen).where(Citizen.national_id == national_id))
    if citizen is None:
        return Verification(None, (Factor.NATIONAL_ID,))
    failed = []
    if not await _phone_matches(session, citizen.id, phone_e164):
        failed.append(Factor.PHONE)
    failed.extend(_alive_and_born(citizen, birth_date))
    return Verification(citizen, tuple(failed))


async def verify_recheck(session: AsyncSession, citizen_id: int, birth_date: date) -> Verification:
    """Check the birth date of the citizen an expired link points to."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None:
        return Verification(None, (Factor.NATIONAL_ID,))
    return Verification(citizen, tuple(_alive_and_born(citizen, birth_date)))
