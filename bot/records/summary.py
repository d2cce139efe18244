"""The one-message summary of a citizen's record (/record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen
from bot.db.reads import read_rows
from bot.identity.cccd import mask_id
from bot.records import access, conditions, labs, medications, vaccinations, visits
from bot.records.access import ChildItem
from bot.records.common import (
    CITIZEN,
    LOCAL_ZONE,
    Listing,
    age_on,
    citizen_param,
    listing,
    local_date,
    prebuilt,
)
from bot.records.conditions import AllergyItem, ConditionItem, active_allergies, active_conditions
from bot.records.json_rows import JsonRows, pack
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


@dataclass(frozen=True)
class _SummaryStatement:
    """The whole summary as one row: the person's columns, then one packed column per section."""

    query: Select[Any]
    allergies: JsonRows
    conditions: JsonRows
    medications: JsonRows
    vaccination: JsonRows
    visits: JsonRows
    key_results: JsonRows
    children: JsonRows | None


@cache
def _summary_statement(dialect: str, with_children: bool) -> _SummaryStatement:
    """Built once per dialect: the section queries of the per-section reads, packed as JSON."""
    limit = SUMMARY_LIST_LIMIT
    children = pack(access.children_query(), dialect, access.children_order()) if with_children else None
    packed = (
        pack(conditions.allergies_query().limit(limit), dialect, conditions.allergy_order()),
        pack(conditions.conditions_query().limit(limit), dialect, conditions.condition_order()),
        pack(medications.current_query().limit(limit), dialect, medications.current_order()),
        pack(vaccinations.latest_query(), dialect, vaccinations.latest_order()),
        pack(visits.recent_query().limit(RECENT_VISITS), dialect, visits.newest_first()),
        pack(labs.key_results_query(), dialect),
    )
    columns = [*packed, children] if children is not None else packed
    query = _person_query().add_columns(
        *(section.column.label(f"section_{number}") for number, section in enumerate(columns))
    )
    return _SummaryStatement(query, *packed, children)


def _decode(statement: _SummaryStatement, row: Any, now: datetime) -> RecordSummary:
    allergies, conditions_, medicines, vaccination, recent, key = row[6:12]
    latest = statement.vaccination.decode(vaccination)
    return RecordSummary(
        person=person_facts(row, now),
        allergies=listing(statement.allergies.decode(allergies), conditions.allergy_from_row),
        conditions=listing(statement.conditions.decode(conditions_), conditions.condition_from_row),
        medications=listing(statement.medications.decode(medicines), medications.current_from_row),
        latest_vaccination=vaccinations.vaccination_from_row(latest[0]) if latest else None,
        recent_visits=tuple(visits.visit_from_row(r) for r in statement.visits.decode(recent)),
        key_results=labs.key_results_from_rows(statement.key_results.decode(key)),
    )


async def record_summary(
    session: AsyncSession, citizen_id: int, now: datetime
) -> RecordSummary | None:
    """The summary of a citizen's record in one statement; None if no such citizen."""
    statement = _summary_statement(session.get_bind().dialect.name, False)
    row = (await read_rows(session, statement.query, {CITIZEN: citizen_id})).first()
    return _decode(statement, row, now) if row is not None else None


async def record_summary_with_children(
    session: AsyncSession, citizen_id: int, now: datetime
) -> tuple[RecordSummary, tuple[ChildItem, ...]] | None:
    """The summary and the citizen's children under 14 (as `children_of`), in one statement."""
    statement = _summary_statement(session.get_bind().dialect.name, True)
    values = {CITIZEN: citizen_id, **access.children_values(citizen_id, now)}
    row = (await read_rows(session, statement.query, values)).first()
    if row is None or statement.children is None:
        return None
    today = local_date(now, LOCAL_ZONE)
    children = tuple(access.child_from_row(r, today) for r in statement.children.decode(row[12]))
    return _decode(statement, row, now), children


async def record_summary_by_section(
    session: AsyncSession, citizen_id: int, now: datetime
) -> RecordSummary | None:
    """The same summary read section by section (seven statements): the reference of the above."""
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
