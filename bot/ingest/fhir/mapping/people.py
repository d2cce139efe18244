"""Patient, RelatedPerson (guardians) and Practitioner."""

from __future__ import annotations

from bot.ingest.fhir.datatypes import (
    Json,
    arr,
    codings,
    concept_text,
    extension_value,
    string,
    to_date,
    to_datetime,
)
from bot.ingest.fhir.identifiers import normalised_identifiers, value_of
from bot.ingest.fhir.mapping.addresses import main_address, phone_numbers, phone_region
from bot.ingest.fhir.mapping.context import Draft, MappingContext, person_name, updated_at
from bot.ingest.fhir.mapping.coverage import patient_cards
from bot.ingest.fhir.references import Entry
from bot.ingest.fhir.vocabulary import (
    EXT_ETHNICITY,
    GUARDIAN_ROLES,
    PRACTISING_CERTIFICATE_SYSTEM,
    V3_ROLE_CODE,
    VN_EXT_RACE,
)
from bot.ingest.store import (
    NATIONAL_ID_SYSTEM,
    CitizenRecord,
    CitizenRef,
    GuardianshipRecord,
    Identifier,
    PractitionerRecord,
)

_SEXES = frozenset({"male", "female", "other", "unknown"})


def _ethnicity(resource: Json) -> str | None:
    value = extension_value(resource, (EXT_ETHNICITY, VN_EXT_RACE))
    if isinstance(value, str):
        return value.strip() or None
    return concept_text(value)


def _person(entry: Entry, authoritative: bool) -> CitizenRecord:
    """The citizen a Patient or RelatedPerson describes."""
    resource, path = entry.resource, entry.type
    pairs = normalised_identifiers(arr(resource, "identifier", path))
    address = main_address(resource, path)
    gender = string(resource, "gender", path)
    return CitizenRecord(
        source_key=entry.key,
        full_name=person_name(resource) or "",
        national_id=value_of(pairs, NATIONAL_ID_SYSTEM),
        identifiers=tuple(
            dict.fromkeys(Identifier(s, v) for s, v in pairs if s != NATIONAL_ID_SYSTEM)
        ),
        birth_date=to_date(resource.get("birthDate"), f"{path}.birthDate"),
        sex=gender if gender in _SEXES else "unknown",
        address_line=address.line,
        province=address.province,
        district=address.district,
        commune=address.commune,
        ethnicity=_ethnicity(resource),
        deceased_at=to_datetime(resource.get("deceasedDateTime"), f"{path}.deceasedDateTime"),
        phones=phone_numbers(resource, path),
        phone_region=phone_region(address),
        authoritative=authoritative,
        source_updated=updated_at(resource, path),
    )


def map_patient(entry: Entry, ctx: MappingContext) -> Draft:
    """Patient -> a citizen, plus an insurance card period per card identifier with a period."""
    return Draft(entry, [_person(entry, authoritative=True), *patient_cards(entry, ctx)])


def _guardian_role(resource: Json, path: str) -> str | None:
    for concept in arr(resource, "relationship", path):
        for coding in codings(concept):
            if (
                coding.get("system") in (V3_ROLE_CODE, None)
                and coding.get("code") in GUARDIAN_ROLES
            ):
                return str(coding["code"])
    return None


def map_related_person(entry: Entry, ctx: MappingContext) -> Draft:
    """RelatedPerson with a guardian role -> the guardian (as a citizen) and the guardianship.

    The guardian is matched by national ID like any citizen; what the RelatedPerson says about
    them only fills empty fields, since a child's record is not the guardian's own record.
    Other relationships are not imported.
    """
    resource, path = entry.resource, "RelatedPerson"
    child = ctx.citizen(resource, "patient", path)
    role = _guardian_role(resource, path)
    if role is None:
        return Draft(entry)
    guardian = _person(entry, authoritative=False)
    link = GuardianshipRecord(
        source_key=entry.key,
        guardian=CitizenRef.by_key(entry.key),
        child=child,
        relationship_code=role,
        active=resource.get("active") is not False,
    )
    return Draft(entry, [link, guardian])


def map_practitioner(entry: Entry, ctx: MappingContext) -> Draft:
    """Practitioner -> a named health worker; `code` is the practising certificate number."""
    resource, path = entry.resource, "Practitioner"
    pairs = normalised_identifiers(arr(resource, "identifier", path))
    code = value_of(pairs, PRACTISING_CERTIFICATE_SYSTEM) or (pairs[0][1] if pairs else None)
    record = PractitionerRecord(
        source_key=entry.key,
        name=person_name(resource) or code or "",
        code=code,
        source_updated=updated_at(resource, path),
    )
    return Draft(entry, [record])
