"""Small result sets packed into one statement: each a JSON array of rows in a scalar sub-select.

The record summary reads seven small sections; as seven statements they cost seven executions
(and, on SQLite, seven trips to the connection's thread), more than the reads themselves. Packed
with `pack`, each section is one column of a single row (`json_group_array` on SQLite, `json_agg`
on PostgreSQL) and `JsonRows.decode` turns it back into rows with the same attribute names and
Python values the section's own query returns, so the same row-to-item functions apply:

    allergies = pack(allergies_query, dialect, order=allergy_order())
    row = (await session.execute(select(Citizen.id, allergies.column).where(...))).one()
    items = [allergy_from_row(r) for r in allergies.decode(row[1])]

Row order is carried by an ordinal column (`row_number()` over the query's own order), as
neither database promises that an aggregate keeps a sub-select's order. Floats travel as text of
17 significant digits on SQLite (its JSON writes only 15), so they come back exactly.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, case, func, select
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import TypeEngine

from bot.db.base import UTCDateTime

ORDINAL = "json_rows_ordinal"
POSTGRESQL = "postgresql"
Decoder = Callable[[Any], Any]


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def decoder_for(type_: TypeEngine[Any]) -> Decoder | None:
    """How a JSON value of a column of this type becomes the value its own query returns."""
    if isinstance(type_, UTCDateTime):
        return _utc
    try:
        python = type_.python_type
    except NotImplementedError:
        return None
    if python is datetime:
        raise TypeError("naive datetime columns are not packed; use UTCDateTime")
    return {date: date.fromisoformat, float: float, bool: bool, int: int}.get(python)


@dataclass(frozen=True)
class JsonRows:
    """A packed result set: the scalar sub-select to select, and how to unpack its value."""

    column: Any
    row_type: type[tuple[Any, ...]]
    decoders: tuple[Decoder | None, ...]
    ordered: bool

    def decode(self, value: str | list[list[Any]] | None) -> list[Any]:
        """The rows (named tuples, in the query's order) of a value selected with `column`.

        SQLite returns the JSON text; SQLAlchemy's asyncpg dialect has already parsed it.
        """
        rows: list[list[Any]] = json.loads(value) if isinstance(value, str) else value or []
        if self.ordered:
            rows.sort(key=itemgetter(-1))
        decoders = self.decoders
        return [
            self.row_type(*(v if v is None or d is None else d(v) for v, d in zip(row, decoders)))
            for row in rows
        ]


def _json_value(column: ColumnClause[Any], dialect: str) -> ColumnElement[Any]:
    if dialect != POSTGRESQL and isinstance(column.type, Float):
        return case((column.is_(None), None), else_=func.printf("%!.17g", column))
    return column


def pack(query: Select[Any], dialect: str, order: Sequence[Any] | None = None) -> JsonRows:
    """`query`'s rows as one JSON value; `order` (the query's ORDER BY) keeps their order."""
    if order is not None:
        query = query.add_columns(func.row_number().over(order_by=order).label(ORDINAL))
    rows = query.subquery()
    values = [_json_value(column, dialect) for column in rows.c]
    if dialect == POSTGRESQL:
        packed = func.json_agg(func.json_build_array(*values))
    else:
        packed = func.json_group_array(func.json_array(*values))
    names = [column.key for column in rows.c]
    return JsonRows(
        column=select(packed).select_from(rows).scalar_subquery(),
        row_type=namedtuple("PackedRow", names, rename=True),  # type: ignore[misc]
        decoders=tuple(decoder_for(column.type) for column in rows.c),
        ordered=order is not None,
    )
