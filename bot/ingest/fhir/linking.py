"""Before writing: fill names from earlier imports and check that references can be resolved.

A reference resolves when the batch itself provides the target or the store already has it.
Patients and encounters must resolve; a facility that does not is kept as display text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from bot.ingest.fhir.mapping import Draft, Lookups, MappingContext
from bot.ingest.store import (
    SOURCE_KEY_SYSTEM,
    CitizenRecord,
    CitizenRef,
    FacilityRecord,
    FacilityRef,
    GuardianshipRecord,
    StoreWriter,
    VisitRecord,
    condition_summaries,
    practitioner_names,
    resolve_citizens,
    resolve_facilities,
    resolve_visits,
)


async def finish_drafts(writer: StoreWriter, ctx: MappingContext, drafts: Sequence[Draft]) -> None:
    """Look up practitioners and conditions named from outside the batch, then finish drafts."""
    lookups = Lookups()
    if ctx.wanted_practitioners or ctx.wanted_practitioner_codes:
        lookups.practitioners, lookups.practitioner_codes = await practitioner_names(
            writer, ctx.wanted_practitioners, ctx.wanted_practitioner_codes
        )
    if ctx.wanted_conditions:
        lookups.conditions = await condition_summaries(writer, ctx.wanted_conditions)
    for draft in drafts:
        for finish in draft.finishers:
            finish(lookups)


def _citizen_refs(record: Any) -> list[CitizenRef]:
    if isinstance(record, GuardianshipRecord):
        return [record.guardian, record.child]
    citizen = getattr(record, "citizen", None)
    return [citizen] if citizen is not None else []


def _provided_citizens(drafts: Iterable[Draft]) -> set[CitizenRef]:
    provided = set()
    for draft in drafts:
        for record in draft.records:
            if isinstance(record, CitizenRecord):
                provided.add(CitizenRef.by_key(record.source_key))
                if record.national_id:
                    provided.add(CitizenRef.by_national_id(record.national_id))
                provided.update(CitizenRef(i.system, i.value) for i in record.identifiers)
    return provided


def _provided_facilities(drafts: Iterable[Draft]) -> set[FacilityRef]:
    provided = set()
    for draft in drafts:
        for record in draft.records:
            if isinstance(record, FacilityRecord):
                provided.add(FacilityRef.by_key(record.source_key))
                if record.code:
                    provided.add(FacilityRef.by_code(record.code))
                provided.update(FacilityRef(i.system, i.value) for i in record.identifiers)
    return provided


def describe(ref: CitizenRef | FacilityRef, resource_type: str) -> str:
    """A reference for an error message; identifier values are left out."""
    if ref.system == SOURCE_KEY_SYSTEM:
        return ref.value.removeprefix("fhir:")
    return f"{resource_type}?identifier={ref.system}|…"


async def unresolved_references(writer: StoreWriter, drafts: Sequence[Draft]) -> dict[int, str]:
    """Drafts (by position) naming a patient or encounter that cannot be found, with the reason.

    Facility references that cannot be found are dropped from the records (display kept).
    """
    problems: dict[int, str] = {}
    citizens: dict[CitizenRef, list[int]] = defaultdict(list)
    visits: dict[str, list[int]] = defaultdict(list)
    facilities: dict[FacilityRef, list[Any]] = defaultdict(list)
    for position, draft in enumerate(drafts):
        for record in draft.records:
            for ref in _citizen_refs(record):
                citizens[ref].append(position)
            visit_key = getattr(record, "visit_key", None)
            if visit_key is not None:
                visits[visit_key].append(position)
            facility = getattr(record, "facility", None)
            if facility is not None:
                facilities[facility].append(record)
    external = set(citizens) - _provided_citizens(drafts)
    found = await resolve_citizens(writer, external) if external else {}
    for ref in external - set(found):
        for position in citizens[ref]:
            problems.setdefault(
                position, f"unresolvable patient reference {describe(ref, 'Patient')}"
            )
    provided_visits = {
        r.source_key for d in drafts for r in d.records if isinstance(r, VisitRecord)
    }
    external_visits = set(visits) - provided_visits
    found_visits = await resolve_visits(writer, external_visits) if external_visits else {}
    for key in external_visits - set(found_visits):
        for position in visits[key]:
            problems.setdefault(
                position, f"unresolvable encounter reference {key.removeprefix('fhir:')}"
            )
    external_facilities = set(facilities) - _provided_facilities(drafts)
    found_facilities = (
        await resolve_facilities(writer, external_facilities) if external_facilities else {}
    )
    for facility_ref in external_facilities - set(found_facilities):
        for record in facilities[facility_ref]:
            record.facility = None
    return problems
