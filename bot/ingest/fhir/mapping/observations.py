"""Observation (components become rows of their own) and DiagnosticReport."""

from __future__ import annotations

import re
from typing import Any

from bot.db.models import DiagnosticReport, Observation
from bot.ingest.fhir.datatypes import (
    Json,
    arr,
    coding_in,
    concept_text,
    first_code,
    number,
    obj,
    texts,
    to_datetime,
)
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.mapping.context import Draft, MappingContext, required_status, updated_at
from bot.ingest.fhir.references import Entry
from bot.ingest.fhir.vocabulary import (
    BLOOD_TYPE_LOINC,
    LOINC_SYSTEM,
    OBSERVATION_CATEGORY,
    SNOMED_SYSTEM,
)
from bot.ingest.store import (
    CODE_SYSTEM_LOINC,
    CODE_SYSTEM_SNOMED,
    DiagnosticReportRecord,
    ObservationRecord,
)

_BLOOD_TYPE = re.compile(
    r"(?<![A-Za-z])(AB|A|B|O)(?![A-Za-z])\s*(?i:rh\s*\(?d?\)?\s*)?(?i:(pos(?:itive)?|\+)|(neg(?:ative)?|-|−))?"
)
_VALUE_KEYS = (
    "valueQuantity",
    "valueString",
    "valueCodeableConcept",
    "valueBoolean",
    "valueInteger",
    "valueDateTime",
    "valueTime",
    "valuePeriod",
    "valueRange",
    "valueRatio",
    "valueSampledData",
)


def blood_type(text: str | None) -> str | None:
    """ "A+", "O-", "AB" ... read from a blood-group result's text or display."""
    match = _BLOOD_TYPE.search(text or "")
    if match is None:
        return None
    return match[1] + ("+" if match[2] else "-" if match[3] else "")


def _code(concept: Json | None, path: str) -> tuple[str, str | None, str]:
    """(code, code system, name) of an observation code; LOINC preferred."""
    name = concept_text(concept)
    if name is None:
        raise EntryError(f"{path} is missing")
    loinc = coding_in(concept, (LOINC_SYSTEM,))
    if loinc is not None:
        return loinc["code"], CODE_SYSTEM_LOINC, name
    snomed = coding_in(concept, (SNOMED_SYSTEM,))
    if snomed is not None:
        return snomed["code"], CODE_SYSTEM_SNOMED, name
    return first_code(concept) or name, None, name


def _value(element: Json, path: str) -> dict[str, Any]:
    """Value, unit, reference range and interpretation of an Observation or a component."""
    values: dict[str, Any] = {}
    quantity = element.get("valueQuantity")
    if isinstance(quantity, dict):
        values["value_number"] = number(quantity.get("value"), f"{path}.valueQuantity.value")
        unit = quantity.get("unit") or quantity.get("code")
        values["unit"] = unit if isinstance(unit, str) else None
    elif isinstance(element.get("valueInteger"), int):
        values["value_number"] = float(element["valueInteger"])
    elif isinstance(element.get("valueString"), str):
        values["value_text"] = element["valueString"]
    elif element.get("valueCodeableConcept") is not None:
        values["value_text"] = concept_text(element["valueCodeableConcept"])
    elif isinstance(element.get("valueBoolean"), bool):
        values["value_text"] = "true" if element["valueBoolean"] else "false"
    elif isinstance(element.get("valueDateTime"), str):
        values["value_text"] = element["valueDateTime"]
    ranges = [r for r in arr(element, "referenceRange", path) if isinstance(r, dict)]
    if ranges:
        low, high = ranges[0].get("low"), ranges[0].get("high")
        values["reference_low"] = (
            number(low.get("value"), f"{path}.referenceRange.low")
            if isinstance(low, dict)
            else None
        )
        values["reference_high"] = (
            number(high.get("value"), f"{path}.referenceRange.high")
            if isinstance(high, dict)
            else None
        )
        values["reference_text"] = (
            ranges[0].get("text") if isinstance(ranges[0].get("text"), str) else None
        )
    interpretations = [first_code(c) for c in arr(element, "interpretation", path)]
    values["interpretation"] = next((c for c in interpretations if c), None)
    return values


