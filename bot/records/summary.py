"""The one-message summary of a citizen's record (/record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen
from bot.identity.cccd import mask_id
from bot.records.common import CITIZEN, LOCAL_ZONE, Listing, age_on, citizen_param, local_date, prebuilt
from bot.records.conditions import AllergyItem, ConditionItem, active_allergies, active_conditions
from bot.records.labs import KeyResult, key_results
from bot.records.medications import MedicationItem, current_medications
from bot.records.vaccinations import VaccinationItem, latest_vaccination
from bot.records.visits import VisitItem, recent_visits

SUMMARY_LIST_LIMIT = 10
RECENT_VISITS = 3
KNOWN_SEXES = ("male", "female", "other")


@dataclass(frozen=True)
class PersonFacts:
    """Who the record belongs to; the national ID is already masked."""

    citizen_id: int
    full_name: str
    birth_date: date | None
    age: int | None
    sex: str
    masked_national_id: str | None
    blood_type: str | None


@dataclass(frozen=True)
class RecordSummary:
    """Everything the summary message shows."""

    person: PersonFacts
    allergies: Listing[AllergyItem]
    conditions: Listing[ConditionItem]
    medications: Listing[MedicationItem]
    latest_vaccination: VaccinationItem | None
    recent_visits: tuple[VisitItem, ...]
    key_results: tuple[KeyResult, ...]


@prebuilt
def _person_query() -> Select[Any]:
    c = Citizen
    return select(
        c.id, c.full_name, c.birth_date, c.sex, c.national_id, c.blood_type
    ).where(c.id == citizen_param())


def person_facts(citizen: Any, now: datetime) -> PersonFacts:
    """The personal facts of a citizen (a `Citizen` or a row of its columns), age on today in Vietnam."""
    today = local_date(now, LOCAL_ZONE)
    sex = (citizen.sex or "unknown").lower()
    return PersonFacts(
        citizen_id=citizen.id,
        full_name=citizen.full_name,
        birth_date=citizen.birth_date,
        age=age_on(citizen.birth_date, today) if citizen.birth_date else None,
        sex=sex if sex in KNOWN_SEXES else "unknown",
        masked_national_id=mask_id(citizen.national_id) if citizen.national_id else None,
        blood_type=citizen.blood_type,
    )


async def record_summary(
    session: AsyncSession, citizen_id: int, now: datetime
) -> RecordSummary | None:
    """The summary of a citizen's record (seven small indexed queries); None if no such citizen."""
    citizen = (await session.execute(_person_query(), {CITIZEN: citizen_id})).first()
    if citizen is None:
        return None
    return RecordSummary(
        person=person_facts(citizen, now),
        allergies=await active_allergies(session, citizen_id, SUMMARY_LIST_LIMIT),
        conditions=await active_conditions(session, citizen_id, SUMMARY_LIST_LIMIT),
        medications=await current_medications(session, citizen_id, SUMMARY_LIST_LIMIT),
        latest_vaccination=await latest_vaccination(session, citizen_id),
        recent_visits=await recent_visits(session, citizen_id, RECENT_VISITS),
        key_results=await key_results(session, citizen_id),
    )
