"""MedicationRequest and MedicationStatement -> medications."""

from __future__ import annotations

from typing import Any

from bot.db.models import Medication
from bot.ingest.fhir.datatypes import (
    Json,
    arr,
    coding_in,
    concept_text,
    first_code,
    number,
    obj,
    string,
    to_datetime,
)
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.mapping.context import (
    Draft,
    Lookups,
    MappingContext,
    contained_of,
    required_status,
    updated_at,
)
from bot.ingest.fhir.references import Entry
from bot.ingest.fhir.vocabulary import MEDICATION_ROUTE_SYSTEM
from bot.ingest.store import MedicationRecord


def _quantity(value: Any) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("value"), int | float):
        return None
    amount = f"{value['value']:g}"
    unit = value.get("unit") or value.get("code")
    return f"{amount} {unit}" if isinstance(unit, str) else amount


def dosage_text(dosage: Any) -> str | None:
    """A Dosage as text: its own `text`, else dose, frequency and "as needed" put together."""
    if not isinstance(dosage, dict):
        return None
    text = dosage.get("text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    parts = []
    for dose_and_rate in dosage.get("doseAndRate") or ():
        if isinstance(dose_and_rate, dict) and (
            dose := _quantity(dose_and_rate.get("doseQuantity"))
        ):
            parts.append(dose)
            break
    repeat = (
        (dosage.get("timing") or {}).get("repeat")
        if isinstance(dosage.get("timing"), dict)
        else None
    )
    if isinstance(repeat, dict) and isinstance(repeat.get("frequency"), int):
        period, unit = repeat.get("period", 1), repeat.get("periodUnit", "d")
        parts.append(
            f"{repeat['frequency']}×/{period:g} {unit}"
            if isinstance(period, int | float)
            else f"{repeat['frequency']}×"
        )
    if dosage.get("asNeededBoolean") is True or "asNeededCodeableConcept" in dosage:
        parts.append("PRN")
    return ", ".join(parts) or None


def _medication(resource: Json, ctx: MappingContext, path: str) -> tuple[str | None, str]:
    """(code, name) of the medicine, from a concept, a contained or a referenced Medication."""
    concept = obj(resource, "medicationCodeableConcept", path)
    if concept is not None:
        name = concept_text(concept)
        if name is None:
            raise EntryError(f"{path}.medicationCodeableConcept has neither text nor code")
        return first_code(concept), name
    target = ctx.target(resource, "medicationReference", path, contained_of(resource, path))
    if target is None:
        raise EntryError(f"{path}.medication[x] is missing")
    medication = target.contained
    if medication is None and target.key is not None:
        entry = ctx.index.by_key.get(target.key)
        medication = entry.resource if entry is not None else None
        if medication is None and target.key in ctx.medications:
            return ctx.medications[target.key]
    code_concept = medication.get("code") if isinstance(medication, dict) else None
    name = concept_text(code_concept) or target.display
    if name is None:
        raise EntryError(f"{path}.medicationReference names a Medication this import has not seen")
    return first_code(code_concept), name


def _route(concept: Any) -> str | None:
    """The Ministry's route code when the route is coded in it (named in the reader's language
    on display, as for XML 130), else the text a person reads."""
    coding = coding_in(concept, (MEDICATION_ROUTE_SYSTEM,))
    return str(coding["code"]) if coding is not None else concept_text(concept)


def map_medication(entry: Entry, ctx: MappingContext) -> Draft:
    """MedicationRequest or MedicationStatement -> a medication."""
    resource, path = entry.resource, entry.type
    status = required_status(resource, path)
    if status == "entered-in-error":
        return Draft(entry, withdrawn=[(Medication, entry.key)])
    citizen = ctx.citizen(resource, "subject", path)
    code, name = _medication(resource, ctx, path)
    is_request = entry.type == "MedicationRequest"
    dosages = arr(resource, "dosageInstruction" if is_request else "dosage", path)
    dosage = next((d for d in dosages if isinstance(d, dict)), {})
    quantity = (
        ((obj(resource, "dispenseRequest", path) or {}).get("quantity")) if is_request else None
    )
    if is_request:
        authored = resource.get("authoredOn")
    else:
        authored = (
            resource.get("effectiveDateTime")
            or (resource.get("effectivePeriod") or {}).get("start")
            or resource.get("dateAsserted")
        )
    record = MedicationRecord(
        source_key=entry.key,
        citizen=citizen,
        name=name,
        code=code,
        visit_key=ctx.visit_key(resource, "encounter" if is_request else "context", path),
        route=_route(dosage.get("route")),
        dosage=dosage_text(dosage),
        quantity=number(quantity.get("value"), f"{path}.dispenseRequest.quantity")
        if isinstance(quantity, dict)
        else None,
        unit=string(quantity, "unit", path) if isinstance(quantity, dict) else None,
        status=status,
        active=status == "active",
        authored=to_datetime(authored, f"{path} date"),
        source_updated=updated_at(resource, path),
    )
    draft = Draft(entry, [record])
    prescriber = ctx.practitioner(
        ctx.target(resource, "requester" if is_request else "informationSource", path)
    )
    if prescriber is not None:

        def finish(lookups: Lookups) -> None:
            record.prescriber = prescriber.resolve(lookups)

        draft.finishers.append(finish)
    return draft


def medication_entry_name(entry: Entry) -> tuple[str | None, str] | None:
    """(code, name) of a Medication resource, remembered for later references to it."""
    concept = entry.resource.get("code")
    name = concept_text(concept)
    return (first_code(concept), name) if name else None
