"""Lab results and measurements: the latest value of each test, one test's history, key results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Facility, Observation
from bot.records.common import (
    CITIZEN,
    Page,
    among,
    citizen_param,
    make_page,
    not_among,
    page_offset,
    prebuilt,
)

RESULTS_PAGE_SIZE = 8
HISTORY_LIMIT = 100
HIDDEN_CATEGORIES = ("survey", "social-history")
"""Questionnaire answers and smoking status are observations too, but not results to show."""

_ABOVE_CODES = frozenset({"H", "HH", "HU", ">"})
_BELOW_CODES = frozenset({"L", "LL", "LU", "<"})
_ABNORMAL_CODES = frozenset({"A", "AA"})


class Marker(StrEnum):
    """Where a value lies against its reference range."""

    ABOVE = "above"
    BELOW = "below"
    NORMAL = "normal"
    ABNORMAL = "abnormal"
    UNKNOWN = "unknown"


def range_marker(
    value: float | None, low: float | None, high: float | None, interpretation: str | None
) -> Marker:
    """Compare a number with its range; without a range, read the facility's interpretation code."""
    if value is not None and (low is not None or high is not None):
        if high is not None and value > high:
            return Marker.ABOVE
        if low is not None and value < low:
            return Marker.BELOW
        return Marker.NORMAL
    code = (interpretation or "").strip().upper()
    if code in _ABOVE_CODES:
        return Marker.ABOVE
    if code in _BELOW_CODES:
        return Marker.BELOW
    if code in _ABNORMAL_CODES:
        return Marker.ABNORMAL
    return Marker.NORMAL if code == "N" else Marker.UNKNOWN


@dataclass(frozen=True)
class ResultItem:
    """One measured value with its unit, reference range and facility."""

    observation_id: int
    code: str
    name: str
    value_number: float | None
    value_text: str | None
    unit: str | None
    reference_low: float | None
    reference_high: float | None
    reference_text: str | None
    interpretation: str | None
    effective: datetime | None
    facility: str | None
    values_recorded: int = 1

    @property
    def marker(self) -> Marker:
        """Above, below or within the reference range."""
        return range_marker(
            self.value_number, self.reference_low, self.reference_high, self.interpretation
        )


@dataclass(frozen=True)
class ResultHistory:
    """Every recorded value of one test, newest first."""

    code: str
    name: str
    items: tuple[ResultItem, ...]


class KeyResultKind(StrEnum):
    """The results shown on the record summary."""

    BLOOD_PRESSURE = "blood_pressure"
    GLUCOSE = "glucose"
    HBA1C = "hba1c"
    CHOLESTEROL = "cholesterol"
    CREATININE = "creatinine"
    EGFR = "egfr"
    BMI = "bmi"
    WEIGHT = "weight"


SYSTOLIC_CODE = "8480-6"
DIASTOLIC_CODE = "8462-4"
KEY_RESULT_CODES: dict[str, KeyResultKind] = {
    SYSTOLIC_CODE: KeyResultKind.BLOOD_PRESSURE,
    "55284-4": KeyResultKind.BLOOD_PRESSURE,  # blood pressure panel, value written "120/80"
    "85354-9": KeyResultKind.BLOOD_PRESSURE,
    "2339-0": KeyResultKind.GLUCOSE,
    "2345-7": KeyResultKind.GLUCOSE,
    "1558-6": KeyResultKind.GLUCOSE,
    "41653-7": KeyResultKind.GLUCOSE,
    "4548-4": KeyResultKind.HBA1C,
    "17856-6": KeyResultKind.HBA1C,
    "2093-3": KeyResultKind.CHOLESTEROL,
    "2160-0": KeyResultKind.CREATININE,
    "33914-3": KeyResultKind.EGFR,
    "62238-1": KeyResultKind.EGFR,
    "39156-5": KeyResultKind.BMI,
    "29463-7": KeyResultKind.WEIGHT,
}


@dataclass(frozen=True)
class KeyResult:
    """A key result; blood pressure carries the diastolic value as `companion`."""

    kind: KeyResultKind
    result: ResultItem
    companion: ResultItem | None = None


def shown_category() -> ColumnElement[bool]:
    """Observations that are results (not questionnaire answers)."""
    return or_(Observation.category.is_(None), not_among(Observation.category, HIDDEN_CATEGORIES))


def result_columns() -> tuple[Any, ...]:
    """The observation columns a ResultItem is made of, in order (facility id last)."""
    o = Observation
    return (
        o.id,
        o.code,
        o.name,
        o.value_number,
        o.value_text,
        o.unit,
        o.reference_low,
        o.reference_high,
        o.reference_text,
        o.interpretation,
        o.effective,
        o.facility_id,
    )


