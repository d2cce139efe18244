"""Import XML 130 submissions into the health-record store, one transaction per HOSO.

A visit is keyed by facility and MA_LK; each import stamps what it writes with the time it
ran, so a later import of the same visit (a resubmission) replaces the earlier one with its
medicines, services, results and re-examination papers. Citizens and card periods are
stamped with the visit's own time instead: an old file imported late only fills gaps in
what newer sources said about the person.
"""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Table
from sqlalchemy.exc import DataError, IntegrityError

from bot.clock import Clock, SystemClock
from bot.db.models import Appointment
from bot.db.session import Database
from bot.ingest.store import (
    AppointmentRecord,
    Change,
    CitizenRef,
    IdCaches,
    StoreWriter,
    delete_records,
    store_transaction,
    upsert_appointments,
    upsert_citizens,
    upsert_coverages,
    upsert_facilities,
    upsert_visits,
)
from bot.ingest.store.lookups import source_keys_of_citizens, visit_owner
from bot.ingest.xml130.codes import DIED
from bot.ingest.xml130.envelope import STREAM_ERRORS, EnvelopeError, EnvelopeReader, RawHoso
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.hoso import decode_hoso, skipped_tables
from bot.ingest.xml130.mapping import (
    appointment_family,
    appointment_record,
    citizen_record,
    coverage_records,
    facility_record,
    visit_key,
    visit_record,
)
from bot.ingest.xml130.matching import PatientMatch, match_patient
from bot.ingest.xml130.patient import PatientKeys, patient_keys
from bot.ingest.xml130.progress import ProgressMeter
from bot.ingest.xml130.records import VisitSummary, Xml130Visit
from bot.ingest.xml130.report import Rejection, Xml130Report
from bot.ingest.xml130.sources import Submission, Unreadable, find_submissions

logger = logging.getLogger(__name__)

APPOINTMENTS: Table = Appointment.__table__  # type: ignore[assignment]


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

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.report = Xml130Report()
        self._stamps = _Stamps(self.clock)
        self._caches = IdCaches()
        self._facilities: set[str] = set()
        self._bytes_done = 0

    async def run(self, paths: list[Path], progress: bool) -> Xml130Report:
        """Import every submission under `paths`."""
        started = time.monotonic()
        items = list(find_submissions(paths))
        total = sum(item.size for item in items if isinstance(item, Submission))
        meter = ProgressMeter(total, enabled=progress)
        for item in items:
            if isinstance(item, Unreadable):
                self._reject(Rejection(item.label, item.reason))
                continue
            await self.import_submission(item, meter)
        meter.finish(self._bytes_done, self.report.hoso_read, self.report.hoso_rejected)
        self.report.elapsed_seconds = time.monotonic() - started
        return self.report

    async def import_submission(self, item: Submission, meter: ProgressMeter) -> None:
        """Import the HOSOs of one file; an unreadable file or envelope stops that file only.

        Only reading errors are caught here: a failing database stops the run.
        """
        self.report.files += 1
        try:
            await self._import_stream(item, meter)
        except EnvelopeError as error:
            self._reject(Rejection(item.label, str(error)))
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
                await self._import_hoso(item.label, hoso)
                count += 1
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

    async def _import_hoso(self, label: str, hoso: RawHoso) -> None:
        report = self.report
        report.hoso_read += 1
        report.skipped_tables.update(skipped_tables(hoso))
        report.hiv_tables += hoso.hiv_tables
        ma_lk = None
        try:
            visit = decode_hoso(hoso)
            ma_lk = visit.summary.ma_lk
            keys = patient_keys(visit.summary, self.clock.now().date())
            await self._ensure_facilities(visit)
            await self._store(visit, keys)
        except HosoError as error:
            self._reject(
                Rejection(
                    label,
                    error.reason,
                    hoso.index,
                    error.ma_lk or ma_lk,
                    error.table,
                    error.field,
                    error.record,
                )
            )
            return
        except (IntegrityError, DataError) as error:
            reason = f"the database refused the visit ({type(error.orig).__name__})"
            self._reject(Rejection(label, reason, hoso.index, ma_lk))
            return
        report.hoso_imported += 1

    async def _ensure_facilities(self, visit: Xml130Visit) -> None:
        """Create facilities known only by code, each in its own transaction, once per run."""
        codes = {visit.summary.facility_code}
        codes.update(paper.facility_code for paper in visit.reexams if paper.facility_code)
        missing = sorted(codes - self._facilities)
        if not missing:
            return
        async with store_transaction(self.db, self._caches) as writer:
            await upsert_facilities(writer, [facility_record(code) for code in missing])
        self._facilities.update(missing)

    async def _store(self, visit: Xml130Visit, keys: PatientKeys) -> None:
        async with store_transaction(self.db, self._caches) as writer:
            written = await _write_visit(writer, visit, keys, self._stamps.next())
        report = self.report
        report.citizens_created += written.citizen_created
        report.coverages += written.coverages
        if written.visit_change is Change.UNCHANGED:
            report.visits_unchanged += 1
            return
        if written.visit_change is Change.INSERTED:
            report.visits_created += 1
        else:
            report.visits_replaced += 1
        report.medications += len(visit.drugs)
        report.services += len(visit.services)
        report.results += len(visit.results)
        report.appointments += len(visit.reexams)

    def _reject(self, rejection: Rejection) -> None:
        self.report.add_rejection(rejection)
        logger.warning("xml130 rejected: %s", rejection.describe())


