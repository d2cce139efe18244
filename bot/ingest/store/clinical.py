"""Writing visits (with their children) and the other clinical records; resolving visits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, NamedTuple, Protocol, TypeVar

from sqlalchemy import Table, delete, select

from bot.db.base import Base
from bot.db.models import (
    Allergy,
    Appointment,
    Condition,
    Coverage,
    Diagnosis,
    DiagnosticReport,
    Immunization,
    Medication,
    Observation,
    Practitioner,
    ReminderDelivery,
    Visit,
    VisitService,
)
from bot.ingest.store.citizens import require_citizens
from bot.ingest.store.facilities import resolve_facilities
from bot.ingest.store.records import (
    AllergyRecord,
    AppointmentRecord,
    CitizenRef,
    ConditionRecord,
    CoverageRecord,
    DiagnosticReportRecord,
    FacilityRef,
    ImmunizationRecord,
    MedicationRecord,
    ObservationRecord,
    PractitionerRecord,
    VisitRecord,
)
from bot.ingest.store.sourced import delete_by_keys, prefetch_stored, upsert_rows
from bot.ingest.store.writer import (
    Change,
    StoreWriter,
    UnresolvedReference,
    UpsertResult,
    chunked,
    is_newer,
    table_of,
)
from bot.records.reminder_schedule import ReminderKind

R = TypeVar("R", bound="_Stamped")
_NOT_COLUMNS = {
    "citizen",
    "facility",
    "visit_key",
    "diagnoses",
    "services",
    "medications",
    "observations",
}
_COLUMNS: dict[type, tuple[str, ...]] = {}
REMINDER_KINDS: dict[type[Base], tuple[str, ...]] = {
    Appointment: tuple(str(kind) for kind in ReminderKind if kind.is_appointment),
    Coverage: tuple(str(kind) for kind in ReminderKind if not kind.is_appointment),
}
"""The kinds of reminder kept about each kind of record, by its id."""


def _columns(record_type: type) -> tuple[str, ...]:
    columns = _COLUMNS.get(record_type)
    if columns is None:
        columns = tuple(f.name for f in fields(record_type) if f.name not in _NOT_COLUMNS)
        _COLUMNS[record_type] = columns
    return columns


class _Stamped(Protocol):
    source_key: str
    source_updated: datetime | None


def newest_records(records: Sequence[R]) -> list[R]:
    """One record per source key: the newest, the later one on a tie."""
    chosen: dict[str, R] = {}
    for record in records:
        key = record.source_key
        previous = chosen.get(key)
        if previous is None or not is_newer(previous.source_updated, record.source_updated):
            chosen[key] = record
    return list(chosen.values())


_TABLES: dict[type, type[Base]] = {
    VisitRecord: Visit,
    ConditionRecord: Condition,
    AllergyRecord: Allergy,
    ImmunizationRecord: Immunization,
    MedicationRecord: Medication,
    ObservationRecord: Observation,
    DiagnosticReportRecord: DiagnosticReport,
    AppointmentRecord: Appointment,
    CoverageRecord: Coverage,
    PractitionerRecord: Practitioner,
}


async def prefetch_records(writer: StoreWriter, records: Iterable[Any]) -> None:
    """Find what is stored for many records of several kinds in one query, ahead of upserts."""
    keys: dict[Table, list[str]] = defaultdict(list)
    for record in records:
        model = _TABLES.get(type(record))
        if model is not None:
            keys[table_of(model)].append(record.source_key)
    if keys:
        await prefetch_stored(writer, keys)


async def resolve_visits(writer: StoreWriter, keys: Iterable[str]) -> dict[str, int]:
    """Ids of the stored visits with these source keys (cached for the run)."""
    cache = writer.caches.visits
    resolved: dict[str, int] = {}
    missing = set()
    for key in keys:
        cached = cache.get(key)
        if cached is None:
            missing.add(key)
        else:
            resolved[key] = cached
    table = table_of(Visit)
    for row in await writer.select_in(
        (table.c.id, table.c.source_key), table.c.source_key, missing
    ):
        resolved[row.source_key] = row.id
        cache.put(row.source_key, row.id)
    return resolved


async def record_rows(
    writer: StoreWriter, table: Table, records: Sequence[Any]
) -> list[dict[str, Any]]:
    """Column values of records, their references turned into ids."""
    citizens: dict[CitizenRef, list[str]] = defaultdict(list)
    facilities: dict[FacilityRef, list[str]] = defaultdict(list)
    visits: dict[str, list[str]] = defaultdict(list)
    for record in records:
        citizens[record.citizen].append(record.source_key)
        if getattr(record, "facility", None) is not None:
            facilities[record.facility].append(record.source_key)
        if getattr(record, "visit_key", None) is not None:
            visits[record.visit_key].append(record.source_key)
    citizen_ids = await require_citizens(writer, citizens)
    facility_infos = await resolve_facilities(writer, facilities)
    if len(facility_infos) < len(facilities):
        raise UnresolvedReference(
            "facility", {r: k for r, k in facilities.items() if r not in facility_infos}
        )
    visit_ids = await resolve_visits(writer, visits)
    if len(visit_ids) < len(visits):
        raise UnresolvedReference("visit", {v: k for v, k in visits.items() if v not in visit_ids})
    columns = _columns(type(records[0])) if records else ()
    has_facility, has_visit = "facility_id" in table.c, "visit_id" in table.c
    rows = []
    for record in records:
        row = {name: getattr(record, name) for name in columns}
        row["citizen_id"] = citizen_ids[record.citizen]
        if has_facility:
            info = facility_infos.get(record.facility) if record.facility else None
            row["facility_id"] = info.id if info else None
            if "facility_name" in row and info is not None:
                row["facility_name"] = info.name
        if has_visit:
            row["visit_id"] = visit_ids[record.visit_key] if record.visit_key else None
        rows.append(row)
    return rows


async def _upsert(writer: StoreWriter, model: type[Base], records: Sequence[Any]) -> UpsertResult:
    table: Table = table_of(model)
    return await upsert_rows(writer, table, await record_rows(writer, table, newest_records(records)))


async def upsert_visits(writer: StoreWriter, records: Sequence[VisitRecord]) -> UpsertResult:
    """Insert or replace visits; children given on a record replace the stored ones."""
    unique = newest_records(records)
    result = await _upsert(writer, Visit, unique)
    for key, visit_id in result.ids.items():
        writer.caches.visits.put(key, visit_id)
    changed = [r for r in unique if result.changes[r.source_key] is not Change.UNCHANGED]
    replaced = {
        result.ids[r.source_key] for r in changed if result.changes[r.source_key] is Change.UPDATED
    }
    await _replace_plain_children(
        writer, table_of(Diagnosis), result, changed, replaced, "diagnoses"
    )
    await _replace_plain_children(
        writer, table_of(VisitService), result, changed, replaced, "services"
    )
    for attribute, model in (("medications", Medication), ("observations", Observation)):
        owners = [r for r in changed if getattr(r, attribute) is not None]
        table: Table = table_of(model)
        await _delete_children(writer, table, {result.ids[r.source_key] for r in owners} & replaced)
        children = []
        for visit in owners:
            for child in getattr(visit, attribute):
                child.visit_key = visit.source_key
                children.append(child)
        if children:
            await _upsert(writer, model, children)
    return result


async def _delete_children(writer: StoreWriter, table: Table, visit_ids: set[int]) -> None:
    if visit_ids:
        writer.forget_prefetched(table)
        await writer.execute(delete(table).where(table.c.visit_id.in_(sorted(visit_ids))))


async def _replace_plain_children(
    writer: StoreWriter,
    table: Table,
    result: UpsertResult,
    changed: Sequence[VisitRecord],
    replaced: set[int],
    attribute: str,
) -> None:
    owners = [r for r in changed if getattr(r, attribute) is not None]
    await _delete_children(writer, table, {result.ids[r.source_key] for r in owners} & replaced)
    rows = []
    for visit in owners:
        for child in getattr(visit, attribute):
            row = {f.name: getattr(child, f.name) for f in fields(child)}
            row["visit_id"] = result.ids[visit.source_key]
            rows.append(row)
    if rows:
        await writer.execute(writer.insert(table), rows)


async def upsert_conditions(
    writer: StoreWriter, records: Sequence[ConditionRecord]
) -> UpsertResult:
    """Insert or replace conditions."""
    return await _upsert(writer, Condition, records)


async def upsert_allergies(writer: StoreWriter, records: Sequence[AllergyRecord]) -> UpsertResult:
    """Insert or replace allergies."""
    return await _upsert(writer, Allergy, records)


async def upsert_immunizations(
    writer: StoreWriter, records: Sequence[ImmunizationRecord]
) -> UpsertResult:
    """Insert or replace immunizations."""
    return await _upsert(writer, Immunization, records)


async def upsert_medications(
    writer: StoreWriter, records: Sequence[MedicationRecord]
) -> UpsertResult:
    """Insert or replace medications not given as children of a visit."""
    return await _upsert(writer, Medication, records)


async def upsert_observations(
    writer: StoreWriter, records: Sequence[ObservationRecord]
) -> UpsertResult:
    """Insert or replace observations not given as children of a visit."""
    return await _upsert(writer, Observation, records)


async def upsert_diagnostic_reports(
    writer: StoreWriter, records: Sequence[DiagnosticReportRecord]
) -> UpsertResult:
    """Insert or replace diagnostic reports."""
    return await _upsert(writer, DiagnosticReport, records)


async def upsert_appointments(
    writer: StoreWriter, records: Sequence[AppointmentRecord]
) -> UpsertResult:
    """Insert or replace appointments (the bot's cancellation columns are kept)."""
    return await _upsert(writer, Appointment, records)


class ConditionSummary(NamedTuple):
    """What a visit's diagnosis needs from a stored condition."""

    code: str | None
    code_system: str | None
    name: str | None


async def condition_summaries(
    writer: StoreWriter, keys: Iterable[str]
) -> dict[str, ConditionSummary]:
    """Codes and names of stored conditions by source key."""
    table = table_of(Condition)
    rows = await writer.select_in(
        (table.c.source_key, table.c.code, table.c.code_system, table.c.name),
        table.c.source_key,
        set(keys),
    )
    return {row.source_key: ConditionSummary(row.code, row.code_system, row.name) for row in rows}


async def delete_records(writer: StoreWriter, model: type[Base], keys: Sequence[str]) -> int:
    """Delete records a source withdrew (say, entered in error); returns how many were stored.

    Reminders about a deleted appointment or card go with it: a row id can be used again (on
    SQLite), and a new card must not inherit the old one's "already reminded".
    """
    kinds = REMINDER_KINDS.get(model)
    if kinds:
        await _delete_reminders(writer, table_of(model), kinds, keys)
    return await delete_by_keys(writer, table_of(model), keys)


async def _delete_reminders(
    writer: StoreWriter, table: Table, kinds: tuple[str, ...], keys: Sequence[str]
) -> None:
    deliveries = table_of(ReminderDelivery)
    for chunk in chunked(sorted(set(keys))):
        owners = select(table.c.id).where(table.c.source_key.in_(chunk))
        await writer.execute(
            delete(deliveries).where(deliveries.c.kind.in_(kinds), deliveries.c.object_id.in_(owners))
        )
