"""Encounter -> a visit with its diagnoses."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.models import Visit
from bot.ingest.fhir.datatypes import (
    Json,
    arr,
    codings,
    concept_text,
    extension_value,
    first_code,
    money,
    obj,
    texts,
    to_date,
    to_datetime,
)
from bot.ingest.fhir.mapping.clinical import condition_code
from bot.ingest.fhir.mapping.context import (
    Draft,
    Lookups,
    MappingContext,
    PractitionerName,
    required_status,
    updated_at,
)
from bot.ingest.fhir.references import Entry, Target
from bot.ingest.fhir.vocabulary import (
    EXT_VISIT_FOLLOW_UP,
    EXT_VISIT_INSURANCE_PAID,
    EXT_VISIT_PATIENT_COPAY,
    EXT_VISIT_PATIENT_PAID,
    EXT_VISIT_TOTAL_COST,
    VISIT_TYPES,
)
from bot.ingest.store import ConditionSummary, DiagnosisRecord, VisitRecord

_LEAD_PARTICIPANTS = ("PPRF", "ATND", "PRF", "SPRF")
_DIAGNOSIS_CATEGORIES = (None, "encounter-diagnosis")


@dataclass(slots=True)
class _DiagnosisRef:
    target: Target
    use: str | None
    rank: int | None


def _participant(resource: Json, ctx: MappingContext, path: str) -> PractitionerName | None:
    """The practitioner leading the visit (primary performer or attender, else the first)."""
    found: list[tuple[int, Target]] = []
    for position, participant in enumerate(arr(resource, "participant", path)):
        if not isinstance(participant, dict):
            continue
        target = ctx.target(participant, "individual", f"{path}.participant[{position}]")
        if target is None or target.type not in (None, "Practitioner", "PractitionerRole"):
            continue
        types = {c.get("code") for t in arr(participant, "type", path) for c in codings(t)}
        found.append((0 if types & set(_LEAD_PARTICIPANTS) else 1, target))
    if not found:
        return None
    return ctx.practitioner(min(found, key=lambda item: item[0])[1])


def _diagnosis_refs(entry: Entry, ctx: MappingContext, path: str) -> list[_DiagnosisRef]:
    refs = []
    for position, item in enumerate(arr(entry.resource, "diagnosis", path)):
        if not isinstance(item, dict):
            continue
        target = ctx.target(item, "condition", f"{path}.diagnosis[{position}]")
        if target is None:
            continue
        rank = item.get("rank")
        refs.append(
            _DiagnosisRef(
                target, first_code(item.get("use")), rank if isinstance(rank, int) else None
            )
        )
    if refs:
        return refs
    # Without Encounter.diagnosis, the bundle's Conditions of this encounter are its diagnoses.
    for condition in ctx.conditions_of(entry):
        resource = condition.resource
        if condition.id is None:
            continue
        categories = [first_code(c) for c in resource.get("category") or ()] or [None]
        if any(c in _DIAGNOSIS_CATEGORIES for c in categories):
            refs.append(_DiagnosisRef(Target(type="Condition", key=condition.key), None, None))
    return refs


def _main_first(refs: list[_DiagnosisRef]) -> list[_DiagnosisRef]:
    """The main diagnosis (rank 1, else use billing, else the first) first, the rest by rank."""
    main = next((r for r in refs if r.rank == 1), None) or next(
        (r for r in refs if r.use == "billing"), None
    )
    ordered = sorted(refs, key=lambda r: r.rank if r.rank is not None else 1_000_000)
    if main is None and refs:
        main = refs[0]
    return [main, *(r for r in ordered if r is not main)] if main else []


def _summary(ref: _DiagnosisRef, ctx: MappingContext, lookups: Lookups | None) -> ConditionSummary:
    target = ref.target
    entry = ctx.index.by_key.get(target.key) if target.key else None
    if entry is not None and entry.type == "Condition":
        summary = condition_code(entry.resource.get("code"))
    elif target.key and lookups is not None and target.key in lookups.conditions:
        summary = lookups.conditions[target.key]
    else:
        summary = ConditionSummary(None, None, None)
    return summary if summary.name or summary.code else ConditionSummary(None, None, target.display)


def map_encounter(entry: Entry, ctx: MappingContext) -> Draft:
    """Encounter -> a visit: facility, department, practitioner, times, reason, diagnoses."""
    resource, path = entry.resource, "Encounter"
    if required_status(resource, path) == "entered-in-error":
        return Draft(entry, withdrawn=[(Visit, entry.key)])
    citizen = ctx.citizen(resource, "subject", path)
    period = obj(resource, "period", path) or {}
    visit_class = first_code(obj(resource, "class", path))
    provider = ctx.target(resource, "serviceProvider", path)
    facility, facility_name = ctx.facility(provider), provider.display if provider else None
    if facility is None:
        for position, location in enumerate(arr(resource, "location", path)):
            target = (
                ctx.target(location, "location", f"{path}.location[{position}]")
                if isinstance(location, dict)
                else None
            )
            if target is not None and (ctx.facility(target) is not None or target.display):
                facility, facility_name = ctx.facility(target), facility_name or target.display
                break
    record = VisitRecord(
        source_key=entry.key,
        citizen=citizen,
        facility=facility,
        facility_name=facility_name,
        visit_type=VISIT_TYPES.get(visit_class, "other") if visit_class else None,
        department=concept_text(obj(resource, "serviceType", path))
        or texts(arr(resource, "type", path)),
        start=to_datetime(period.get("start"), f"{path}.period.start"),
        end=to_datetime(period.get("end"), f"{path}.period.end"),
        reason=texts(arr(resource, "reasonCode", path)),
        outcome=concept_text(
            (obj(resource, "hospitalization", path) or {}).get("dischargeDisposition")
        ),
        total_cost=money(extension_value(resource, EXT_VISIT_TOTAL_COST), f"{path} total cost"),
        insurance_paid=money(
            extension_value(resource, EXT_VISIT_INSURANCE_PAID), f"{path} insurance paid"
        ),
        patient_copay=money(
            extension_value(resource, EXT_VISIT_PATIENT_COPAY), f"{path} co-payment"
        ),
        patient_paid=money(
            extension_value(resource, EXT_VISIT_PATIENT_PAID), f"{path} patient paid"
        ),
        follow_up_date=to_date(
            extension_value(resource, EXT_VISIT_FOLLOW_UP), f"{path} follow-up date"
        ),
        source_updated=updated_at(resource, path),
    )
    draft = Draft(entry, [record])
    practitioner = _participant(resource, ctx, path)
    refs = _main_first(_diagnosis_refs(entry, ctx, path))
    for ref in refs:
        if ref.target.key and ref.target.key not in ctx.index.by_key:
            ctx.wanted_conditions.add(ref.target.key)

    def finish(lookups: Lookups) -> None:
        if practitioner is not None:
            record.practitioner_name = practitioner.resolve(lookups)
        summaries = [_summary(ref, ctx, lookups) for ref in refs]
        record.diagnoses = tuple(
            DiagnosisRecord(name=s.name, code=s.code, code_system=s.code_system, rank=rank)
            for rank, s in enumerate(summaries)
        )
        if summaries:
            record.main_diagnosis_code, record.main_diagnosis_name = (
                summaries[0].code,
                summaries[0].name,
            )

    draft.finishers.append(finish)
    return draft
