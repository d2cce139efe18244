"""What a resource mapper gets (the batch's references) and what it gives back (a draft)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.db.base import Base
from bot.ingest.fhir.datatypes import Json, arr, human_name, obj, string, to_datetime
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.references import BundleIndex, Entry, Target
from bot.ingest.store import (
    FACILITY_CODE_SYSTEM,
    NATIONAL_ID_SYSTEM,
    CitizenRef,
    ConditionSummary,
    FacilityRef,
)

_VIETNAM = {None, "VN", "VNM", "VIET NAM", "VIETNAM", "VIỆT NAM"}


@dataclass(slots=True)
class Lookups:
    """Names and codes of practitioners and conditions stored by earlier imports."""

    practitioners: dict[str, str] = field(default_factory=dict)
    practitioner_codes: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, ConditionSummary] = field(default_factory=dict)


Finisher = Callable[[Lookups], None]


@dataclass(slots=True)
class Draft:
    """What one entry becomes: store records (the first is the entry's own) and loose ends."""

    entry: Entry
    records: list[Any] = field(default_factory=list)
    finishers: list[Finisher] = field(default_factory=list)
    withdrawn: list[tuple[type[Base], str]] = field(default_factory=list)
    blood_type: tuple[CitizenRef, str] | None = None
    key_family: tuple[str, set[str]] | None = None


@dataclass(slots=True)
class PractitionerName:
    """A practitioner reference whose name may only be known after a lookup."""

    key: str | None
    code: str | None
    display: str | None

    def resolve(self, lookups: Lookups) -> str | None:
        """The stored name, else the reference's display."""
        name = lookups.practitioners.get(self.key) if self.key else None
        if name is None and self.code:
            name = lookups.practitioner_codes.get(self.code)
        return name or self.display


def is_vietnamese(resource: Json) -> bool:
    """True unless the resource's address is in another country (decides name order)."""
    addresses = resource.get("address")
    first = addresses[0] if isinstance(addresses, list) and addresses else None
    country = first.get("country") if isinstance(first, dict) else None
    return not isinstance(country, str) or country.strip().upper() in _VIETNAM


def person_name(resource: Json) -> str | None:
    """The display name of a Patient, Practitioner or RelatedPerson."""
    names = resource.get("name")
    if isinstance(names, dict):
        names = [names]
    return human_name(names if isinstance(names, list) else [], is_vietnamese(resource))


@dataclass(slots=True)
class MappingContext:
    """The batch a resource is mapped in: reference resolution and pending lookups."""

    index: BundleIndex
    medications: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """(code, name) of Medication resources seen earlier in the run, by source key."""
    wanted_practitioners: set[str] = field(default_factory=set)
    wanted_practitioner_codes: set[str] = field(default_factory=set)
    wanted_conditions: set[str] = field(default_factory=set)
    _conditions_by_encounter: dict[str, list[Entry]] | None = None

    def conditions_of(self, encounter: Entry) -> list[Entry]:
        """The batch's Conditions whose `encounter` names this encounter."""
        if self._conditions_by_encounter is None:
            self._conditions_by_encounter = {}
            for entry in self.index.entries:
                reference = entry.resource.get("encounter") if entry.type == "Condition" else None
                if isinstance(reference, dict) and isinstance(reference.get("reference"), str):
                    self._conditions_by_encounter.setdefault(reference["reference"], []).append(
                        entry
                    )
        found = []
        for name in (encounter.full_url, f"Encounter/{encounter.id}"):
            found += self._conditions_by_encounter.get(name or "", [])
        return found

    def target(
        self, element: Json, name: str, path: str, contained: Sequence[Json] = ()
    ) -> Target | None:
        """The target of `element[name]`, a Reference."""
        return self.index.resolve(element.get(name), f"{path}.{name}", contained)

    def citizen(self, element: Json, name: str, path: str) -> CitizenRef:
        """The patient that `element[name]` names; required."""
        target = self.target(element, name, path)
        if target is None:
            raise EntryError(f"{path}.{name} is missing")
        return self.citizen_of(target, f"{path}.{name}")

    def citizen_of(self, target: Target, path: str) -> CitizenRef:
        """The patient a resolved reference names."""
        if target.type not in (None, "Patient"):
            raise EntryError(f"{path} is not a Patient")
        if target.key is not None:
            return CitizenRef.by_key(target.key)
        if target.identifier is not None:
            return CitizenRef(*target.identifier)
        raise EntryError(f"{path} does not identify a patient")

    def facility(self, target: Target | None) -> FacilityRef | None:
        """The facility an Organization or Location reference names, if it can name one."""
        if target is None or target.type not in (None, "Organization", "Location"):
            return None
        if target.key is not None:
            return FacilityRef.by_key(target.key)
        if target.identifier is not None and target.identifier[0] != NATIONAL_ID_SYSTEM:
            return FacilityRef(*target.identifier)
        return None

    def visit_key(self, element: Json, name: str, path: str) -> str | None:
        """The visit an Encounter reference names."""
        target = self.target(element, name, path)
        if target is None:
            return None
        if target.type not in (None, "Encounter") or target.key is None:
            raise EntryError(f"{path}.{name} is not a literal Encounter reference")
        return target.key

    def practitioner(self, target: Target | None) -> PractitionerName | None:
        """A practitioner's name, now when the bundle has it, else after a lookup."""
        if target is None or target.type not in (None, "Practitioner", "PractitionerRole"):
            return None
        if target.key is not None:
            entry = self.index.by_key.get(target.key)
            if entry is not None and entry.type == "Practitioner":
                return PractitionerName(None, None, person_name(entry.resource) or target.display)
            self.wanted_practitioners.add(target.key)
            return PractitionerName(target.key, None, target.display)
        if target.identifier is not None and target.identifier[0] != FACILITY_CODE_SYSTEM:
            self.wanted_practitioner_codes.add(target.identifier[1])
            return PractitionerName(None, target.identifier[1], target.display)
        return PractitionerName(None, None, target.display)


def updated_at(resource: Json, path: str) -> datetime | None:
    """`meta.lastUpdated` as aware UTC."""
    meta = obj(resource, "meta", path)
    return to_datetime(meta.get("lastUpdated"), f"{path}.meta.lastUpdated") if meta else None


def required_status(resource: Json, path: str) -> str:
    """The resource's `status`, which FHIR requires."""
    status = string(resource, "status", path)
    if status is None:
        raise EntryError(f"{path}.status is missing")
    return status


def contained_of(resource: Json, path: str) -> list[Json]:
    """The resource's contained resources."""
    return [r for r in arr(resource, "contained", path) if isinstance(r, dict)]
