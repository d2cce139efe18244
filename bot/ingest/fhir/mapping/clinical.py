"""Condition, AllergyIntolerance and Immunization."""

from __future__ import annotations

from datetime import datetime

from bot.db.models import Allergy, Condition, Immunization
from bot.ingest.fhir.datatypes import (
    Json,
    arr,
    coding_in,
    concept_text,
    first_code,
    obj,
    string,
    texts,
    to_datetime,
)
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.mapping.context import Draft, MappingContext, required_status, updated_at
from bot.ingest.fhir.references import Entry
from bot.ingest.fhir.vocabulary import ICD10_SYSTEMS, SNOMED_SYSTEM
from bot.ingest.store import (
    CODE_SYSTEM_ICD10,
    CODE_SYSTEM_SNOMED,
    AllergyRecord,
    ConditionRecord,
    ConditionSummary,
    ImmunizationRecord,
)

ENTERED_IN_ERROR = "entered-in-error"


def condition_code(concept: Json | None) -> ConditionSummary:
    """Code, code system and name of a diagnosis: ICD-10 when coded so, else SNOMED CT."""
    icd10 = coding_in(concept, ICD10_SYSTEMS)
    if icd10 is not None:
        return ConditionSummary(icd10["code"], CODE_SYSTEM_ICD10, concept_text(concept))
    snomed = coding_in(concept, (SNOMED_SYSTEM,))
    if snomed is not None:
        return ConditionSummary(snomed["code"], CODE_SYSTEM_SNOMED, concept_text(concept))
    return ConditionSummary(first_code(concept), None, concept_text(concept))


def status_code(resource: Json, name: str, path: str) -> str | None:
    """The code of a status CodeableConcept (clinicalStatus, verificationStatus)."""
    return first_code(obj(resource, name, path))


def _moment(resource: Json, prefix: str, path: str, period_end: bool = False) -> datetime | None:
    """onset[x]/abatement[x]/occurrence[x] as a time, when it is one."""
    value = resource.get(f"{prefix}DateTime")
    if value is None:
        period = obj(resource, f"{prefix}Period", path) or {}
        value = period.get("end" if period_end else "start")
    return to_datetime(value, f"{path}.{prefix}[x]")


def map_condition(entry: Entry, ctx: MappingContext) -> Draft:
    """Condition -> a condition (its category tells problem-list from encounter-diagnosis)."""
    resource, path = entry.resource, "Condition"
    if status_code(resource, "verificationStatus", path) == ENTERED_IN_ERROR:
        return Draft(entry, withdrawn=[(Condition, entry.key)])
    citizen = ctx.citizen(resource, "subject", path)
    summary = condition_code(obj(resource, "code", path))
    category = next((first_code(c) for c in arr(resource, "category", path) if first_code(c)), None)
    record = ConditionRecord(
        source_key=entry.key,
        citizen=citizen,
        visit_key=ctx.visit_key(resource, "encounter", path),
        code=summary.code,
        code_system=summary.code_system,
        name=summary.name,
        category=category,
        clinical_status=status_code(resource, "clinicalStatus", path),
        onset=_moment(resource, "onset", path),
        abated=_moment(resource, "abatement", path, period_end=True),
        source_updated=updated_at(resource, path),
    )
    return Draft(entry, [record])


def map_allergy(entry: Entry, ctx: MappingContext) -> Draft:
    """AllergyIntolerance -> an allergy; one without a substance is not imported."""
    resource, path = entry.resource, "AllergyIntolerance"
    if status_code(resource, "verificationStatus", path) == ENTERED_IN_ERROR:
        return Draft(entry, withdrawn=[(Allergy, entry.key)])
    citizen = ctx.citizen(resource, "patient", path)
    reactions = [r for r in arr(resource, "reaction", path) if isinstance(r, dict)]
    substance = concept_text(obj(resource, "code", path)) or next(
        (concept_text(r.get("substance")) for r in reactions if concept_text(r.get("substance"))),
        None,
    )
    if substance is None:
        return Draft(entry)
    categories = [c for c in arr(resource, "category", path) if isinstance(c, str)]
    severities = [r["severity"] for r in reactions if isinstance(r.get("severity"), str)]
    manifestations = [m for r in reactions for m in arr(r, "manifestation", f"{path}.reaction")]
    record = AllergyRecord(
        source_key=entry.key,
        citizen=citizen,
        substance=substance,
        category=categories[0] if categories else None,
        criticality=string(resource, "criticality", path),
        severity=_most_severe(severities),
        reaction=texts(manifestations),
        clinical_status=status_code(resource, "clinicalStatus", path),
        recorded=to_datetime(resource.get("recordedDate"), f"{path}.recordedDate"),
        source_updated=updated_at(resource, path),
    )
    return Draft(entry, [record])


def _most_severe(severities: list[str]) -> str | None:
    order = ("severe", "moderate", "mild")
    return next((s for s in order if s in severities), severities[0] if severities else None)


def map_immunization(entry: Entry, ctx: MappingContext) -> Draft:
    """Immunization -> a vaccination (not-done ones are kept with their status)."""
    resource, path = entry.resource, "Immunization"
    status = required_status(resource, path)
    if status == ENTERED_IN_ERROR:
        return Draft(entry, withdrawn=[(Immunization, entry.key)])
    citizen = ctx.citizen(resource, "patient", path)
    vaccine = obj(resource, "vaccineCode", path)
    name = concept_text(vaccine)
    if name is None:
        raise EntryError(f"{path}.vaccineCode is missing")
    protocol = next((p for p in arr(resource, "protocolApplied", path) if isinstance(p, dict)), {})
    dose = protocol.get("doseNumberPositiveInt", protocol.get("doseNumberString"))
    occurred = resource.get("occurrenceDateTime")
    if occurred is None and not isinstance(resource.get("occurrenceString"), str):
        raise EntryError(f"{path}.occurrence[x] is missing")
    performer = next((p for p in arr(resource, "performer", path) if isinstance(p, dict)), None)
    facility_target = ctx.target(resource, "location", path) or (
        ctx.target(performer, "actor", f"{path}.performer") if performer else None
    )
    record = ImmunizationRecord(
        source_key=entry.key,
        citizen=citizen,
        vaccine_name=name,
        vaccine_code=first_code(vaccine),
        facility=ctx.facility(facility_target),
        target_disease=texts(arr(protocol, "targetDisease", f"{path}.protocolApplied")),
        dose_number=None if dose is None else str(dose),
        lot_number=string(resource, "lotNumber", path),
        status=status,
        occurred=to_datetime(occurred, f"{path}.occurrenceDateTime"),
        source_updated=updated_at(resource, path),
    )
    return Draft(entry, [record])
