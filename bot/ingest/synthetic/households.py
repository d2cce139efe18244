"""Households: who lives together, their ages, names, identity numbers and home.

Members of a household get consecutive citizen indices, adults first, so a household cut at
the end of a chunk loses children before it loses their guardians.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Final

from bot.ingest.synthetic.clock import add_years, year_of
from bot.ingest.synthetic.facilities import FacilityRegistry
from bot.ingest.synthetic.fhir import address
from bot.ingest.synthetic.geography import DISTRICTS, HAMLETS, STREETS, District, is_urban
from bot.ingest.synthetic.identifiers import NumberFactory, ResourceIds
from bot.ingest.synthetic.names import Ethnicity, family_name, personal_name
from bot.ingest.synthetic.people import FATHER, GUARDIAN, MOTHER, Guardian, Home, Person
from bot.ingest.synthetic.weighted import WeightedTable

DISTRICT_TABLE: Final = WeightedTable({d: float(d.population_thousands) for d in DISTRICTS})
OTHER_BIRTH_PROVINCES: Final = WeightedTable(
    {
        "091": 20,
        "094": 15,
        "092": 12,
        "079": 12,
        "089": 8,
        "093": 8,
        "086": 5,
        "087": 5,
        "001": 3,
        "083": 4,
        "084": 4,
        "038": 2,
        "040": 2,
    }
)
MOBILE_PREFIXES: Final = WeightedTable(
    {
        **{
            p: 5.0 for p in ("32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98")
        },
        **{p: 4.0 for p in ("81", "82", "83", "84", "85", "88", "91", "94")},
        **{p: 4.0 for p in ("70", "76", "77", "78", "79", "90", "93")},
        "56": 1.0,
        "58": 1.0,
        "92": 1.5,
        "59": 0.5,
    }
)
BLOOD_GROUPS: Final = WeightedTable(
    {
        "O+": 41.8,
        "B+": 30.7,
        "A+": 21.5,
        "AB+": 5.6,
        "O-": 0.1,
        "A-": 0.1,
        "B-": 0.1,
        "AB-": 0.03,
    }
)
HOA_SHARE: Final = 0.011


@dataclass(frozen=True, slots=True)
class Member:
    """A household member before names and numbers: sex, age and family position."""

    female: bool
    age: int
    role: str
    """"father", "mother", "grandparent", "child" or "adult"."""


Plan = list[Member]


class HouseholdFactory:
    """Builds households of citizens for one seed and reference day."""

    def __init__(
        self, numbers: NumberFactory, ids: ResourceIds, registry: FacilityRegistry, today: int
    ) -> None:
        self._numbers = numbers
        self._ids = ids
        self._registry = registry
        self._today = today

    def build(self, rng: Random, first_index: int, room: int) -> list[Person]:
        """A household whose members take indices from `first_index`, at most `room` of them."""
        plan = HOUSEHOLD_KINDS.pick(rng)(rng)[:room]
        home = self._home(rng)
        ethnicity = _ethnicity(rng, home.district)
        families = {"paternal": family_name(rng, ethnicity)}
        people = [
            self._person(rng, first_index + n, member, home, ethnicity, families)
            for n, member in enumerate(plan)
        ]
        _link_family(people, plan)
        return people

    def _home(self, rng: Random) -> Home:
        district = DISTRICT_TABLE.pick(rng)
        commune = district.communes[int(rng.random() * len(district.communes))]
        if is_urban(commune):
            line = (
                f"Số {rng.randint(1, 350)}, đường {rng.choice(STREETS)}"
                if rng.random() < 0.7
                else f"Khóm {rng.randint(1, 9)}"
            )
        else:
            line = f"Ấp {rng.choice(HAMLETS)}" if rng.random() < 0.7 else f"Ấp {rng.randint(1, 12)}"
        roll = rng.random()
        poverty = "HN" if roll < 0.03 else "CN" if roll < 0.07 else None
        station = self._registry.commune_station[(district.name, commune)]
        return Home(district, commune, line, station, address(line, commune, district), poverty)

    def _person(
        self,
        rng: Random,
        index: int,
        member: Member,
        home: Home,
        ethnicity: Ethnicity,
        families: dict[str, str],
    ) -> Person:
        days_past_birthday = rng.randint(1 if member.age == 0 else 0, 364)
        birth_day = add_years(self._today, -member.age) - days_past_birthday
        birth_year = year_of(birth_day)
        paternal = member.role in ("father", "child") or (
            member.role == "grandparent" and not member.female
        )
        family = families["paternal"] if paternal else family_name(rng, ethnicity)
        person = Person(
            index=index,
            id_prefix=self._ids.citizen_prefix(index),
            name=personal_name(rng, family, member.female, ethnicity, birth_year),
            female=member.female,
            birth_day=birth_day,
            age=member.age,
            ethnicity=ethnicity,
            birth_province=_birth_province(rng, home.district, member.age),
            home=home,
            blood_group=BLOOD_GROUPS.pick(rng),
        )
        person.national_id = self._numbers.national_id(
            index, person.birth_province, member.female, birth_year
        )
        if rng.random() < _phone_ownership(member.age):
            person.phone = self._numbers.mobile_phone(index, MOBILE_PREFIXES.pick(rng))
        return person


def _ethnicity(rng: Random, district: District) -> Ethnicity:
    roll = rng.random()
    if roll < district.khmer_share:
        return Ethnicity.KHMER
    return Ethnicity.HOA if roll < district.khmer_share + HOA_SHARE else Ethnicity.KINH


def _birth_province(rng: Random, district: District, age: int) -> str:
    if rng.random() < (0.95 if age < 18 else 0.85):
        return "0" + district.province_code
    return OTHER_BIRTH_PROVINCES.pick(rng)


def _phone_ownership(age: int) -> float:
    if age < 15:
        return 0.0
    if age < 18:
        return 0.6
    return 0.7 if age >= 75 else 0.95


def _link_family(people: list[Person], plan: Plan) -> None:
    """Guardianships for young children, and births for the mothers of the household."""
    by_role: dict[str, list[Person]] = {}
    for person, member in zip(people, plan, strict=True):
        by_role.setdefault(member.role, []).append(person)
    parents = [(p, MOTHER) for p in by_role.get("mother", [])]
    parents += [(p, FATHER) for p in by_role.get("father", [])]
    if not parents:
        parents = [(p, GUARDIAN) for p in by_role.get("grandparent", [])]
    for child in by_role.get("child", []):
        for mother in by_role.get("mother", []):
            mother.births.append(child.birth_day)
        if not child.is_child:
            continue
        for guardian, relationship in parents:
            child.guardians.append(Guardian(guardian, relationship))
            guardian.wards.append(child)


def _children(rng: Random, mother_age: int, count: int, max_age: int = 17) -> Plan:
    youngest, oldest = max(0, mother_age - 40), min(max_age, mother_age - 19)
    if oldest < youngest:
        return []
    ages = sorted((rng.randint(youngest, oldest) for _ in range(count)), reverse=True)
    return [Member(rng.random() < 0.48, age, "child") for age in ages]


def _couple(rng: Random, low: int, high: int) -> Plan:
    husband = rng.randint(low, high)
    wife = max(low, husband - rng.randint(0, 6))
    return [Member(False, husband, "father"), Member(True, wife, "mother")]


def _family(rng: Random) -> Plan:
    parents = _couple(rng, 24, 55)
    count = rng.choice((1, 1, 2, 2, 2, 3))
    return parents + _children(rng, parents[1].age, count)


def _three_generations(rng: Random) -> Plan:
    grandparents = [Member(False, rng.randint(58, 85), "grandparent")]
    if rng.random() < 0.6:
        grandparents.append(
            Member(True, max(55, grandparents[0].age - rng.randint(0, 5)), "grandparent")
        )
    parents = _couple(rng, 24, max(24, min(50, grandparents[-1].age - 22)))
    return grandparents + parents + _children(rng, parents[1].age, rng.choice((1, 2, 2, 3)))


def _single_parent(rng: Random) -> Plan:
    female = rng.random() < 0.85
    parent = Member(female, rng.randint(22, 50), "mother" if female else "father")
    mother_age = parent.age if female else parent.age - 3
    return [parent, *_children(rng, mother_age, rng.choice((1, 1, 2)))]


def _grandparents_raising(rng: Random) -> Plan:
    grandmother = Member(True, rng.randint(50, 78), "grandparent")
    members = [grandmother]
    if rng.random() < 0.5:
        members.insert(0, Member(False, grandmother.age + rng.randint(0, 5), "grandparent"))
    kids = [
        Member(rng.random() < 0.48, rng.randint(0, 13), "child")
        for _ in range(rng.choice((1, 1, 2)))
    ]
    return members + sorted(kids, key=lambda m: -m.age)


def _couple_only(rng: Random) -> Plan:
    if rng.random() < 0.4:
        return _couple(rng, 20, 35)
    return _couple(rng, 50, 88)


def _single(rng: Random) -> Plan:
    age = rng.randint(18, 92)
    female = rng.random() < (0.7 if age >= 65 else 0.45)
    return [Member(female, age, "adult")]


def _with_adult_children(rng: Random) -> Plan:
    parents = _couple(rng, 45, 70)
    count = rng.choice((1, 2))
    youngest, oldest = max(18, parents[1].age - 40), min(35, parents[1].age - 19)
    ages = sorted(
        (rng.randint(youngest, max(youngest, oldest)) for _ in range(count)), reverse=True
    )
    return parents + [Member(rng.random() < 0.5, age, "child") for age in ages]


HOUSEHOLD_KINDS: Final[WeightedTable[Callable[[Random], Plan]]] = WeightedTable(
    {
        _family: 35,
        _three_generations: 15,
        _single_parent: 6,
        _grandparents_raising: 5,
        _couple_only: 16,
        _single: 18,
        _with_adult_children: 5,
    }
)
