"""Small builders for FHIR R4 data types shared by the resource modules."""

from __future__ import annotations

from typing import Any

from bot.ingest.synthetic.constants import (
    EXT_ADDRESS_COMMUNE,
    NATIONAL_ID_SYSTEM,
    PROVINCE,
    UCUM_SYSTEM,
    V2_IDENTIFIER_TYPE,
)
from bot.ingest.synthetic.geography import District, lower_unit_word
from bot.ingest.synthetic.names import PersonName

Json = dict[str, Any]


def coding(system: str, code: str, display: str | None = None) -> Json:
    """A Coding."""
    result: Json = {"system": system, "code": code}
    if display is not None:
        result["display"] = display
    return result


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> Json:
    """A CodeableConcept with one coding and, when given, a text."""
    result: Json = {"coding": [coding(system, code, display)]}
    if text is not None:
        result["text"] = text
    return result


def text_concept(text: str) -> Json:
    """A CodeableConcept that has only a text."""
    return {"text": text}


def quantity(value: float, unit: str, ucum: str) -> Json:
    """A UCUM Quantity."""
    return {"value": value, "unit": unit, "system": UCUM_SYSTEM, "code": ucum}


def identifier_type(code: str, display: str) -> Json:
    """An identifier type from HL7 v2 table 0203 (NI national id, SB social beneficiary)."""
    return concept(V2_IDENTIFIER_TYPE, code, display)


NATIONAL_ID_TYPE = identifier_type("NI", "National unique individual identifier")
INSURANCE_NUMBER_TYPE = identifier_type("SB", "Social Beneficiary Identifier")


def national_id(value: str) -> Json:
    """The CCCD identifier of a person."""
    return {
        "use": "official",
        "type": NATIONAL_ID_TYPE,
        "system": NATIONAL_ID_SYSTEM,
        "value": value,
    }


def human_name(name: PersonName, prefix: str | None = None) -> Json:
    """A HumanName: family, then middle and given names in `given`, and the whole as text."""
    result: Json = {
        "use": "official",
        "text": name.text,
        "family": name.family,
        "given": list(name.given),
    }
    if prefix is not None:
        result["prefix"] = [prefix]
    return result


def address(line: str | None, commune: str, district: District, use: str = "home") -> Json:
    """An address: street or hamlet in `line`, commune in `city` and the commune extension."""
    parts = [line] if line else []
    text = ", ".join(
        [*parts, lower_unit_word(commune), district.lowercase_name, "tỉnh " + PROVINCE]
    )
    result: Json = {
        "extension": [{"url": EXT_ADDRESS_COMMUNE, "valueString": commune}],
        "use": use,
        "type": "physical",
        "text": text,
    }
    if parts:
        result["line"] = parts
    result.update(city=commune, district=district.name, state=PROVINCE, country="VN")
    return result


def phone(value: str, use: str = "mobile") -> Json:
    """A phone ContactPoint."""
    return {"system": "phone", "value": value, "use": use}


def entry(resource: Json) -> Json:
    """A bundle entry addressed by `urn:uuid:<id>`."""
    return {"fullUrl": "urn:uuid:" + resource["id"], "resource": resource}


def registry_entry(resource: Json, base: str) -> Json:
    """A bundle entry for a registry resource, addressed by its RESTful URL."""
    return {"fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}", "resource": resource}
