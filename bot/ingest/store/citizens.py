"""Writing citizens, their phones and guardians; resolving references to citizens."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, update

from bot.db.models import Citizen, CitizenIdentifier, CitizenPhone, Guardianship
from bot.ingest.store.entities import EntityInput, EntitySpec, resolve_cached, upsert_entities
from bot.ingest.store.phones import phone_to_e164
from bot.ingest.store.records import (
    NATIONAL_ID_SYSTEM,
    CitizenRecord,
    CitizenRef,
    GuardianshipRecord,
)
from bot.ingest.store.writer import (
    Change,
    StoreWriter,
    UnresolvedReference,
    UpsertResult,
    cached_statement,
    table_of,
)

CITIZEN_FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "blood_type",
    "address_line",
    "province",
    "district",
    "commune",
    "ethnicity",
    "deceased_at",
)
CITIZENS = EntitySpec(
    table=table_of(Citizen),
    identifiers=table_of(CitizenIdentifier),
    owner_column="citizen_id",
    natural_column="national_id",
    natural_system=NATIONAL_ID_SYSTEM,
    fields=CITIZEN_FIELDS,
    label_column="full_name",
    blank_values={"sex": "unknown", "full_name": ""},
)


def _entity_input(record: CitizenRecord) -> EntityInput:
    values = {name: getattr(record, name) for name in CITIZEN_FIELDS}
    return EntityInput(
        source_key=record.source_key,
        natural=record.national_id,
        identifiers=record.identifiers,
        values=values,
        source_updated=record.source_updated,
        authoritative=record.authoritative,
    )


async def upsert_citizens(writer: StoreWriter, records: Sequence[CitizenRecord]) -> UpsertResult:
    """Merge citizens (see `CitizenRecord`), add their phones and identifiers."""
    result = UpsertResult()
    outcomes = await upsert_entities(writer, CITIZENS, [_entity_input(r) for r in records])
    wanted: dict[int, set[str]] = defaultdict(set)
    for record, outcome in zip(records, outcomes, strict=True):
        for raw in record.phones:
            e164 = phone_to_e164(raw, record.phone_region)
            if e164 is not None:
                wanted[outcome.id].add(e164)
    added = await _add_phones(writer, wanted, {o.id for o in outcomes if not o.created})
    for record, outcome in zip(records, outcomes, strict=True):
        change = outcome.change
        if change is Change.UNCHANGED and outcome.id in added:
            change = Change.UPDATED
        result.ids[record.source_key] = outcome.id
        result.changes[record.source_key] = change
        cache = writer.caches.citizens
        cache.put(CitizenRef.by_key(record.source_key), outcome.id)
        if record.national_id:
            cache.put(CitizenRef.by_national_id(record.national_id), outcome.id)
    return result


async def _add_phones(
    writer: StoreWriter, wanted: Mapping[int, set[str]], existing_citizens: set[int]
) -> set[int]:
    """Insert phones not yet stored; returns the citizens that got one."""
    table = table_of(CitizenPhone)
    stored = {
        (row.citizen_id, row.e164)
        for row in await writer.select_in(
            (table.c.citizen_id, table.c.e164),
            table.c.citizen_id,
            existing_citizens & set(wanted),
        )
    }
    rows: list[dict[str, Any]] = [
        {"citizen_id": citizen, "e164": e164}
        for citizen, phones in wanted.items()
        for e164 in sorted(phones)
        if (citizen, e164) not in stored
    ]
    if rows:
        statement = cached_statement(
            ("phones insert", writer.dialect),
            lambda: writer.insert(table).on_conflict_do_nothing(
                index_elements=["citizen_id", "e164"]
            ),
        )
        await writer.execute(statement, rows)
    return {row["citizen_id"] for row in rows}


async def resolve_citizens(
    writer: StoreWriter, refs: Iterable[CitizenRef]
) -> dict[CitizenRef, int]:
    """Citizen ids of the references that name a stored citizen (cached for the run)."""
    return await resolve_cached(writer, CITIZENS, writer.caches.citizens, refs, lambda hit: hit[0])


async def require_citizens(
    writer: StoreWriter, referrers: Mapping[CitizenRef, Sequence[str]]
) -> dict[CitizenRef, int]:
    """Like `resolve_citizens`, raising `UnresolvedReference` naming the referring records."""
    resolved = await resolve_citizens(writer, referrers)
    unresolved = {ref: keys for ref, keys in referrers.items() if ref not in resolved}
    if unresolved:
        raise UnresolvedReference("citizen", unresolved)
    return resolved


async def upsert_guardianships(
    writer: StoreWriter, records: Sequence[GuardianshipRecord]
) -> UpsertResult:
    """Store or remove guardian-child links; a link's source key may move to another pair."""
    result = UpsertResult()
    if not records:
        return result
    referrers: dict[CitizenRef, list[str]] = defaultdict(list)
    for record in records:
        referrers[record.guardian].append(record.source_key)
        referrers[record.child].append(record.source_key)
    ids = await require_citizens(writer, referrers)
    table = table_of(Guardianship)
    stored = {
        row.source_key: row
        for row in await writer.select_in(
            (
                table.c.id,
                table.c.source_key,
                table.c.guardian_id,
                table.c.child_id,
                table.c.relationship_code,
            ),
            table.c.source_key,
            (r.source_key for r in records),
        )
    }
    stale: list[str] = []
    rows: dict[tuple[int, int], dict[str, object]] = {}
    for record in records:
        previous = stored.get(record.source_key)
        wanted = (ids[record.guardian], ids[record.child], record.relationship_code)
        if not record.active or ids[record.guardian] == ids[record.child]:
            if previous is not None:
                stale.append(record.source_key)
            result.changes[record.source_key] = _removal(previous is not None)
            continue
        if (
            previous is not None
            and (previous.guardian_id, previous.child_id, previous.relationship_code) == wanted
        ):
            result.ids[record.source_key] = previous.id
            result.changes[record.source_key] = Change.UNCHANGED
            continue
        if previous is not None:
            stale.append(record.source_key)
        rows[wanted[:2]] = {
            "guardian_id": wanted[0],
            "child_id": wanted[1],
            "relationship_code": wanted[2],
            "source_key": record.source_key,
        }
        result.changes[record.source_key] = Change.UPDATED if previous else Change.INSERTED
    if stale:
        await writer.execute(delete(table).where(table.c.source_key.in_(stale)))
    if rows:
        insert = writer.insert(table)
        statement = insert.on_conflict_do_update(
            index_elements=["guardian_id", "child_id"],
            set_={
                "relationship_code": insert.excluded.relationship_code,
                "source_key": insert.excluded.source_key,
            },
        ).returning(table.c.id, table.c.source_key)
        written = await writer.execute(statement, list(rows.values()))
        result.ids.update({key: row_id for row_id, key in written.all()})
    return result


def _removal(existed: bool) -> Change:
    return Change.UPDATED if existed else Change.UNCHANGED


async def set_blood_types(writer: StoreWriter, blood_types: Mapping[CitizenRef, str]) -> None:
    """Record citizens' blood types (say, from a blood-group lab result)."""
    if not blood_types:
        return
    ids = await require_citizens(writer, {ref: () for ref in blood_types})
    table = table_of(Citizen)
    statement = (
        update(table).where(table.c.id == bindparam("row_id")).values(blood_type=bindparam("value"))
    )
    await writer.execute(
        statement, [{"row_id": ids[ref], "value": value[:8]} for ref, value in blood_types.items()]
    )
