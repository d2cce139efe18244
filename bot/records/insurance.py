"""The health-insurance (BHYT) card: validity, benefit level and recent visits it paid for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Coverage, Facility, Visit
from bot.db.reads import read_rows
from bot.records.beneficiary_groups import group_from_card_number, level_from_card_number
from bot.records.common import CITIZEN, LOCAL_ZONE, citizen_param, local_date, prebuilt

EXPIRING_WITHIN_DAYS = 30
INSURED_VISITS = 5
CARDS_CONSIDERED = 5
LEVEL_PERCENT = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}
"""Benefit level to the share of costs the fund pays (QĐ 1351; level 1 without caps)."""


class CardState(StrEnum):
    """Where a card stands today."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CardStatus:
    """A card's state; `days` is days left when valid or expiring, days since when expired."""

    state: CardState
    days: int | None = None


def card_status(valid_from: date | None, valid_to: date | None, today: date) -> CardStatus:
    """The status of a card valid from `valid_from` to `valid_to` inclusive, seen on `today`."""
    if valid_from is not None and today < valid_from:
        return CardStatus(CardState.NOT_YET_VALID, (valid_from - today).days)
    if valid_to is None:
        return CardStatus(CardState.UNKNOWN if valid_from is None else CardState.VALID)
    days_left = (valid_to - today).days
    if days_left < 0:
        return CardStatus(CardState.EXPIRED, -days_left)
    if days_left <= EXPIRING_WITHIN_DAYS:
        return CardStatus(CardState.EXPIRING, days_left)
    return CardStatus(CardState.VALID, days_left)


@dataclass(frozen=True)
class InsuranceCard:
    """The card as shown to its holder (the full number is allowed here)."""

    card_number: str
    beneficiary_group: str | None
    benefit_level: int | None
    benefit_percent: int | None
    valid_from: date | None
    valid_to: date | None
    primary_care_code: str | None
    primary_care_name: str | None
    five_years_date: date | None
    copay_exempt_from: date | None
    residence_area: str | None
    status: CardStatus


@dataclass(frozen=True)
class InsuredVisit:
    """A visit the insurance paid towards."""

    visit_id: int
    start: datetime | None
    facility: str | None
    total: int | None
    insurance_paid: int
    patient_paid: int | None


@dataclass(frozen=True)
class InsuranceOverview:
    """The current card (None when none is recorded) and the last visits it paid for."""

    card: InsuranceCard | None
    visits: tuple[InsuredVisit, ...]


def _card(row: Any, today: date) -> InsuranceCard:
    cover: Coverage = row.Coverage
    group = cover.beneficiary_group or group_from_card_number(cover.card_number)
    level = cover.benefit_level or level_from_card_number(cover.card_number)
    percent = cover.benefit_percent or (LEVEL_PERCENT.get(level) if level else None)
    return InsuranceCard(
        card_number=cover.card_number,
        beneficiary_group=group.upper() if group else None,
        benefit_level=level,
        benefit_percent=percent,
        valid_from=cover.valid_from,
        valid_to=cover.valid_to,
        primary_care_code=cover.primary_care_code,
        primary_care_name=cover.primary_care_name or row.primary_care_facility,
        five_years_date=cover.five_years_date,
        copay_exempt_from=cover.copay_exempt_from,
        residence_area=cover.residence_area,
        status=card_status(cover.valid_from, cover.valid_to, today),
    )


def _current(cards: list[InsuranceCard]) -> InsuranceCard | None:
    """The card valid today, else the one that starts next, else the latest to have expired."""
    for wanted in (CardState.VALID, CardState.EXPIRING, CardState.NOT_YET_VALID):
        found = [card for card in cards if card.status.state is wanted]
        if found:
            return found[0] if wanted is not CardState.NOT_YET_VALID else found[-1]
    return cards[0] if cards else None


@prebuilt
def _cards_query() -> Select[Any]:
    return (
        select(Coverage, Facility.name.label("primary_care_facility"))
        .outerjoin(Facility, Facility.code == Coverage.primary_care_code)
        .where(Coverage.citizen_id == citizen_param())
        .order_by(Coverage.valid_to.desc().nulls_last(), Coverage.id.desc())
        .limit(CARDS_CONSIDERED)
    )


@prebuilt
def _insured_visits_query() -> Select[Any]:
    return (
        select(
            Visit.id,
            Visit.start,
            func.coalesce(Facility.name, Visit.facility_name).label("facility"),
            Visit.total_cost,
            Visit.insurance_paid,
            Visit.patient_paid,
        )
        .outerjoin(Facility, Facility.id == Visit.facility_id)
        .where(Visit.citizen_id == citizen_param(), Visit.insurance_paid > 0)
        .order_by(Visit.start.desc().nulls_last(), Visit.id.desc())
        .limit(INSURED_VISITS)
    )


async def insurance_overview(
    session: AsyncSession, citizen_id: int, now: datetime
) -> InsuranceOverview:
    """The citizen's current card and the last visits insurance paid for (two queries)."""
    today = local_date(now, LOCAL_ZONE)
    values = {CITIZEN: citizen_id}
    rows = await session.execute(_cards_query(), values)
    card = _current([_card(row, today) for row in rows])
    visits = await read_rows(session, _insured_visits_query(), values)
    return InsuranceOverview(
        card=card,
        visits=tuple(
            InsuredVisit(
                row.id,
                row.start,
                row.facility,
                row.total_cost,
                row.insurance_paid,
                row.patient_paid,
            )
            for row in visits
        ),
    )
