"""`healthbot demo-data --direct`: write a skewed synthetic province straight into the database.

For benchmarks and large demos, where importing FHIR files would take hours: rows are drawn by
`direct_rows` and written in batches, one transaction per batch of citizens, through the driver
of the transaction's own connection (SQLite: executemany; PostgreSQL: COPY). Ids are assigned
here, so the store must be empty (no citizens, no facilities); PostgreSQL's id sequences are
moved past the loaded rows afterwards and its statistics refreshed.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.base import Base, UTCDateTime
from bot.db.session import Database
from bot.ingest.synthetic.direct_rows import TABLES, DirectRows, IdCounters, Row
from bot.ingest.synthetic.identifiers import MAX_CITIZENS

logger = logging.getLogger(__name__)

DEFAULT_BATCH_CITIZENS = 2000
ProgressCallback = Callable[[int, int], None]
"""Called with (citizens written, citizens asked for) after every batch."""


class DirectLoadError(RuntimeError):
    """The database cannot take a direct load (it already holds a population)."""


@dataclass(frozen=True, slots=True)
class DirectSummary:
    """What a direct load wrote."""

    citizens: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def per_citizen(self, table: str) -> float:
        """Average rows of `table` per citizen."""
        return self.rows.get(table, 0) / self.citizens if self.citizens else 0.0

    def line(self) -> str:
        """A one-line human summary."""
        total = sum(self.rows.values())
        return (
            f"Loaded {self.citizens:,} citizens directly ({total:,} rows: "
            f"{self.per_citizen('visits'):.1f} visits, {self.per_citizen('observations'):.1f} "
            f"results, {self.per_citizen('immunizations'):.1f} immunizations per citizen) "
            f"in {self.seconds:.1f} s ({total / max(self.seconds, 1e-9):,.0f} rows/s)"
        )


def _table(name: str) -> Table:
    table = Base.metadata.tables[name]
    return table


async def _require_empty(connection: AsyncConnection) -> None:
    for name in ("citizens", "facilities"):
        count = await connection.scalar(select(func.count()).select_from(_table(name)))
        if count:
            raise DirectLoadError(
                f"the database already holds {name} ({count:,}); --direct loads into an empty database"
            )


async def _next_ids(connection: AsyncConnection) -> IdCounters:
    counters = IdCounters()
    for name in ("facilities", *TABLES):
        table = _table(name)
        highest = await connection.scalar(select(func.max(table.c.id)))
        counters.next_ids[name] = (highest or 0) + 1
    return counters


def _sqlite_datetime(value: datetime) -> str:
    """The text SQLAlchemy stores for a UTC datetime in SQLite."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _postgres_datetime(value: datetime) -> datetime:
    """A naive UTC datetime, as `UTCDateTime` stores it."""
    return value.astimezone(UTC).replace(tzinfo=None)


_DATETIME_ENCODERS: dict[str, Callable[[datetime], Any]] = {
    "sqlite": _sqlite_datetime,
    "postgresql": _postgres_datetime,
}


def encode_rows(dialect: str, table: Table, rows: Sequence[Row]) -> tuple[list[str], list[list[Any]]]:
    """Column names and value lists of `rows` as the driver takes them (no SQLAlchemy types).

    Datetimes become what `UTCDateTime` would store; SQLite also gets dates as ISO text.
    """
    columns = list(rows[0])
    encode_datetime = _DATETIME_ENCODERS[dialect]
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for position, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            converters.append((position, encode_datetime))
        elif isinstance(column_type, Date) and dialect == "sqlite":
            converters.append((position, date.isoformat))
    records = []
    for row in rows:
        values = list(row.values())
        for position, convert in converters:
            value = values[position]
            if value is not None:
                values[position] = convert(value)
        records.append(values)
    return columns, records


async def _write(connection: AsyncConnection, name: str, rows: Sequence[Row]) -> None:
    """One batched write on the transaction's own driver connection: COPY or executemany."""
    if not rows:
        return
    table = _table(name)
    dialect = connection.dialect.name
    columns, records = encode_rows(dialect, table, rows)
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    if dialect == "postgresql":
        await driver.copy_records_to_table(name, records=records, columns=columns)
    else:
        placeholders = ", ".join("?" for _ in columns)
        quoted = ", ".join(f'"{column}"' for column in columns)
        await driver.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({placeholders})', records)


async def _finish_postgres(db: Database) -> None:
    """Move the id sequences past the loaded rows, then refresh the planner's statistics."""
    async with db.engine.begin() as connection:
        for name in ("facilities", *TABLES):
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                )
            )
    async with db.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("ANALYZE"))


async def load_direct(
    db: Database,
    citizens: int,
    seed: int,
    *,
    today: date,
    batch_citizens: int = DEFAULT_BATCH_CITIZENS,
    progress: ProgressCallback | None = None,
) -> DirectSummary:
    """Write `citizens` synthetic citizens and their records into an empty, migrated store.

    Args:
        db: The store (SQLite or PostgreSQL), already migrated.
        citizens: How many citizens, 1 to 1,000,000.
        seed: Random seed; the same seed and date give the same rows.
        today: The reference date (visits lie before it, appointments after).
        batch_citizens: Citizens per transaction.
        progress: Called after every batch with (written, asked for).

    Returns:
        Row counts by table and the time taken.

    Raises:
        DirectLoadError: the store already holds citizens or facilities.
    """
    if not 1 <= citizens <= MAX_CITIZENS or batch_citizens < 1:
        raise ValueError(f"citizens must be between 1 and {MAX_CITIZENS:,}, batches positive")
    started = time.perf_counter()
    async with db.engine.begin() as connection:
        await _require_empty(connection)
        ids = await _next_ids(connection)
        rows = DirectRows(seed, today, ids)
        await _write(connection, "facilities", rows.facility_rows())
    counts: Counter[str] = Counter()
    written = 0
    for batch in rows.batches(0, citizens, batch_citizens):
        async with db.engine.begin() as connection:
            for name in TABLES:
                await _write(connection, name, batch.rows[name])
        counts.update({name: batch.count(name) for name in TABLES})
        written += batch.citizens
        if progress is not None:
            progress(written, citizens)
    if db.dialect == "postgresql":
        await _finish_postgres(db)
    counts["facilities"] = len(rows.facility_ids)
    summary = DirectSummary(
        citizens=written, rows=dict(counts), seconds=time.perf_counter() - started
    )
    logger.info("direct load: %s", summary.line())
    return summary