def result_from_row(row: Any, facility: str | None, values_recorded: int = 1) -> ResultItem:
    """A ResultItem from a row selected with `result_columns()`."""
    return ResultItem(
        observation_id=row.id,
        code=row.code,
        name=row.name,
        value_number=row.value_number,
        value_text=row.value_text,
        unit=row.unit,
        reference_low=row.reference_low,
        reference_high=row.reference_high,
        reference_text=row.reference_text,
        interpretation=row.interpretation,
        effective=row.effective,
        facility=facility,
        values_recorded=values_recorded,
    )


def _latest_per_code(citizen_id: Any, *conditions: ColumnElement[bool]) -> Select[Any]:
    """The latest observation of each test code (window function, one pass over the index)."""
    newest_first = (Observation.effective.desc().nulls_last(), Observation.id.desc())
    ranked = (
        select(
            *result_columns(),
            func.row_number()
            .over(partition_by=Observation.code, order_by=newest_first)
            .label("rank"),
            func.count().over(partition_by=Observation.code).label("values_recorded"),
        )
        .where(Observation.citizen_id == citizen_id, shown_category(), *conditions)
        .subquery()
    )
    return (
        select(ranked, Facility.name.label("facility"))
        .outerjoin(Facility, Facility.id == ranked.c.facility_id)
        .where(ranked.c.rank == 1)
    )


async def latest_results(
    session: AsyncSession, citizen_id: int, page: int = 1, size: int = RESULTS_PAGE_SIZE
) -> Page[ResultItem]:
    """The latest value of every test from all facilities, most recently measured first."""
    latest = _latest_per_code(citizen_id).subquery()
    rows = (
        await session.execute(
            select(latest, func.count().over().label("total"))
            .order_by(latest.c.effective.desc().nulls_last(), latest.c.name, latest.c.id)
            .limit(size)
            .offset(page_offset(page, size))
        )
    ).all()
    if not rows and page > 1:
        return await latest_results(session, citizen_id, 1, size)
    total = rows[0].total if rows else 0
    items = [result_from_row(row, row.facility, row.values_recorded) for row in rows]
    return make_page(items, page, size, total)


async def result_history(
    session: AsyncSession, citizen_id: int, observation_id: int, limit: int = HISTORY_LIMIT
) -> ResultHistory | None:
    """All values of the test of one observation, newest first; None if it is not this citizen's."""
    same_test = (
        select(Observation.code)
        .where(Observation.id == observation_id, Observation.citizen_id == citizen_id)
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(*result_columns(), Facility.name.label("facility"))
            .outerjoin(Facility, Facility.id == Observation.facility_id)
            .where(Observation.citizen_id == citizen_id, Observation.code == same_test)
            .order_by(Observation.effective.desc().nulls_last(), Observation.id.desc())
            .limit(limit)
        )
    ).all()
    if not rows:
        return None
    items = tuple(result_from_row(row, row.facility) for row in rows)
    return ResultHistory(code=items[0].code, name=items[0].name, items=items)


@prebuilt
def key_results_query() -> Select[Any]:
    """The latest observation of each key test code (and the diastolic pressure)."""
    codes = [*KEY_RESULT_CODES, DIASTOLIC_CODE]
    return _latest_per_code(citizen_param(), among(Observation.code, codes))


async def key_results(session: AsyncSession, citizen_id: int) -> tuple[KeyResult, ...]:
    """The latest blood pressure, glucose, HbA1c, ... in the order of `KeyResultKind`."""
    rows = (await session.execute(key_results_query(), {CITIZEN: citizen_id})).all()
    return key_results_from_rows(rows)


def key_results_from_rows(rows: Iterable[Any]) -> tuple[KeyResult, ...]:
    """Key results from the rows of `key_results_query`, in the order of `KeyResultKind`."""
    latest = {row.code: result_from_row(row, row.facility, row.values_recorded) for row in rows}
    found: list[KeyResult] = []
    for kind in KeyResultKind:
        candidates = [item for code, item in latest.items() if KEY_RESULT_CODES.get(code) == kind]
        if not candidates:
            continue
        newest = max(candidates, key=_moment_key)
        companion = latest.get(DIASTOLIC_CODE) if newest.code == SYSTOLIC_CODE else None
        found.append(KeyResult(kind, newest, companion))
    return tuple(found)


def _moment_key(item: ResultItem) -> tuple[bool, datetime | None, int]:
    return (item.effective is not None, item.effective, item.observation_id)
