"""Writing a batch's drafts to the store, referenced kinds first, and what each entry became."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.db.base import Base
from bot.db.models import Observation
from bot.ingest.fhir.mapping import Draft
from bot.ingest.fhir.report import Outcome
from bot.ingest.store import (
    AllergyRecord,
    AppointmentRecord,
    Change,
    CitizenRecord,
    CitizenRef,
    ConditionRecord,
    CoverageRecord,
    DiagnosticReportRecord,
    FacilityRecord,
    GuardianshipRecord,
    ImmunizationRecord,
    MedicationRecord,
    ObservationRecord,
    PractitionerRecord,
    StoreWriter,
    UpsertResult,
    VisitRecord,
    delete_records,
    prefetch_records,
    prune_key_family,
    set_blood_types,
    table_of,
    upsert_allergies,
    upsert_appointments,
    upsert_citizens,
    upsert_conditions,
    upsert_coverages,
    upsert_diagnostic_reports,
    upsert_facilities,
    upsert_guardianships,
    upsert_immunizations,
    upsert_medications,
    upsert_observations,
    upsert_practitioners,
    upsert_visits,
)

Upsert = Callable[[StoreWriter, Sequence[Any]], Awaitable[UpsertResult]]

STAGES: tuple[tuple[type, Upsert], ...] = (
    (FacilityRecord, upsert_facilities),
    (PractitionerRecord, upsert_practitioners),
    (CitizenRecord, upsert_citizens),
    (GuardianshipRecord, upsert_guardianships),
    (CoverageRecord, upsert_coverages),
    (VisitRecord, upsert_visits),
    (ConditionRecord, upsert_conditions),
    (AllergyRecord, upsert_allergies),
    (ImmunizationRecord, upsert_immunizations),
    (MedicationRecord, upsert_medications),
    (ObservationRecord, upsert_observations),
    (DiagnosticReportRecord, upsert_diagnostic_reports),
    (AppointmentRecord, upsert_appointments),
)
_OUTCOMES = {
    Change.INSERTED: Outcome.IMPORTED,
    Change.UPDATED: Outcome.UPDATED,
    Change.UNCHANGED: Outcome.UNCHANGED,
}


def drop_duplicate_cards(drafts: Sequence[Draft]) -> None:
    """A card given both as a Coverage and as a Patient identifier is kept as the Coverage."""
    from_coverages = {
        r.card_number
        for d in drafts
        if d.entry.type == "Coverage"
        for r in d.records
        if isinstance(r, CoverageRecord)
    }
    for draft in drafts:
        if draft.entry.type == "Patient":
            draft.records = [
                r
                for r in draft.records
                if not (isinstance(r, CoverageRecord) and r.card_number in from_coverages)
            ]


async def write_drafts(writer: StoreWriter, drafts: Sequence[Draft]) -> list[Outcome]:
    """Upsert every record, stage by stage; the outcome of each draft, in order."""
    changes: dict[tuple[type, str], Change] = {}
    await prefetch_records(writer, (r for d in drafts for r in d.records))
    for record_type, upsert in STAGES:
        records = [r for d in drafts for r in d.records if type(r) is record_type]
        if records:
            result = await upsert(writer, records)
            changes.update({(record_type, key): change for key, change in result.changes.items()})
    outcomes = [_outcome(draft, changes) for draft in drafts]
    await _after_writes(writer, drafts, outcomes)
    return outcomes


def _outcome(draft: Draft, changes: dict[tuple[type, str], Change]) -> Outcome:
    if not draft.records:
        return Outcome.SKIPPED
    found = [changes.get((type(r), r.source_key), Change.UNCHANGED) for r in draft.records]
    primary = _OUTCOMES[found[0]]
    if primary is Outcome.UNCHANGED and any(c is not Change.UNCHANGED for c in found[1:]):
        return Outcome.UPDATED
    return primary


async def _after_writes(
    writer: StoreWriter, drafts: Sequence[Draft], outcomes: Sequence[Outcome]
) -> None:
    """Withdrawn records, shrunk observation panels and blood types."""
    withdrawn: dict[type[Base], list[str]] = defaultdict(list)
    families: dict[str, set[str]] = {}
    blood_types: dict[CitizenRef, str] = {}
    for draft, outcome in zip(drafts, outcomes, strict=True):
        for model, key in draft.withdrawn:
            withdrawn[model].append(key)
        if outcome is Outcome.UPDATED and draft.key_family is not None:
            families[draft.key_family[0]] = draft.key_family[1]
        if outcome in (Outcome.IMPORTED, Outcome.UPDATED) and draft.blood_type is not None:
            blood_types[draft.blood_type[0]] = draft.blood_type[1]
    for model, keys in withdrawn.items():
        await delete_records(writer, model, keys)
    if families:
        await prune_key_family(writer, table_of(Observation), families)
    await set_blood_types(writer, blood_types)