def map_observation(entry: Entry, ctx: MappingContext) -> Draft:
    """Observation -> one row, or one per component (key suffix `#<i>`) for panels."""
    resource, path = entry.resource, "Observation"
    status = required_status(resource, path)
    if status == "entered-in-error":
        return Draft(entry, withdrawn=[(Observation, entry.key)])
    citizen = ctx.citizen(resource, "subject", path)
    code, code_system, name = _code(obj(resource, "code", path), f"{path}.code")
    categories = arr(resource, "category", path)
    category = next(
        (c["code"] for cat in categories if (c := coding_in(cat, (OBSERVATION_CATEGORY,)))), None
    )
    period = obj(resource, "effectivePeriod", path) or {}
    effective = (
        resource.get("effectiveDateTime")
        or resource.get("effectiveInstant")
        or period.get("start")
        or resource.get("issued")
    )
    performer = next(
        (
            t
            for i, p in enumerate(arr(resource, "performer", path))
            if (t := ctx.index.resolve(p, f"{path}.performer[{i}]")) and t.type == "Organization"
        ),
        None,
    )
    shared: dict[str, Any] = {
        "citizen": citizen,
        "category": category,
        "facility": ctx.facility(performer),
        "visit_key": ctx.visit_key(resource, "encounter", path),
        "conclusion": texts(
            {"text": n.get("text")} for n in arr(resource, "note", path) if isinstance(n, dict)
        ),
        "effective": to_datetime(effective, f"{path}.effective[x]"),
        "source_updated": updated_at(resource, path),
    }
    components = [c for c in arr(resource, "component", path) if isinstance(c, dict)]
    records = []
    if not components or any(resource.get(key) is not None for key in _VALUE_KEYS):
        records.append(
            ObservationRecord(
                source_key=entry.key,
                code=code,
                code_system=code_system,
                name=name,
                **shared,
                **_value(resource, path),
            )
        )
    for position, component in enumerate(components):
        component_path = f"{path}.component[{position}]"
        c_code, c_system, c_name = _code(
            obj(component, "code", component_path), f"{component_path}.code"
        )
        records.append(
            ObservationRecord(
                source_key=f"{entry.key}#{position}",
                code=c_code,
                code_system=c_system,
                name=c_name,
                **shared,
                **_value(component, component_path),
            )
        )
    draft = Draft(entry, records, key_family=(entry.key, {r.source_key for r in records}))
    if code == BLOOD_TYPE_LOINC and records and (group := blood_type(records[0].value_text)):
        draft.blood_type = (citizen, group)
    return draft


def map_diagnostic_report(entry: Entry, ctx: MappingContext) -> Draft:
    """DiagnosticReport -> a report: name, conclusion, when issued and how many results."""
    resource, path = entry.resource, "DiagnosticReport"
    status = required_status(resource, path)
    if status == "entered-in-error":
        return Draft(entry, withdrawn=[(DiagnosticReport, entry.key)])
    citizen = ctx.citizen(resource, "subject", path)
    concept = obj(resource, "code", path)
    name = concept_text(concept)
    if name is None:
        raise EntryError(f"{path}.code is missing")
    conclusion = resource.get("conclusion") if isinstance(resource.get("conclusion"), str) else None
    performer = next(
        (
            t
            for i, p in enumerate(arr(resource, "performer", path))
            if (t := ctx.index.resolve(p, f"{path}.performer[{i}]")) and t.type == "Organization"
        ),
        None,
    )
    record = DiagnosticReportRecord(
        source_key=entry.key,
        citizen=citizen,
        name=name,
        code=first_code(concept),
        facility=ctx.facility(performer),
        visit_key=ctx.visit_key(resource, "encounter", path),
        conclusion=conclusion or texts(arr(resource, "conclusionCode", path)),
        issued=to_datetime(
            resource.get("issued") or resource.get("effectiveDateTime"), f"{path}.issued"
        ),
        result_count=len(arr(resource, "result", path)),
        source_updated=updated_at(resource, path),
    )
    return Draft(entry, [record])
