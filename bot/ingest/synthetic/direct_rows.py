"""Rows of a skewed synthetic province, ready for batched inserts (`healthbot demo-data --direct`).

People (names, CCCD, phones, homes, insurance cards) come from the same factories as the FHIR
generator; their records are drawn directly as table rows with a realistic skew: on average
5 visits, 10 results (2 a visit) and 5 immunizations per citizen, most people with a few and a
heavy user in every `HEAVY_USER_EVERY` citizens with hundreds of visits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any, Final

from bot.ingest.synthetic.constants import PROVINCE
from bot.ingest.synthetic.direct_records import (
    IdCounters,
    RecordRows,
    Row,
    Rows,
    floor_exponential_scale,
    local_time,
    row_key,
)
from bot.ingest.synthetic.facilities import FacilityRegistry, build_registry
from bot.ingest.synthetic.households import HouseholdFactory
from bot.ingest.synthetic.identifiers import NumberFactory, ResourceIds, derived_seed
from bot.ingest.synthetic.insurance import issue_card
from bot.ingest.synthetic.people import Person


MEAN_VISITS: Final = 5.0
MEAN_IMMUNIZATIONS: Final = 5.0
HEAVY_USER_EVERY: Final = 2000
"""One citizen in this many (spread evenly through the table) is a heavy user."""
HEAVY_VISITS: Final = (100, 400)
TABLES: Final = (
    "citizens",
    "citizen_phones",
    "coverages",
    "visits",
    "diagnoses",
    "medications",
    "observations",
    "immunizations",
    "appointments",
    "conditions",
    "allergies",
)
"""Tables in insertion order (parents before children)."""

_HEAVY_MEAN: Final = sum(HEAVY_VISITS) / 2



_BASE_VISIT_MEAN: Final = MEAN_VISITS - _HEAVY_MEAN / HEAVY_USER_EVERY
_VISIT_SCALE: Final = floor_exponential_scale(_BASE_VISIT_MEAN)
_IMMUNIZATION_SCALE: Final = floor_exponential_scale(MEAN_IMMUNIZATIONS)


def is_heavy_user(index: int) -> bool:
    """True for the heavy users: one in `HEAVY_USER_EVERY`, evenly spread through the table."""
    return index % HEAVY_USER_EVERY == HEAVY_USER_EVERY // 2


def visit_count(rng: Random, index: int) -> int:
    """How many visits citizen `index` has: geometric, or hundreds for a heavy user."""
    if is_heavy_user(index):
        return rng.randint(*HEAVY_VISITS)
    return int(rng.expovariate(1.0 / _VISIT_SCALE))


@dataclass(slots=True)
class Batch:
    """The rows of a run of consecutive citizens, by table."""

    rows: Rows = field(default_factory=lambda: {name: [] for name in TABLES})
    citizens: int = 0

    def count(self, table: str) -> int:
        """Rows of one table."""
        return len(self.rows[table])


class DirectRows:
    """Draws the rows of citizens `first..end` for a seed and reference day."""

    def __init__(self, seed: int, today: date, ids: IdCounters) -> None:
        self.seed = seed
        self.today = today.toordinal()
        self.ids = ids
        self.registry: FacilityRegistry = build_registry()
        self._numbers = NumberFactory(seed)
        self._households = HouseholdFactory(
            self._numbers, ResourceIds(seed), self.registry, self.today
        )
        self._stamp = local_time(self.today, 0)
        self.facility_ids: dict[str, int] = {}
        """Facility ids by insurance code, filled by `facility_rows`."""
        self.records = RecordRows(seed, self.today, ids, self.registry, self.facility_ids)

    def facility_rows(self) -> list[Row]:
        """Every facility of the registry, keyed by its insurance code."""
        rows = [
            {
                "id": self.ids.take("facilities"),
                "source_key": f"direct:facility:{f.code}",
                "source_updated": self._stamp,
                "code": f.code,
                "name": f.name,
                "kind": f.kind.value,
                "address": f.address_line,
                "district": f.district.name,
                "phone": f.phone,
            }
            for f in self.registry.facilities
        ]
        self.facility_ids.update({row["code"]: row["id"] for row in rows})
        return rows

    def batches(self, first: int, end: int, batch_citizens: int) -> Iterator[Batch]:
        """Batches of about `batch_citizens` citizens (households are never split)."""
        rng = Random(derived_seed(self.seed, f"direct/{first}"))
        batch = Batch()
        index = first
        while index < end:
            people = self._households.build(rng, index, end - index)
            for person in people:
                self._person(rng, person, batch)
            index += len(people)
            batch.citizens += len(people)
            if batch.citizens >= batch_citizens:
                yield batch
                batch = Batch()
        if batch.citizens:
            yield batch

    def _person(self, rng: Random, person: Person, batch: Batch) -> None:
        rows = batch.rows
        citizen_id = self.ids.take("citizens")
        home = person.home
        rows["citizens"].append(
            {
                "id": citizen_id,
                "source_key": row_key(self.seed, "citizen", citizen_id),
                "source_updated": self._stamp,
                "national_id": person.national_id,
                "full_name": person.name.text,
                "birth_date": date.fromordinal(person.birth_day),
                "sex": "female" if person.female else "male",
                "blood_type": person.blood_group,
                "address_line": home.line,
                "province": PROVINCE,
                "district": home.district.name,
                "commune": home.commune,
                "ethnicity": person.ethnicity.label,
            }
        )
        if person.phone:
            rows["citizen_phones"].append(
                {
                    "id": self.ids.take("citizen_phones"),
                    "citizen_id": citizen_id,
                    "e164": person.phone,
                }
            )
        card = issue_card(rng, person, self._numbers, self.registry, self.today)
        if card is not None:
            self._coverage(citizen_id, card, rows)
        chronic = self.records.chronic(rng, person, citizen_id, rows)
        percent = card.percent if card is not None else 0
        for _ in range(visit_count(rng, person.index)):
            self.records.visit(rng, person, citizen_id, chronic, percent, rows)
        for _ in range(int(rng.expovariate(1.0 / _IMMUNIZATION_SCALE))):
            self.records.immunization(rng, person, citizen_id, rows)
        if rng.random() < 0.2:
            self.records.appointment(rng, person, citizen_id, rows)
        if rng.random() < 0.05:
            self.records.allergy(rng, person, citizen_id, rows)

    def _coverage(self, citizen_id: int, card: Any, rows: Rows) -> None:
        row_id = self.ids.take("coverages")
        rows["coverages"].append(
            {
                "id": row_id,
                "source_key": row_key(self.seed, "coverage", row_id),
                "source_updated": self._stamp,
                "citizen_id": citizen_id,
                "card_number": card.code,
                "beneficiary_group": card.group,
                "benefit_level": card.level,
                "benefit_percent": card.percent,
                "valid_from": date.fromordinal(card.start),
                "valid_to": date.fromordinal(card.end),
                "primary_care_code": card.primary_care.code,
                "primary_care_name": card.primary_care.name,
                "five_years_date": date.fromordinal(card.five_years) if card.five_years else None,
                "copay_exempt_from": date.fromordinal(card.copay_exempt)
                if card.copay_exempt
                else None,
                "residence_area": card.residence_area,
            }
        )
