"""Writing facilities and practitioners; resolving references to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.db.models import Facility, FacilityIdentifier, Practitioner
from bot.ingest.store.entities import EntityInput, EntitySpec, resolve_cached, upsert_entities
from bot.ingest.store.records import (
    FACILITY_CODE_SYSTEM,
    FacilityRecord,
    FacilityRef,
    PractitionerRecord,
)
from bot.ingest.store.sourced import upsert_rows
from bot.ingest.store.writer import Change, FacilityInfo, StoreWriter, UpsertResult, table_of

FACILITY_FIELDS = ("name", "kind", "address", "district", "phone")
FACILITIES = EntitySpec(
    table=table_of(Facility),
    identifiers=table_of(FacilityIdentifier),
    owner_column="facility_id",
    natural_column="code",
    natural_system=FACILITY_CODE_SYSTEM,
    fields=FACILITY_FIELDS,
    label_column="name",
    blank_values={"name": ""},
    blank_when_natural=("name",),
)


async def upsert_facilities(writer: StoreWriter, records: Sequence[FacilityRecord]) -> UpsertResult:
    """Merge facilities: matched by code, then source key, then identifiers."""
    items = [
        EntityInput(
            source_key=record.source_key,
            natural=record.code,
            identifiers=record.identifiers,
            values={name: getattr(record, name) for name in FACILITY_FIELDS},
            source_updated=record.source_updated,
        )
        for record in records
    ]
    result = UpsertResult()
    cache = writer.caches.facilities
    for record, outcome in zip(
        records, await upsert_entities(writer, FACILITIES, items), strict=True
    ):
        result.ids[record.source_key] = outcome.id
        result.changes[record.source_key] = outcome.change
        info = FacilityInfo(outcome.id, outcome.label)
        cache.put(FacilityRef.by_key(record.source_key), info)
        if record.code:
            cache.put(FacilityRef.by_code(record.code), info)
        for identifier in record.identifiers:
            cache.put(FacilityRef(identifier.system, identifier.value), info)
    return result


async def resolve_facilities(
    writer: StoreWriter, refs: Iterable[FacilityRef]
) -> dict[FacilityRef, FacilityInfo]:
    """Ids and names of the references that name a stored facility (cached for the run)."""
    return await resolve_cached(
        writer, FACILITIES, writer.caches.facilities, refs, lambda hit: FacilityInfo(*hit)
    )


async def upsert_practitioners(
    writer: StoreWriter, records: Sequence[PractitionerRecord]
) -> UpsertResult:
    """Insert or replace practitioners by source key."""
    table = table_of(Practitioner)
    rows = [
        {
            "source_key": r.source_key,
            "name": r.name,
            "code": r.code,
            "source_updated": r.source_updated,
        }
        for r in records
    ]
    result = await upsert_rows(writer, table, rows)
    for record in records:
        if result.changes.get(record.source_key) is not Change.UNCHANGED:
            writer.caches.practitioners.put(record.source_key, record.name)
    return result


async def practitioner_names(
    writer: StoreWriter, keys: Iterable[str] = (), codes: Iterable[str] = ()
) -> tuple[dict[str, str], dict[str, str]]:
    """Names of stored practitioners by source key and by certificate code."""
    table = table_of(Practitioner)
    cache = writer.caches.practitioners
    by_key: dict[str, str] = {}
    missing = set()
    for key in keys:
        name = cache.get(key)
        if name is None:
            missing.add(key)
        else:
            by_key[key] = name
    for row in await writer.select_in(
        (table.c.source_key, table.c.name), table.c.source_key, missing
    ):
        by_key[row.source_key] = row.name
        cache.put(row.source_key, row.name)
    by_code = {
        row.code: row.name
        for row in await writer.select_in((table.c.code, table.c.name), table.c.code, set(codes))
    }
    return by_key, by_code
