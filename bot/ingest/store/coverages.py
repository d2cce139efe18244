"""Insurance card periods: one row per citizen, card number and validity period, from any source.

FHIR (a Coverage, a Patient's card identifier) and XML 130 (XML1 MA_THE_BHYT, GT_THE_TU,
GT_THE_DEN) describe the same card period under different source keys. A period already
stored under another key is merged into that row: the newer record overwrites the fields it
has, an older one only fills empty fields, and the row keeps the key it was first stored under
(the source that later withdraws its own key leaves the other source's row alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, and_, bindparam, select, update

from bot.db.models import Coverage
from bot.ingest.store.clinical import newest_records, record_rows
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


async def _stored_periods(
    writer: StoreWriter, table: Table, rows: Sequence[dict[str, Any]]
) -> dict[Period, dict[str, Any]]:
    """Stored rows of the citizens and card numbers of `rows`, by period."""
    statement = cached_statement(
        ("coverage periods",),
        lambda: select(table).where(
            and_(
                table.c.citizen_id.in_(bindparam("citizens", expanding=True)),
                table.c.card_number.in_(bindparam("cards", expanding=True)),
            )
        ),
    )
    wanted = {period_of(row) for row in rows}
    stored: dict[Period, dict[str, Any]] = {}
    for group in chunked(sorted({(row["citizen_id"], row["card_number"]) for row in rows})):
        parameters = {
            "citizens": sorted({citizen for citizen, _ in group}),
            "cards": sorted({card for _, card in group}),
        }
        for found in (await writer.execute(statement, parameters)).all():
            state = dict(found._mapping)
            period = period_of(state)
            if period in wanted:
                stored.setdefault(period, state)
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


async def upsert_coverages(writer: StoreWriter, records: Sequence[CoverageRecord]) -> UpsertResult:
    """Insert or merge insurance card periods: one row per citizen, card and period."""
    table: Table = table_of(Coverage)
    rows, aliases = _one_row_per_period(
        await record_rows(writer, table, newest_records(records))
    )
    stored = await _stored_periods(writer, table, rows)
    fresh, result = [], UpsertResult()
    for row in rows:
        match = stored.get(period_of(row))
        if match is None or match["source_key"] == row["source_key"]:
            fresh.append(row)
            continue
        result.changes[row["source_key"]] = await _update_stored(writer, table, match, row)
        result.ids[row["source_key"]] = match["id"]
    written = await upsert_rows(writer, table, fresh)
    result.ids.update(written.ids)
    result.changes.update(written.changes)
    for merged, kept in aliases.items():
        result.ids[merged], result.changes[merged] = result.ids[kept], result.changes[kept]
    return result
