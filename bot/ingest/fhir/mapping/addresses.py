"""FHIR Address and telecom elements in the store's terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.ingest.fhir.datatypes import Json, arr, concept_text, extension, extension_value
from bot.ingest.fhir.vocabulary import EXT_ADDRESS_COMMUNE, VN_EXT_ADMINISTRATIVE_ADDRESS

_PHONE_SYSTEMS = ("phone", "sms")


@dataclass(frozen=True, slots=True)
class PlaceAddress:
    """The parts of an address the store keeps."""

    line: str | None = None
    full_text: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    country: str | None = None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    return concept_text(value)


def read_address(address: Any) -> PlaceAddress:
    """One Address element; VN Core's administrative-address extension fills the gaps."""
    if not isinstance(address, dict):
        return PlaceAddress()
    lines = [
        line.strip() for line in address.get("line") or () if isinstance(line, str) and line.strip()
    ]
    administrative = extension(address, VN_EXT_ADMINISTRATIVE_ADDRESS) or {}
    province = _text(address.get("state")) or _text(extension_value(administrative, "state"))
    district = _text(address.get("district")) or _text(extension_value(administrative, "district"))
    city = _text(address.get("city")) or _text(extension_value(administrative, "city"))
    commune = _text(extension_value(address, EXT_ADDRESS_COMMUNE)) or _text(
        extension_value(administrative, "ward")
    )
    line = ", ".join(lines) or None
    parts = [*lines, commune if commune != city else None, city, district, province]
    full_text = _text(address.get("text")) or ", ".join(p for p in parts if p) or None
    country = _text(address.get("country"))
    return PlaceAddress(line or full_text, full_text, province, district, commune or city, country)


def main_address(resource: Json, path: str) -> PlaceAddress:
    """The home (or first) address of a Patient, RelatedPerson or Organization."""
    if isinstance(resource.get("address"), dict):  # Location has a single address
        addresses = [resource["address"]]
    else:
        addresses = [a for a in arr(resource, "address", path) if isinstance(a, dict)]
    chosen = next((a for a in addresses if a.get("use") == "home"), None)
    return read_address(chosen or (addresses[0] if addresses else None))


def phone_numbers(resource: Json, path: str) -> tuple[str, ...]:
    """The raw phone numbers among `telecom`."""
    return tuple(
        item["value"].strip()
        for item in arr(resource, "telecom", path)
        if isinstance(item, dict)
        and item.get("system") in _PHONE_SYSTEMS
        and isinstance(item.get("value"), str)
        and item["value"].strip()
    )


def phone_region(address: PlaceAddress) -> str:
    """The region to read phone numbers in: the address's two-letter country, else Vietnam."""
    country = (address.country or "").upper()
    return country if len(country) == 2 and country.isalpha() else "VN"
