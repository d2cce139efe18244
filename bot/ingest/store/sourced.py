"""The generic idempotent upsert of rows keyed by `source_key` and stamped by `source_updated`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Table, bindparam, delete, literal, select, union_all

from bot.ingest.store.writer import (
    Change,
    StoreWriter,
    UpsertResult,
    cached_statement,
    chunked,
    fit_to_columns,
    is_newer,
    newer_condition,
)

_STATEMENTS: dict[tuple[str, str, tuple[str, ...]], Any] = {}


def _upsert_statement(writer: StoreWriter, table: Table, columns: tuple[str, ...]) -> Any:
    cache_key = (writer.dialect, table.name, columns)
    statement = _STATEMENTS.get(cache_key)
    if statement is None:
        insert = writer.insert(table)
        updates = {name: insert.excluded[name] for name in columns if name != "source_key"}
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.source_key],
            set_=updates,
            where=newer_condition(table, insert.excluded),
        ).returning(table.c.id, table.c.source_key)
        _STATEMENTS[cache_key] = statement
    return statement


def newest_by_key(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per source key: the newest, the later one on a tie."""
    chosen: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["source_key"]
        previous = chosen.get(key)
        if previous is None or not is_newer(previous["source_updated"], row["source_updated"]):
            chosen[key] = row
    return list(chosen.values())


async def upsert_rows(
    writer: StoreWriter, table: Table, rows: Sequence[dict[str, Any]]
) -> UpsertResult:
    """Insert new rows and replace stored ones that are strictly older; all rows share columns.

    One SELECT finds what is stored, one INSERT ... ON CONFLICT DO UPDATE ... RETURNING writes
    what is new or newer (the guard in the statement keeps it right under concurrent imports).
    """
    result = UpsertResult()
    if not rows:
        return result
    unique_rows = newest_by_key(rows)
    stored = await _stored(writer, table, [row["source_key"] for row in unique_rows])
    to_write = []
    for row in unique_rows:
        previous = stored.get(row["source_key"])
        if previous is None or is_newer(row["source_updated"], previous.source_updated):
            to_write.append(fit_to_columns(table, row))
        else:
            result.ids[row["source_key"]] = previous.id
            result.changes[row["source_key"]] = Change.UNCHANGED
    if to_write:
        statement = _upsert_statement(writer, table, tuple(to_write[0]))
        written = await writer.execute(statement, to_write)
        for row_id, key in written.all():
            result.ids[key] = row_id
            result.changes[key] = Change.UPDATED if key in stored else Change.INSERTED
    for row in to_write:  # lost a race to a concurrent import: keep what is there
        key = row["source_key"]
        if key not in result.ids:
            result.ids[key] = stored[key].id if key in stored else await _id_of(writer, table, key)
            result.changes[key] = Change.UNCHANGED
    return result


async def _stored(writer: StoreWriter, table: Table, keys: list[str]) -> dict[str, Row[Any]]:
    """What is stored under these keys: from the prefetch when it covered them, else queried."""
    known = writer.prefetched.get(table.name, {})
    stored: dict[str, Row[Any]] = {}
    unknown = []
    for key in keys:
        if key in known:
            row = known.pop(key)
            if row is not None:
                stored[key] = row
        else:
            unknown.append(key)
    for row in await writer.select_in(_stored_columns(table), table.c.source_key, unknown):
        stored[row.source_key] = row
    return stored


def _stored_columns(table: Table) -> tuple[Any, ...]:
    return (table.c.id, table.c.source_key, table.c.source_updated)


_PREFETCH_PARAMETERS = 20_000
"""Keys looked up in one UNION ALL query; well below SQLite's and asyncpg's limits."""


def _union_statement(tables: tuple[Table, ...]) -> Any:
    def build() -> Any:
        selects = [
            select(literal(table.name).label("table_name"), *_stored_columns(table)).where(
                table.c.source_key.in_(bindparam(f"keys_{i}", expanding=True))
            )
            for i, table in enumerate(tables)
        ]
        return selects[0] if len(selects) == 1 else union_all(*selects)

    return cached_statement(("prefetch", *(table.name for table in tables)), build)


async def prefetch_stored(
    writer: StoreWriter, keys_by_table: Mapping[Table, Iterable[str]]
) -> None:
    """Look up what is stored under many keys of many tables in one query (UNION ALL).

    Call it before a series of upserts to save one round trip per table; very many keys are
    left to the upserts' own lookups.
    """
    wanted: dict[Table, list[str]] = {}
    for table, keys in sorted(keys_by_table.items(), key=lambda item: item[0].name):
        known = writer.prefetched.setdefault(table.name, {})
        new_keys = sorted(set(keys) - known.keys())
        if new_keys:
            wanted[table] = new_keys
    if not wanted or sum(map(len, wanted.values())) > _PREFETCH_PARAMETERS:
        return
    tables = tuple(wanted)
    parameters = {f"keys_{i}": wanted[table] for i, table in enumerate(tables)}
    for table, keys in wanted.items():
        writer.prefetched[table.name].update(dict.fromkeys(keys))
    for row in (await writer.execute(_union_statement(tables), parameters)).all():
        writer.prefetched[row.table_name][row.source_key] = row


async def _id_of(writer: StoreWriter, table: Table, key: str) -> int:
    rows = await writer.select_in((table.c.id,), table.c.source_key, (key,))
    return int(rows[0].id)


async def delete_by_keys(writer: StoreWriter, table: Table, keys: Sequence[str]) -> int:
    """Delete the rows with these source keys (a source withdrew them); returns how many."""
    writer.forget_prefetched(table)
    deleted = 0
    for chunk in chunked(sorted(set(keys))):
        result = await writer.execute(delete(table).where(table.c.source_key.in_(chunk)))
        deleted += result.rowcount or 0
    return deleted


async def prune_key_family(
    writer: StoreWriter, table: Table, families: dict[str, set[str]]
) -> None:
    """Delete rows keyed `base` or `base#...` whose key is not among the family's current keys.

    A source record stored as several rows (an observation and its components) may shrink.
    """
    writer.forget_prefetched(table)
    for base, keep in families.items():
        pattern = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "#%"
        family = (table.c.source_key == base) | table.c.source_key.like(pattern, escape="\\")
        await writer.execute(delete(table).where(family, table.c.source_key.not_in(sorted(keep))))
