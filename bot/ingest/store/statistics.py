"""Fresh planner statistics for the store's tables while an import fills them (PostgreSQL).

PostgreSQL plans from the statistics ANALYZE gathers. Tables that have never been analyzed
(autovacuum off, or not yet come round during a bulk load) looked small to the planner, which
then read all of `observations` for each bundle's lookup by source key, so the import slowed
as the tables grew. Once analyzed, the planner scales the row counts to the tables' current
size, so a few ANALYZE runs early in an import (after 16, 64, 256... batches) are enough.
"""

from __future__ import annotations

from sqlalchemy import text

from bot.db.models import clinical, people
from bot.db.session import Database

STORE_TABLES = tuple(
    sorted(
        model.__tablename__
        for module in (people, clinical)
        for model in vars(module).values()
        if isinstance(getattr(model, "__tablename__", None), str)
    )
)
FIRST_ANALYZE_AFTER = 16
"""Batches written before the first ANALYZE; each later one waits for four times as many."""


class StatisticsRefresher:
    """Runs ANALYZE on the store's tables after 16, 64, 256... batches (PostgreSQL only)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._batches = 0
        self._next = FIRST_ANALYZE_AFTER if db.dialect == "postgresql" else None

    async def batch_written(self) -> None:
        """Count a written batch; analyze when the count reaches the next threshold."""
        self._batches += 1
        if self._next is None or self._batches < self._next:
            return
        self._next *= 4
        async with self._db.engine.connect() as connection:
            await connection.execute(text("ANALYZE " + ", ".join(STORE_TABLES)))
            await connection.commit()
