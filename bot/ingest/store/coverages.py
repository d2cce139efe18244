"""Insurance card periods: one row per citizen, card number and validity period, from any source.

FHIR (a Coverage, a Patient's card identifier) and XML 130 (XML1 MA_THE_BHYT, GT_THE_TU,
GT_THE_DEN) describe the same card period under different source keys. A period already
stored under another key is merged into that row: the newer record overwrites the fields it
has, an older one only fills empty fields, and the row keeps the key it was first stored under
(the source that later withdraws its own key leaves the other source's row alone).

The unique index `uq_coverages_card_period` holds the rule in the database too, so two imports
storing the same period at once end with one row: the one that loses the race merges into it.
A source that moves its card period onto one stored under another key merges into that row,
and its own row of the old period is deleted (it would otherwise linger as a second card).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, select, update

from bot.db.models import Coverage, ReminderDelivery
from bot.ingest.store.clinical import REMINDER_KINDS, newest_records, record_rows
from bot.ingest.store.records import CoverageRecord
from bot.ingest.store.sourced import upsert_rows
from bot.ingest.store.writer import (
    Change,
    StoreWriter,
    UpsertResult,
    cached_statement,
    chunked,
    fit_to_columns,
    is_newer,
    table_of,
)

Period = tuple[int, str, date | None, date | None]
_KEEP = ("id", "source_key")
CARD_REMINDER_KINDS = REMINDER_KINDS[Coverage]


def period_of(row: dict[str, Any]) -> Period:
    """What makes two rows the same card period."""
    return (row["citizen_id"], row["card_number"], row["valid_from"], row["valid_to"])


def merge_period(kept: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`kept` with `other`'s values: all of them when `other` is newer, else its fills of gaps."""
    newer = is_newer(other["source_updated"], kept["source_updated"])
    merged = dict(kept)
    for name, value in other.items():
        if name in _KEEP or value is None:
            continue
        if newer or merged.get(name) is None:
            merged[name] = value
    return merged


@dataclass(slots=True)
class _Stored:
    """Stored rows that incoming rows may land on: by period and by source key."""

    by_period: dict[Period, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, state: dict[str, Any]) -> None:
        self.by_period.setdefault(period_of(state), state)
        self.by_key[state["source_key"]] = state


async def _stored_rows(
    writer: StoreWriter, table: Table, rows: Sequence[dict[str, Any]]
) -> _Stored:
    """Stored rows of the citizens and card numbers of `rows`, and those under their keys."""
    statement = cached_statement(
        ("coverage periods",),
        lambda: select(table).where(
            and_(
                table.c.citizen_id.in_(bindparam("citizens", expanding=True)),
                table.c.card_number.in_(bindparam("cards", expanding=True)),
            )
        ),
    )
    stored = _Stored()
    for group in chunked(sorted({(row["citizen_id"], row["card_number"]) for row in rows})):
        parameters = {
            "citizens": sorted({citizen for citizen, _ in group}),
            "cards": sorted({card for _, card in group}),
        }
        for found in (await writer.execute(statement, parameters)).all():
            stored.add(dict(found._mapping))
    known = writer.prefetched.get(table.name, {})
    elsewhere = [  # a key stored under another citizen or card number (or not looked up)
        row["source_key"]
        for row in rows
        if row["source_key"] not in stored.by_key
        and not (row["source_key"] in known and known[row["source_key"]] is None)
    ]
    for found in await writer.select_in((table,), table.c.source_key, elsewhere):
        stored.add(dict(found._mapping))
    return stored


