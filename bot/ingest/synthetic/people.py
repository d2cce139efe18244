"""A synthetic citizen and the home they share with their household."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from bot.ingest.synthetic.facilities import Facility
from bot.ingest.synthetic.fhir import Json
from bot.ingest.synthetic.geography import District
from bot.ingest.synthetic.identifiers import numbered_id
from bot.ingest.synthetic.names import Ethnicity, PersonName

MOTHER: Final = "MTH"
FATHER: Final = "FTH"
GUARDIAN: Final = "GUARD"
GUARDIAN_AGE_LIMIT: Final = 14
"""Children younger than this are linked to their guardians (RelatedPerson)."""


@dataclass(slots=True)
class Home:
    """Where a household lives."""

    district: District
    commune: str
    line: str
    station: Facility
    """The commune health station."""
    address: Json
    """The FHIR Address, built once and shared by every member."""
    poverty: str | None
    """"HN" for a poor household, "CN" for a near-poor one (insurance beneficiary groups)."""


@dataclass(slots=True)
class Guardian:
    """A guardian of a child living in the same household."""

    person: Person
    relationship: str
    """v3 RoleCode: MTH, FTH or GUARD."""


@dataclass(slots=True, eq=False)
class Person:
    """One citizen: demographics, identity numbers and family links."""

    index: int
    id_prefix: str
    name: PersonName
    female: bool
    birth_day: int
    age: int
    ethnicity: Ethnicity
    birth_province: str
    home: Home
    national_id: str = ""
    phone: str | None = None
    blood_group: str = "O+"
    guardians: list[Guardian] = field(default_factory=list)
    wards: list[Person] = field(default_factory=list)
    """Children this person is a guardian of."""
    births: list[int] = field(default_factory=list)
    """Days on which this woman gave birth to children of the household."""
    _next_number: int = 0

    def new_id(self) -> str:
        """A fresh resource id in this citizen's id space."""
        self._next_number += 1
        return numbered_id(self.id_prefix, self._next_number)

    @property
    def patient_id(self) -> str:
        """The id of the citizen's Patient resource."""
        return numbered_id(self.id_prefix, 0)

    @property
    def is_child(self) -> bool:
        """Younger than the guardian age limit."""
        return self.age < GUARDIAN_AGE_LIMIT
