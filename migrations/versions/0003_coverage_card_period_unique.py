"""One insurance card period per citizen and card number: merge duplicates, then a unique index.

A card period imported from both FHIR and XML 130 before the store merged them may be stored
twice. Each group of duplicates keeps one row, as the store would: the most recently updated
source (the first stored on a tie), its empty fields filled by the others, newest first. Card
expiry reminders of the removed rows move to the kept row (a reminder already sent stays sent).
Missing period ends are compared through COALESCE, since unique indexes treat NULLs as distinct.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEX = "uq_coverages_card_period"
NO_START, NO_END = "0001-01-01", "9999-12-31"
CARD_REMINDER_KINDS = ("card30d", "card7d")
_KEEP = ("id", "source_key", "source_updated")


def _period_columns(table: sa.Table) -> list[Any]:
    return [
        table.c.citizen_id,
        table.c.card_number,
        sa.func.coalesce(table.c.valid_from, sa.text(f"'{NO_START}'")),
        sa.func.coalesce(table.c.valid_to, sa.text(f"'{NO_END}'")),
    ]


def _duplicate_groups(connection: sa.Connection, table: sa.Table) -> list[list[dict[str, Any]]]:
    """Rows of every period stored more than once, grouped by period."""
    period = _period_columns(table)
    keys = [column.label(f"k{i}") for i, column in enumerate(period)]
    groups = sa.select(*keys).group_by(*period).having(sa.func.count() > 1).subquery()
    joined = sa.and_(*(column == groups.c[f"k{i}"] for i, column in enumerate(period)))
    rows = connection.execute(
        sa.select(table, *groups.c).join(groups, joined).order_by(table.c.id)
    ).all()
    by_period: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        values = dict(row._mapping)
        by_period[tuple(values.pop(f"k{i}") for i in range(len(period)))].append(values)
    return list(by_period.values())


def _newest_first(row: dict[str, Any]) -> tuple[bool, datetime, int]:
    stamp = row["source_updated"]
    return (stamp is not None, stamp or datetime.min, -row["id"])


def _merge_group(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    """The kept row, the gaps the others fill in it, and the ids of the others."""
    ordered = sorted(rows, key=_newest_first, reverse=True)
    kept, others = ordered[0], ordered[1:]
    fills: dict[str, Any] = {}
    for other in others:
        for name, value in other.items():
            if name not in _KEEP and value is not None and kept[name] is None:
                fills.setdefault(name, value)
    return kept, fills, [other["id"] for other in others]


def _move_reminders(
    connection: sa.Connection, deliveries: sa.Table, kept_id: int, removed: list[int]
) -> None:
    """One card reminder of each kind for the kept row: a sent one, else the kept row's own."""
    found = connection.execute(
        sa.select(deliveries.c.id, deliveries.c.kind, deliveries.c.object_id, deliveries.c.sent_at)
        .where(
            deliveries.c.kind.in_(CARD_REMINDER_KINDS),
            deliveries.c.object_id.in_([kept_id, *removed]),
        )
        .order_by(deliveries.c.id)
    ).all()
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for delivery in found:
        by_kind[delivery.kind].append(delivery)
    for candidates in by_kind.values():
        chosen = min(
            candidates, key=lambda d: (d.sent_at is None, d.object_id != kept_id, d.id)
        )
        extra = [d.id for d in candidates if d.id != chosen.id]
        if extra:
            connection.execute(sa.delete(deliveries).where(deliveries.c.id.in_(extra)))
        if chosen.object_id != kept_id:
            connection.execute(
                sa.update(deliveries)
                .where(deliveries.c.id == chosen.id)
                .values(object_id=kept_id)
            )


def _merge_duplicates(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    coverages = sa.Table("coverages", metadata, autoload_with=connection)
    deliveries = sa.Table("reminder_deliveries", metadata, autoload_with=connection)
    for rows in _duplicate_groups(connection, coverages):
        kept, fills, removed = _merge_group(rows)
        _move_reminders(connection, deliveries, kept["id"], removed)
        connection.execute(sa.delete(coverages).where(coverages.c.id.in_(removed)))
        if fills:
            connection.execute(
                sa.update(coverages).where(coverages.c.id == kept["id"]).values(fills)
            )


def upgrade() -> None:
    _merge_duplicates(op.get_bind())
    op.create_index(
        INDEX,
        "coverages",
        [
            "citizen_id",
            "card_number",
            sa.text(f"coalesce(valid_from, '{NO_START}')"),
            sa.text(f"coalesce(valid_to, '{NO_END}')"),
        ],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="coverages")
