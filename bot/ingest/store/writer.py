"""One import transaction: the session, per-run id caches and dialect-aware batched statements."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import ColumnElement, Row, String, Table, and_, bindparam, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.db.base import Base
from bot.db.session import Database
from bot.ingest.store.records import CitizenRef, FacilityRef

K = TypeVar("K")
DialectInsert = postgresql.Insert | sqlite.Insert
V = TypeVar("V")

_CUSTOM_PLANS = text("SET LOCAL plan_cache_mode = force_custom_plan")

IN_CHUNK = 1000
"""Values per `IN (...)` list; far below the bind-parameter limits of SQLite and asyncpg."""
CACHE_LIMIT = 50_000
"""Entries kept per cache; a full cache is emptied (imports stream, so memory stays bounded)."""


class Change(enum.StrEnum):
    """What an upsert did to one record."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(slots=True)
class UpsertResult:
    """Row ids and changes of an upsert, by the records' source keys."""

    ids: dict[str, int] = field(default_factory=dict)
    changes: dict[str, Change] = field(default_factory=dict)

    def count(self, change: Change) -> int:
        """How many records had this change."""
        return sum(1 for value in self.changes.values() if value is change)

    def changed_ids(self) -> dict[str, int]:
        """Ids of the records inserted or updated, by source key."""
        return {k: self.ids[k] for k, c in self.changes.items() if c is not Change.UNCHANGED}


class UnresolvedReference(LookupError):
    """Records name a citizen, facility or visit the store does not know."""

    def __init__(self, kind: str, referrers: Mapping[Any, Sequence[str]]) -> None:
        self.kind = kind
        self.referrers = dict(referrers)
        keys = sorted({key for keys in self.referrers.values() for key in keys})
        super().__init__(f"unresolved {kind} reference in {len(keys)} record(s)")

    @property
    def source_keys(self) -> set[str]:
        """Source keys of every record with an unresolved reference."""
        return {key for keys in self.referrers.values() for key in keys}


@dataclass(frozen=True, slots=True)
class FacilityInfo:
    """A resolved facility: its id and name (visits show the name)."""

    id: int
    name: str


class IdCache(Generic[K, V]):
    """A lookup cache whose additions count only once their transaction commits."""

    def __init__(self) -> None:
        self._committed: dict[K, V] = {}
        self._pending: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        """The cached value, or None."""
        value = self._pending.get(key)
        return value if value is not None else self._committed.get(key)

    def put(self, key: K, value: V) -> None:
        """Remember a value for the rest of this transaction (and the run, once committed)."""
        self._pending[key] = value

    def commit(self) -> None:
        """Keep the transaction's additions."""
        if len(self._committed) + len(self._pending) > CACHE_LIMIT:
            self._committed.clear()
        self._committed.update(self._pending)
        self._pending.clear()

    def discard(self) -> None:
        """Forget the transaction's additions (it was rolled back)."""
        self._pending.clear()


@dataclass(slots=True)
class IdCaches:
    """Per-run caches of resolved references."""

    citizens: IdCache[CitizenRef, int] = field(default_factory=IdCache)
    facilities: IdCache[FacilityRef, FacilityInfo] = field(default_factory=IdCache)
    visits: IdCache[str, int] = field(default_factory=IdCache)
    practitioners: IdCache[str, str] = field(default_factory=IdCache)

    def _all(self) -> tuple[IdCache[Any, Any], ...]:
        return (self.citizens, self.facilities, self.visits, self.practitioners)

    def commit(self) -> None:
        """Keep every cache's additions."""
        for cache in self._all():
            cache.commit()

    def discard(self) -> None:
        """Forget every cache's additions."""
        for cache in self._all():
            cache.discard()


