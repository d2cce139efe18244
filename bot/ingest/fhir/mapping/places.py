"""Organization and Location -> facilities."""

from __future__ import annotations

from bot.ingest.fhir.datatypes import arr, concept_text, obj, string, texts
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.identifiers import normalised_identifiers, value_of
from bot.ingest.fhir.mapping.addresses import main_address, phone_numbers, phone_region
from bot.ingest.fhir.mapping.context import Draft, MappingContext, updated_at
from bot.ingest.fhir.references import Entry
from bot.ingest.store import FACILITY_CODE_SYSTEM, FacilityRecord, Identifier, phone_to_e164


def map_facility(entry: Entry, ctx: MappingContext) -> Draft:
    """Organization or Location -> a facility, its insurance code taken from its identifiers."""
    resource, path = entry.resource, entry.type
    pairs = normalised_identifiers(arr(resource, "identifier", path))
    code = value_of(pairs, FACILITY_CODE_SYSTEM)
    aliases = [a for a in arr(resource, "alias", path) if isinstance(a, str) and a.strip()]
    name = string(resource, "name", path) or (aliases[0].strip() if aliases else None) or code
    if name is None:
        raise EntryError(f"{path} has neither a name nor a facility code")
    address = main_address(resource, path)
    phones = [
        p
        for p in (
            phone_to_e164(raw, phone_region(address)) for raw in phone_numbers(resource, path)
        )
        if p
    ]
    if entry.type == "Location":
        kind = concept_text(obj(resource, "physicalType", path)) or texts(
            arr(resource, "type", path)
        )
    else:
        kind = texts(arr(resource, "type", path))
    record = FacilityRecord(
        source_key=entry.key,
        name=name,
        code=code,
        kind=kind,
        address=address.full_text,
        district=address.district,
        phone=phones[0] if phones else None,
        identifiers=tuple(
            dict.fromkeys(Identifier(s, v) for s, v in pairs if s != FACILITY_CODE_SYSTEM)
        ),
        source_updated=updated_at(resource, path),
    )
    return Draft(entry, [record])