def _one_row_per_period(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Rows of the same period merged into the first one; aliases from merged to kept keys."""
    kept: dict[Period, dict[str, Any]] = {}
    aliases: dict[str, str] = {}
    for row in rows:
        period = period_of(row)
        first = kept.get(period)
        if first is None:
            kept[period] = dict(row)
        else:
            kept[period] = merge_period(first, row)
            aliases[row["source_key"]] = first["source_key"]
    return list(kept.values()), aliases


async def _update_stored(
    writer: StoreWriter, table: Table, stored: dict[str, Any], row: dict[str, Any]
) -> Change:
    """Merge a row into the stored row of its period (kept under the stored key)."""
    merged = merge_period(stored, row)
    if merged == stored:
        return Change.UNCHANGED
    values = fit_to_columns(table, {k: v for k, v in merged.items() if k not in _KEEP})
    await writer.execute(update(table).where(table.c.id == stored["id"]).values(values))
    stored.update(merged)
    return Change.UPDATED


async def _drop_stale(writer: StoreWriter, table: Table, ids: Sequence[int]) -> None:
    """Delete rows whose source now places its card period elsewhere, with their reminders."""
    writer.forget_prefetched(table)
    deliveries = table_of(ReminderDelivery)
    await writer.execute(
        delete(deliveries).where(
            deliveries.c.kind.in_(CARD_REMINDER_KINDS), deliveries.c.object_id.in_(ids)
        )
    )
    await writer.execute(delete(table).where(table.c.id.in_(ids)))


@dataclass(slots=True)
class _Plan:
    """What to do with each incoming row after looking at what is stored."""

    insert: list[dict[str, Any]] = field(default_factory=list)
    replace: list[dict[str, Any]] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)


async def _place(
    writer: StoreWriter,
    table: Table,
    rows: Sequence[dict[str, Any]],
    stored: _Stored,
    result: UpsertResult,
) -> _Plan:
    """Merge rows into stored rows of their period under other keys; plan the rest.

    A row whose key is stored with another period moves that row, unless its new period is
    stored under another key: then it merges there and its own row, now stale, goes.
    """
    plan = _Plan()
    for row in rows:
        key = row["source_key"]
        own, match = stored.by_key.get(key), stored.by_period.get(period_of(row))
        if own is not None and not is_newer(row["source_updated"], own["source_updated"]):
            result.ids[key], result.changes[key] = own["id"], Change.UNCHANGED
        elif match is None or match is own:
            (plan.insert if own is None else plan.replace).append(row)
        else:
            result.changes[key] = await _update_stored(writer, table, match, row)
            result.ids[key] = match["id"]
            if own is not None:
                plan.stale.append(own["id"])
                result.changes[key] = Change.UPDATED
    return plan


async def _insert_new(
    writer: StoreWriter, table: Table, rows: Sequence[dict[str, Any]], result: UpsertResult
) -> list[dict[str, Any]]:
    """Insert rows of new periods under new keys; returns those a concurrent import beat."""
    if not rows:
        return []
    statement = cached_statement(
        ("coverage insert", writer.dialect),
        lambda: writer.insert(table)
        .on_conflict_do_nothing()
        .returning(table.c.id, table.c.source_key),
    )
    written = await writer.execute(statement, [fit_to_columns(table, dict(r)) for r in rows])
    for row_id, key in written.all():
        result.ids[key], result.changes[key] = row_id, Change.INSERTED
    return [row for row in rows if row["source_key"] not in result.ids]


async def upsert_coverages(writer: StoreWriter, records: Sequence[CoverageRecord]) -> UpsertResult:
    """Insert or merge insurance card periods: one row per citizen, card and period.

    A row that loses a race to a concurrent import of the same period (or key) is merged
    into the row that import stored, as if that row had been there from the start.
    """
    table: Table = table_of(Coverage)
    rows, aliases = _one_row_per_period(
        await record_rows(writer, table, newest_records(records))
    )
    result = UpsertResult()
    plan = await _place(writer, table, rows, await _stored_rows(writer, table, rows), result)
    lost = await _insert_new(writer, table, plan.insert, result)
    if lost:
        again = await _place(writer, table, lost, await _stored_rows(writer, table, lost), result)
        plan.replace += again.insert + again.replace
        plan.stale += again.stale
    if plan.stale:
        await _drop_stale(writer, table, plan.stale)
    written = await upsert_rows(writer, table, plan.replace)
    result.ids.update(written.ids)
    result.changes.update(written.changes)
    for merged, kept in aliases.items():
        result.ids[merged], result.changes[merged] = result.ids[kept], result.changes[kept]
    return result