class StoreWriter:
    """The store's handle on one transaction; pass it to the `upsert_*` functions."""

    def __init__(
        self, session: AsyncSession, caches: IdCaches | None = None, *, plan_each_time: bool = False
    ) -> None:
        self.session = session
        self.caches = caches if caches is not None else IdCaches()
        self.dialect = session.get_bind().dialect.name
        self.plan_each_time = plan_each_time
        """PostgreSQL plans each statement anew (see `store_transaction`)."""
        self._connection: AsyncConnection | None = None
        self.prefetched: dict[str, dict[str, Row[Any] | None]] = {}
        """Stored (id, source_key, source_updated) by table and key, looked up ahead in one
        query (`prefetch_stored`); an upsert consumes its keys, so later writes look again."""

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        """Run a Core statement (a list of parameter dicts runs it as executemany)."""
        if self._connection is None:
            self._connection = await self.session.connection()
            if self.plan_each_time and self.dialect == "postgresql":
                await self._connection.execute(_CUSTOM_PLANS)
        return await self._connection.execute(statement, parameters)

    def insert(self, table: Table) -> DialectInsert:
        """An INSERT that supports ON CONFLICT on this database."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def forget_prefetched(self, table: Table) -> None:
        """Drop what was looked up ahead for `table` (its rows are being deleted)."""
        self.prefetched.pop(table.name, None)

    async def select_in(
        self, columns: Sequence[Any], column: Any, values: Iterable[Any]
    ) -> list[Row[Any]]:
        """`SELECT columns WHERE column IN values`, in chunks."""
        statement = cached_statement(
            ("select_in", *columns, column),
            lambda: select(*columns).where(column.in_(bindparam("values", expanding=True))),
        )
        rows: list[Row[Any]] = []
        for chunk in chunked(sorted(set(values), key=str)):
            rows.extend((await self.execute(statement, {"values": list(chunk)})).all())
        return rows


@asynccontextmanager
async def store_transaction(
    db: Database, caches: IdCaches | None = None, *, plan_each_time: bool = False
) -> AsyncIterator[StoreWriter]:
    """One database transaction for the store; cache additions survive only its commit.

    `plan_each_time` makes PostgreSQL plan every statement of the transaction for its own
    parameters. An import into empty tables needs it when it repeats statements of the same
    shape: the plan PostgreSQL keeps for a prepared statement once it has run a few times
    was made while the tables were small (a sequential scan), and stays until the next
    ANALYZE while the tables grow. Planning costs a little on each statement.
    """
    writer_caches = caches if caches is not None else IdCaches()
    try:
        async with db.unit_of_work() as session:
            yield StoreWriter(session, writer_caches, plan_each_time=plan_each_time)
    except BaseException:
        writer_caches.discard()
        raise
    writer_caches.commit()


_STATEMENTS: dict[Hashable, Any] = {}


def cached_statement(key: Hashable, build: Callable[[], Any]) -> Any:
    """A statement built once per process (its SQL is then compiled once per dialect)."""
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


def table_of(model: type[Base]) -> Table:
    """The Core table of a model (typed, for statements built on tables)."""
    return cast(Table, model.__table__)


def chunked(values: Sequence[V], size: int = IN_CHUNK) -> Iterator[Sequence[V]]:
    """Consecutive slices of at most `size` values."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def is_newer(incoming: datetime | None, stored: datetime | None) -> bool:
    """True when a record stamped `incoming` replaces one stamped `stored` (unknown is oldest)."""
    return incoming is not None and (stored is None or incoming > stored)


_LENGTHS: dict[str, tuple[tuple[str, int], ...]] = {}


def fit_to_columns(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Cut strings longer than their column (PostgreSQL refuses them, SQLite would keep them)."""
    lengths = _LENGTHS.get(table.name)
    if lengths is None:
        lengths = _LENGTHS[table.name] = tuple(
            (column.name, column.type.length)
            for column in table.columns
            if isinstance(column.type, String) and column.type.length
        )
    for name, length in lengths:
        value = row.get(name)
        if isinstance(value, str) and len(value) > length:
            row[name] = value[: length - 1] + "…"
    return row


def newer_condition(table: Table, excluded: Any) -> ColumnElement[bool]:
    """The ON CONFLICT guard: only a strictly newer stamp replaces a stored row."""
    stored = table.c.source_updated
    incoming = excluded.source_updated
    return and_(
        incoming.is_not(None),
        or_(stored.is_(None), incoming > stored),
    )
