"""Importing one batch: a bundle in one transaction, or a chunk of bulk-data lines.

A bundle is all or nothing: one invalid entry rejects it whole. Lines of a bulk-data file
are independent resources, so an invalid line is rejected alone and the others are written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from bot.db.session import Database
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.linking import finish_drafts, unresolved_references
from bot.ingest.fhir.mapping import MAPPERS, Draft, MappingContext, medication_entry_name
from bot.ingest.fhir.references import BundleIndex, Entry
from bot.ingest.fhir.report import ImportReport, Outcome, Rejection
from bot.ingest.fhir.sources import Batch
from bot.ingest.fhir.stages import drop_duplicate_cards, write_drafts
from bot.ingest.store import IdCaches, StoreWriter, UnresolvedReference, store_transaction

logger = logging.getLogger(__name__)

MAX_REMEMBERED_MEDICATIONS = 50_000


@dataclass(slots=True)
class RunState:
    """What an import run carries from batch to batch."""

    caches: IdCaches = field(default_factory=IdCaches)
    medications: dict[str, tuple[str | None, str]] = field(default_factory=dict)


class BatchRejected(Exception):
    """Raised inside the transaction to roll a bundle back."""

    def __init__(self, rejections: list[Rejection]) -> None:
        super().__init__(f"{len(rejections)} invalid entries")
        self.rejections = rejections


def _rejection(batch: Batch, entry: Entry, reason: str) -> Rejection:
    return Rejection(
        batch.file,
        reason,
        line=entry.line or batch.line,
        entry=entry.index,
        resource_type=entry.type,
    )


def _remember_medication(run: RunState, entry: Entry) -> None:
    found = medication_entry_name(entry) if entry.id is not None else None
    if found is not None:
        if len(run.medications) >= MAX_REMEMBERED_MEDICATIONS:
            run.medications.clear()
        run.medications[entry.key] = found


def _map(
    batch: Batch, run: RunState
) -> tuple[MappingContext, list[Draft], list[Entry], list[Rejection]]:
    ctx = MappingContext(BundleIndex(batch.entries), medications=run.medications)
    drafts, skipped, failures = [], [], []
    for entry in batch.entries:
        mapper = MAPPERS.get(entry.type)
        if mapper is None:
            if entry.type == "Medication":
                _remember_medication(run, entry)
            skipped.append(entry)
            continue
        try:
            drafts.append(mapper(entry, ctx))
        except EntryError as error:
            failures.append(_rejection(batch, entry, error.reason))
    return ctx, drafts, skipped, failures


async def _link(
    writer: StoreWriter, batch: Batch, drafts: list[Draft], report: ImportReport, counted: set[int]
) -> list[Draft]:
    """Drop (lines) or reject (bundles) drafts whose patient or encounter cannot be found."""
    while drafts:
        problems = await unresolved_references(writer, drafts)
        if not problems:
            break
        rejections = [
            _rejection(batch, drafts[i].entry, reason) for i, reason in sorted(problems.items())
        ]
        if batch.atomic:
            raise BatchRejected(rejections)
        for rejection in rejections:
            report.reject(rejection)
            report.add(rejection.resource_type or "?", Outcome.REJECTED)
        counted.update(id(drafts[i].entry) for i in problems)
        drafts = [draft for i, draft in enumerate(drafts) if i not in problems]
    return drafts


def _reject_batch(
    batch: Batch,
    rejections: Sequence[Rejection],
    report: ImportReport,
    counted: set[int] | None = None,
) -> None:
    """Report the batch rejected; `counted` entries were already counted as rejected lines."""
    for rejection in rejections:
        report.reject(rejection)
    for entry in batch.entries:
        if counted is None or id(entry) not in counted:
            report.add(entry.type, Outcome.REJECTED)
    report.batches_rejected += 1


async def import_batch(db: Database, run: RunState, batch: Batch, report: ImportReport) -> None:
    """Import one batch and count what became of each entry."""
    if batch.broken:
        _reject_batch(batch, batch.broken, report)
        return
    ctx, drafts, skipped, failures = _map(batch, run)
    if failures and batch.atomic:
        _reject_batch(batch, failures, report)
        return
    for rejection in failures:
        report.reject(rejection)
        report.add(rejection.resource_type or "?", Outcome.REJECTED)
    mapped = {id(draft.entry) for draft in drafts} | {id(entry) for entry in skipped}
    counted = {id(entry) for entry in batch.entries if id(entry) not in mapped}  # failed lines
    drop_duplicate_cards(drafts)
    try:  # custom plans: the tables grow during the import (see `store_transaction`)
        async with store_transaction(db, run.caches, plan_each_time=True) as writer:
            await finish_drafts(writer, ctx, drafts)
            drafts = await _link(writer, batch, drafts, report, counted)
            outcomes = await write_drafts(writer, drafts)
    except BatchRejected as rejected:
        _reject_batch(batch, rejected.rejections, report)
        return
    except UnresolvedReference as error:  # linking checked them; only a concurrent delete gets here
        reason = f"unresolvable {error.kind} reference"
        _reject_batch(batch, [Rejection(batch.file, reason, line=batch.line)], report, counted)
        return
    except SQLAlchemyError as error:
        logger.warning("database refused a batch of %s: %s", batch.file, type(error).__name__)
        reason = f"the database refused the batch ({type(getattr(error, 'orig', error)).__name__})"
        _reject_batch(batch, [Rejection(batch.file, reason, line=batch.line)], report, counted)
        return
    for draft, outcome in zip(drafts, outcomes, strict=True):
        report.add(draft.entry.type, outcome)
    for entry in skipped:
        report.add(entry.type, Outcome.SKIPPED)
    report.batches_loaded += 1