@dataclass(frozen=True, slots=True)
class _Written:
    """What writing one HOSO did."""

    citizen_created: bool
    visit_change: Change
    coverages: int


async def _write_visit(
    writer: StoreWriter, visit: Xml130Visit, keys: PatientKeys, stamp: datetime
) -> _Written:
    """Match the patient, then write citizen, cards, visit (with children) and appointments."""
    summary = visit.summary
    match = await match_patient(writer, keys)
    previous_owner = await visit_owner(writer, visit_key(summary))
    citizen = citizen_record(
        summary, keys, match.source_key, keep_birth_date=_keep_birth_date(summary, match)
    )
    if summary.outcome_code == DIED and summary.discharged is not None:
        citizen.deceased_at = summary.discharged
    citizen_id = (await upsert_citizens(writer, [citizen])).ids[match.source_key]
    ref = CitizenRef.by_key(match.source_key)
    coverages = coverage_records(summary, keys, ref)
    await upsert_coverages(writer, coverages)
    written = await upsert_visits(writer, [visit_record(visit, ref, stamp)])
    papers = [
        appointment_record(paper, number, summary, ref, stamp)
        for number, paper in enumerate(visit.reexams, start=1)
    ]
    await upsert_appointments(writer, papers)
    if previous_owner is not None:
        await _drop_withdrawn_papers(writer, summary, {citizen_id, previous_owner}, papers)
    return _Written(match.known is None, written.changes[visit_key(summary)], len(coverages))


def _keep_birth_date(summary: VisitSummary, match: PatientMatch) -> bool:
    """An uncertain birth date (0000, 00, 0101) does not replace a stored one of the same year."""
    birth = summary.birth_date
    known = match.known.birth_date if match.known else None
    return (
        birth is not None
        and birth.uncertain
        and known is not None
        and known.year == birth.value.year
    )


async def _drop_withdrawn_papers(
    writer: StoreWriter, summary: VisitSummary, owners: set[int], papers: list[AppointmentRecord]
) -> None:
    """Delete the appointments of an earlier version of the visit that the new one lacks."""
    family = appointment_family(summary) + "#"
    kept = {paper.source_key for paper in papers}
    stale = [
        key
        for key in await source_keys_of_citizens(writer, APPOINTMENTS, owners)
        if key.startswith(family) and key not in kept
    ]
    await delete_records(writer, Appointment, stale)


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
