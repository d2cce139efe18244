"""Coverage, and insurance cards carried as Patient identifiers, to insurance card periods."""

from __future__ import annotations

import re
from typing import Any

from bot.db.models import Coverage
from bot.identity.text import without_separators
from bot.ingest.fhir.datatypes import (
    Json,
    arr,
    codings,
    extension_value,
    number,
    obj,
    string,
    to_date,
)
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.identifiers import normalise, normalised_identifiers, value_of
from bot.ingest.fhir.mapping.context import Draft, MappingContext, required_status, updated_at
from bot.ingest.fhir.references import Entry
from bot.ingest.fhir.vocabulary import (
    BENEFIT_PERCENT,
    EXT_BENEFIT_LEVEL,
    EXT_BENEFIT_PERCENT,
    EXT_COPAY_EXEMPT,
    EXT_FIVE_YEARS,
    EXT_PRIMARY_CARE,
    EXT_RESIDENCE_AREA,
)
from bot.ingest.store import (
    FACILITY_CODE_SYSTEM,
    INSURANCE_NUMBER_SYSTEM,
    CitizenRef,
    CoverageRecord,
)

_OLD_CARD = re.compile(r"^([A-Z]{2})([1-5])\d{12}$")
_FACILITY_CODE = re.compile(r"^[0-9A-Z]{5}$")
_GROUP_CLASS_CODES = ("group", "subgroup")


def _level(value: Any, path: str) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    level = number(value, path)
    if level is None:
        return None
    if level not in BENEFIT_PERCENT:
        raise EntryError(f"{path} must be a benefit level from 1 to 5")
    return int(level)


def _primary_care(value: Any, ctx: MappingContext, path: str) -> tuple[str | None, str | None]:
    """(facility code, facility name) of the registered primary-care facility."""
    if isinstance(value, str):
        text = value.strip().upper()
        return (text, None) if _FACILITY_CODE.match(text) else (None, value.strip() or None)
    if not isinstance(value, dict):
        return None, None
    if "system" in value and "value" in value:  # valueIdentifier
        pair = normalise(value)
        return (pair[1] if pair and pair[0] == FACILITY_CODE_SYSTEM else None), None
    logical = value.get("identifier")
    code: str | None = None
    if isinstance(logical, dict):
        pair = normalise(logical)
        code = pair[1] if pair and pair[0] == FACILITY_CODE_SYSTEM else None
    name = value.get("display") if isinstance(value.get("display"), str) else None
    target = ctx.index.resolve(value, path) if "reference" in value else None
    entry = ctx.index.by_key.get(target.key) if target and target.key else None
    if entry is not None:
        pairs = normalised_identifiers(entry.resource.get("identifier") or [])
        code = code or value_of(pairs, FACILITY_CODE_SYSTEM)
        name = name or string(entry.resource, "name", path)
    return code, name


def card_details(element: Json, ctx: MappingContext, path: str) -> dict[str, Any]:
    """Card fields carried as extensions (on a Coverage or on an insurance identifier)."""
    level = _level(extension_value(element, EXT_BENEFIT_LEVEL), f"{path} benefit level")
    percent = number(extension_value(element, EXT_BENEFIT_PERCENT), f"{path} benefit percent")
    code, name = _primary_care(
        extension_value(element, EXT_PRIMARY_CARE), ctx, f"{path} primary care"
    )
    area = extension_value(element, EXT_RESIDENCE_AREA)
    if isinstance(area, dict):
        area = next((c.get("code") for c in codings(area)), None)
    return {
        "benefit_level": level,
        "benefit_percent": None if percent is None else round(percent),
        "primary_care_code": code,
        "primary_care_name": name,
        "five_years_date": to_date(
            extension_value(element, EXT_FIVE_YEARS), f"{path} five-year date"
        ),
        "copay_exempt_from": to_date(
            extension_value(element, EXT_COPAY_EXEMPT), f"{path} co-payment exemption"
        ),
        "residence_area": area.strip().upper() if isinstance(area, str) and area.strip() else None,
    }


def _complete(record: CoverageRecord) -> CoverageRecord:
    """Fill group, level and percent that a 15-character card code spells out."""
    match = _OLD_CARD.match(record.card_number)
    if match is not None:
        record.beneficiary_group = record.beneficiary_group or match[1]
        record.benefit_level = record.benefit_level or int(match[2])
    if record.benefit_percent is None and record.benefit_level is not None:
        record.benefit_percent = BENEFIT_PERCENT[record.benefit_level]
    return record


def _class_value(resource: Json, codes: tuple[str, ...], path: str) -> str | None:
    """The value of the first `Coverage.class` whose type is one of `codes`."""
    for item in arr(resource, "class", path):
        if not isinstance(item, dict):
            continue
        if any(c.get("code") in codes for c in codings(item.get("type"))):
            value = item.get("value")
            if isinstance(value, str) and value.strip():
                return value.strip().upper()
    return None


def map_coverage(entry: Entry, ctx: MappingContext) -> Draft:
    """Coverage -> an insurance card period."""
    resource, path = entry.resource, "Coverage"
    status = required_status(resource, path)
    if status == "entered-in-error":
        return Draft(entry, withdrawn=[(Coverage, entry.key)])
    citizen = ctx.citizen(resource, "beneficiary", path)
    pairs = normalised_identifiers(arr(resource, "identifier", path))
    card = value_of(pairs, INSURANCE_NUMBER_SYSTEM) or string(resource, "subscriberId", path)
    if card is None:
        raise EntryError(f"{path} has no card number (identifier or subscriberId)")
    period = obj(resource, "period", path) or {}
    record = CoverageRecord(
        source_key=entry.key,
        citizen=citizen,
        card_number=without_separators(card).upper(),
        beneficiary_group=_class_value(resource, _GROUP_CLASS_CODES, path),
        valid_from=to_date(period.get("start"), f"{path}.period.start"),
        valid_to=to_date(period.get("end"), f"{path}.period.end"),
        source_updated=updated_at(resource, path),
        **card_details(resource, ctx, path),
    )
    if record.benefit_level is None:
        record.benefit_level = _level(_class_value(resource, ("plan",), path), f"{path}.class")
    return Draft(entry, [_complete(record)])


def patient_cards(entry: Entry, ctx: MappingContext) -> list[CoverageRecord]:
    """Insurance card identifiers of a Patient that carry a validity period."""
    records = []
    for position, identifier in enumerate(arr(entry.resource, "identifier", "Patient")):
        pair = normalise(identifier)
        period = identifier.get("period")
        if pair is None or pair[0] != INSURANCE_NUMBER_SYSTEM or not isinstance(period, dict):
            continue
        path = f"Patient.identifier[{position}]"
        record = CoverageRecord(
            source_key=f"{entry.key}#card:{pair[1]}",
            citizen=CitizenRef.by_key(entry.key),
            card_number=pair[1],
            valid_from=to_date(period.get("start"), f"{path}.period.start"),
            valid_to=to_date(period.get("end"), f"{path}.period.end"),
            source_updated=updated_at(entry.resource, "Patient"),
            **card_details(identifier, ctx, path),
        )
        records.append(_complete(record))
    return records
