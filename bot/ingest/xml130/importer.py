"""Import XML 130 submissions into the health-record store, a batch of HOSOs per transaction.

A visit is keyed by facility and MA_LK; each import stamps what it writes with the time it
ran, so a later import of the same visit (a resubmission) replaces the earlier one with its
medicines, services, results and re-examination papers. Citizens and card periods are
stamped with the visit's own time instead: an old file imported late only fills gaps in
what newer sources said about the person.

HOSOs are decoded and checked as they are read, so a bad one is rejected before the database
is touched; the good ones go to a `BatchPipeline`, which writes them a batch at a time with
the same result as one by one, each HOSO all or nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.db.session import Database
from bot.ingest.xml130.batch import PreparedHoso
from bot.ingest.xml130.envelope import STREAM_ERRORS, EnvelopeError, EnvelopeReader, RawHoso
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.hoso import decode_hoso, skipped_tables
from bot.ingest.xml130.patient import patient_keys
from bot.ingest.xml130.pipeline import BATCH_HOSOS, BatchPipeline
from bot.ingest.xml130.progress import ProgressMeter
from bot.ingest.xml130.report import Rejection, Xml130Report
from bot.ingest.xml130.sources import Submission, Unreadable, find_submissions

logger = logging.getLogger(__name__)


class _Stamps:
    """Strictly increasing import times, so a later write of a visit always wins."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last: datetime | None = None

    def next(self) -> datetime:
        now = self._clock.now()
        if self._last is not None and now <= self._last:
            now = self._last + timedelta(microseconds=1)
        self._last = now
        return now


class Xml130Importer:
    """One import run over any number of submissions."""

    def __init__(
        self, db: Database, clock: Clock | None = None, *, batch_size: int = BATCH_HOSOS
    ) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.report = Xml130Report()
        self.pipeline = BatchPipeline(db, self.report, batch_size=batch_size)
        self._stamps = _Stamps(self.clock)
        self._bytes_done = 0
        self._sequence = 0
        """Place of each HOSO and file rejection in the run: reports keep reading order."""

    async def run(self, paths: list[Path], progress: bool) -> Xml130Report:
        """Import every submission under `paths`."""
        started = time.monotonic()
        items = list(find_submissions(paths))
        total = sum(item.size for item in items if isinstance(item, Submission))
        meter = ProgressMeter(total, enabled=progress)
        try:
            for item in items:
                if isinstance(item, Unreadable):
                    self._reject_file(Rejection(item.label, item.reason))
                    continue
                await self.import_submission(item, meter)
            await self.pipeline.close()
        finally:
            await self.pipeline.abort()
        meter.finish(self._bytes_done, self.report.hoso_read, self.report.hoso_rejected)
        self.report.elapsed_seconds = time.monotonic() - started
        return self.report

    async def import_submission(self, item: Submission, meter: ProgressMeter) -> None:
        """Read the HOSOs of one file; an unreadable file or envelope stops that file only.

        Its HOSOs are written with the batches they fall in (the last one when the run ends).
        Only reading errors are caught here: a failing database stops the run.
        """
        self.report.files += 1
        try:
            await self._import_stream(item, meter)
        except EnvelopeError as error:
            self._reject_file(Rejection(item.label, str(error)))
        self._bytes_done += item.size

    async def _import_stream(self, item: Submission, meter: ProgressMeter) -> None:
        with ExitStack() as stack:
            try:
                stream = stack.enter_context(item.open())
            except (*STREAM_ERRORS, RuntimeError) as error:  # RuntimeError: encrypted member
                raise EnvelopeError(f"cannot be opened ({type(error).__name__})") from None
            reader = EnvelopeReader(stream)
            count = 0
            for hoso in reader:
                self._prepare(item.label, hoso)
                count += 1
                if self.pipeline.full():
                    await self.pipeline.send()
                elif self.pipeline.writing:
                    await asyncio.sleep(0)  # let the batch being written move on
                meter.update(
                    self._bytes_done + reader.source.bytes_read,
                    self.report.hoso_read,
                    self.report.hoso_rejected,
                )
        if reader.declared_count is not None and reader.declared_count != count:
            logger.warning(
                "xml130: %s declares %d HOSO in SOLUONGHOSO but holds %d",
                item.label,
                reader.declared_count,
                count,
            )

    def _prepare(self, label: str, hoso: RawHoso) -> None:
        """Decode and check one HOSO and hand it to the pipeline, or reject it."""
        report = self.report
        report.hoso_read += 1
        report.skipped_tables.update(skipped_tables(hoso))
        report.hiv_tables += hoso.hiv_tables
        self._sequence += 1
        ma_lk = None
        try:
            visit = decode_hoso(hoso)
            ma_lk = visit.summary.ma_lk
            keys = patient_keys(visit.summary, self.clock.now().date())
        except HosoError as error:
            where = (error.table, error.field, error.record)
            rejection = Rejection(label, error.reason, hoso.index, error.ma_lk or ma_lk, *where)
            self.pipeline.reject(self._sequence, rejection)
            return
        stamp = self._stamps.next()
        self.pipeline.add(PreparedHoso(self._sequence, label, hoso.index, visit, keys, stamp))

    def _reject_file(self, rejection: Rejection) -> None:
        self._sequence += 1
        self.pipeline.reject(self._sequence, rejection)


async def import_paths(
    db: Database, paths: list[Path], progress: bool = True, *, clock: Clock | None = None
) -> Xml130Report:
    """Import XML 130 submissions: files, folders (recursively, *.xml and *.zip) and zip archives.

    Args:
        db: The health-record store.
        paths: Files, folders or zip archives.
        progress: Show progress on stderr (a bar on a terminal, else a log line every 10 s).
        clock: Source of "now" for import stamps and CCCD checks (the system clock by default).

    Returns:
        The counts and rejections; `report.ok` is False when anything was rejected.
    """
    return await Xml130Importer(db, clock).run(paths, progress)
