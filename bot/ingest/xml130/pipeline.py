"""Collect decoded HOSOs into batches and write each batch while the next one is read.

At most two batches are held: the one being written (in a background task, one transaction)
and the one being filled. Batches are written strictly one after another, so a HOSO always
sees what every HOSO before it wrote. When the database refuses a batch it is rolled back and
written again HOSO by HOSO, each in its own transaction, so only the HOSO at fault is
rejected. Counts and rejections reach the report when their batch is done, in reading order.
"""

from __future__ import annotations

import asyncio
import logging
import re
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from sqlalchemy.exc import DataError, IntegrityError

from bot.db.session import Database
from bot.ingest.store import Change, IdCaches, StoreWriter, store_transaction, upsert_facilities
from bot.ingest.store.statistics import StatisticsRefresher
from bot.ingest.xml130.batch import BatchOutcome, PreparedHoso, write_batch
from bot.ingest.xml130.mapping import facility_record
from bot.ingest.xml130.report import Rejection, Xml130Report

logger = logging.getLogger(__name__)

BATCH_HOSOS = 400
"""HOSOs read (written or rejected) per batch; one transaction per batch."""
BATCH_LINES = 20_000
"""Table lines per batch: a batch of very long HOSOs is cut short, bounding memory."""

_REFUSED_TABLE = re.compile(r"^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)
_XML_TABLE_OF = {
    "medications": "XML2",
    "visit_services": "XML3",
    "observations": "XML4",
    "appointments": "XML14",
}
"""The XML table whose lines a store table holds; the other tables come from XML1."""


@dataclass(slots=True)
class _Batch:
    """HOSOs to write together, and the rejections to report with them."""

    hosos: list[PreparedHoso] = field(default_factory=list)
    lines: int = 0
    rejections: list[tuple[int, Rejection]] = field(default_factory=list)


class BatchPipeline:
    """Writes the HOSOs handed to it batch by batch, in the background, into `report`."""

    def __init__(
        self, db: Database, report: Xml130Report, *, batch_size: int = BATCH_HOSOS
    ) -> None:
        self.db = db
        self.report = report
        self.batch_size = batch_size
        self._caches = IdCaches()
        self._statistics = StatisticsRefresher(db)
        self._facilities: set[str] = set()
        self._filling = _Batch()
        self._writing: asyncio.Task[None] | None = None

    @property
    def writing(self) -> bool:
        """True while a batch is being written (the reader should yield to it now and then)."""
        return self._writing is not None and not self._writing.done()

    def add(self, hoso: PreparedHoso) -> None:
        """Queue a HOSO for the batch being filled."""
        self._filling.hosos.append(hoso)
        self._filling.lines += hoso.lines

    def reject(self, sequence: int, rejection: Rejection) -> None:
        """Report a rejection with the batch being filled, after what was read before it."""
        self._filling.rejections.append((sequence, rejection))

    def full(self) -> bool:
        """True when the batch being filled should be written."""
        batch = self._filling
        waiting = len(batch.hosos) + len(batch.rejections)
        return waiting >= self.batch_size or batch.lines >= BATCH_LINES

    async def send(self) -> None:
        """Start writing the batch being filled, once the one before it is written.

        Raises what writing the previous batch raised (a database that fails, say).
        """
        batch, self._filling = self._filling, _Batch()
        await self.wait()
        if batch.hosos or batch.rejections:
            self._writing = asyncio.create_task(self._write(batch))

    async def wait(self) -> None:
        """Wait until the batch being written is done; raises its error."""
        task, self._writing = self._writing, None
        if task is not None:
            await task

    async def close(self) -> None:
        """Write what is left and wait for it."""
        await self.send()
        await self.wait()

    async def abort(self) -> None:
        """Stop writing (the run failed elsewhere); what was written stays."""
        task, self._writing = self._writing, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _transaction(self) -> AbstractAsyncContextManager[StoreWriter]:
        # Batches repeat statements of a few shapes while the tables grow: see
        # `store_transaction` on planning each time.
        return store_transaction(self.db, self._caches, plan_each_time=True)

    async def _write(self, batch: _Batch) -> None:
        if batch.hosos:
            await self._ensure_facilities(batch.hosos)
            try:
                async with self._transaction() as writer:
                    outcome = await write_batch(writer, batch.hosos)
            except (IntegrityError, DataError) as error:
                logger.info(
                    "xml130: the database refused a batch (%s); writing it HOSO by HOSO",
                    type(error.orig).__name__,
                )
                outcome = await self._write_one_by_one(batch)
            self._count(outcome, batch)
            await self._statistics.batch_written()  # plans need statistics of the grown tables
        for _, rejection in sorted(batch.rejections, key=lambda item: item[0]):
            self.report.add_rejection(rejection)
            logger.warning("xml130 rejected: %s", rejection.describe())

    async def _write_one_by_one(self, batch: _Batch) -> BatchOutcome:
        """Each HOSO in its own transaction; one the database refuses is rejected alone."""
        outcome = BatchOutcome()
        for hoso in batch.hosos:
            try:
                async with self._transaction() as writer:
                    single = await write_batch(writer, [hoso])
            except (IntegrityError, DataError) as error:
                batch.rejections.append((hoso.sequence, _refused(hoso, error)))
                continue
            outcome.written += single.written
            outcome.rejected += single.rejected
        return outcome

    async def _ensure_facilities(self, hosos: list[PreparedHoso]) -> None:
        """Create facilities known only by code, in their own transaction, once per run."""
        codes = set()
        for hoso in hosos:
            codes.add(hoso.visit.summary.facility_code)
            codes.update(paper.facility_code for paper in hoso.visit.reexams if paper.facility_code)
        missing = sorted(codes - self._facilities)
        if not missing:
            return
        async with self._transaction() as writer:
            await upsert_facilities(writer, [facility_record(code) for code in missing])
        self._facilities.update(missing)

    def _count(self, outcome: BatchOutcome, batch: _Batch) -> None:
        report = self.report
        for hoso, error in outcome.rejected:
            where = (error.table, error.field, error.record)
            ma_lk = error.ma_lk or hoso.visit.summary.ma_lk
            rejection = Rejection(hoso.label, error.reason, hoso.index, ma_lk, *where)
            batch.rejections.append((hoso.sequence, rejection))
        for hoso, written in outcome.written:
            report.hoso_imported += 1
            report.citizens_created += written.citizen_created
            report.coverages += written.coverages
            if written.visit_change is Change.UNCHANGED:
                report.visits_unchanged += 1
                continue
            if written.visit_change is Change.INSERTED:
                report.visits_created += 1
            else:
                report.visits_replaced += 1
            visit = hoso.visit
            report.medications += len(visit.drugs)
            report.services += len(visit.services)
            report.results += len(visit.results)
            report.appointments += len(visit.reexams)


def _refused(hoso: PreparedHoso, error: IntegrityError | DataError) -> Rejection:
    """The rejection of a HOSO the database refused, naming the XML table it failed on."""
    found = _REFUSED_TABLE.match(error.statement or "")
    table = _XML_TABLE_OF.get(found.group(1).lower(), "XML1") if found else None
    reason = f"the database refused the visit ({type(error.orig).__name__})"
    return Rejection(hoso.label, reason, hoso.index, hoso.visit.summary.ma_lk, table)
