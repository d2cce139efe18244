"""Health-insurance (BHYT) cards: beneficiary group, benefit level, validity and facility.

Most cards are valid; about 7% expire within 30 days of the reference date and 6% have
expired, so reminders and renewals have something to show. Children under six hold a TE card
valid until the day before their sixth birthday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Final

from bot.ingest.synthetic.clock import add_years
from bot.ingest.synthetic.facilities import Facility, FacilityRegistry
from bot.ingest.synthetic.geography import REMOTE_COMMUNES
from bot.ingest.synthetic.identifiers import NumberFactory
from bot.ingest.synthetic.names import Ethnicity
from bot.ingest.synthetic.people import Person

BENEFIT_LEVEL: Final = {
    "TE": 1,
    "CC": 1,
    "HN": 2,
    "DT": 2,
    "BT": 2,
    "HT": 3,
    "CN": 3,
    "DN": 4,
    "HC": 4,
    "GD": 4,
    "HS": 4,
}
BENEFIT_PERCENT: Final = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}
GROUP_NAMES: Final = {
    "DN": "Người lao động làm việc trong doanh nghiệp",
    "HC": "Cán bộ, công chức, viên chức",
    "HT": "Người hưởng lương hưu, trợ cấp mất sức lao động",
    "GD": "Người tham gia theo hộ gia đình",
    "HS": "Học sinh, sinh viên",
    "TE": "Trẻ em dưới 6 tuổi",
    "CC": "Người có công với cách mạng",
    "CN": "Người thuộc hộ gia đình cận nghèo",
    "HN": "Người thuộc hộ gia đình nghèo",
    "BT": "Người hưởng trợ cấp bảo trợ xã hội hằng tháng",
    "DT": "Người dân tộc thiểu số sống ở vùng có điều kiện kinh tế - xã hội khó khăn",
}
EXPIRING_WITHIN_DAYS: Final = 30
OLD_CARD_FORMAT_SHARE: Final = 0.12
EMPLOYED_GROUPS: Final = frozenset({"DN", "HC"})


@dataclass(frozen=True, slots=True)
class Card:
    """One insurance card period of a citizen."""

    code: str
    """The code printed on the card: the 10-digit social-insurance number or the 15-character
    pre-2021 form (group, level, province, number)."""
    group: str
    level: int
    start: int
    end: int
    primary_care: Facility
    previous_start: int | None
    """Start of the card period before this one, which ended the day before `start`."""
    five_years: int | None
    copay_exempt: int | None
    residence_area: str | None

    @property
    def percent(self) -> int:
        """The share of covered costs the fund pays."""
        return BENEFIT_PERCENT[self.level]

    def status(self, today: int) -> str:
        """ "expired", "expiring" (within 30 days) or "valid"."""
        if self.end < today:
            return "expired"
        return "expiring" if self.end - today <= EXPIRING_WITHIN_DAYS else "valid"


def issue_card(
    rng: Random, person: Person, numbers: NumberFactory, registry: FacilityRegistry, today: int
) -> Card | None:
    """The citizen's current card, or None for the few without insurance."""
    group = _group(rng, person)
    if group is None:
        return None
    level = BENEFIT_LEVEL[group]
    district = person.home.district
    social_number = numbers.social_insurance_number(person.index, district.province_code)
    code = social_number
    if rng.random() < OLD_CARD_FORMAT_SHARE:
        code = f"{group}{level}{district.province_code}{social_number}"
    start, end = _period(rng, person, group, today)
    renewed = start - 365 > person.birth_day and rng.random() < 0.5
    previous = add_years(start, -1) if renewed else None
    five_years, copay_exempt = _continuity(rng, person, group, today)
    return Card(
        code,
        group,
        level,
        start,
        end,
        _primary_care(rng, person, group, registry),
        previous,
        five_years,
        copay_exempt,
        REMOTE_COMMUNES.get(person.home.commune),
    )


def _continuity(
    rng: Random, person: Person, group: str, today: int
) -> tuple[int | None, int | None]:
    """The day five continuous years were reached, and the co-payment exemption start."""
    if group in ("TE", "HS") or person.age < 25 or rng.random() >= 0.35:
        return None, None
    five_years = max(add_years(person.birth_day, 23), today - rng.randint(30, 3650))
    first_of_year = date.fromordinal(today).replace(month=1, day=1).toordinal()
    earliest_exemption = max(five_years, first_of_year)
    if earliest_exemption < today and rng.random() < 0.08:
        return five_years, rng.randint(earliest_exemption, today - 1)
    return five_years, None


def _group(rng: Random, person: Person) -> str | None:
    age, roll = person.age, rng.random()
    if age < 6:
        return "TE"
    if person.home.poverty is not None and roll < 0.9:
        return person.home.poverty
    if person.ethnicity is Ethnicity.KHMER and roll < 0.5:
        return "DT"
    if age < 18:
        return "HS" if roll < 0.97 else None
    if age < 23 and roll < 0.35:
        return "HS"
    if age >= 60:
        if roll < 0.03:
            return None
        if age >= 75 and roll < 0.4:
            return "BT"
        return "HT" if roll < 0.28 else "CC" if roll < 0.34 else "GD"
    if roll < 0.09:
        return None
    return "DN" if roll < 0.37 else "HC" if roll < 0.45 else "GD"


def _period(rng: Random, person: Person, group: str, today: int) -> tuple[int, int]:
    if group == "TE":
        return person.birth_day, add_years(person.birth_day, 6) - 1
    roll = rng.random()
    if roll < 0.06:
        end = today - rng.randint(1, 300)
    elif roll < 0.13:
        end = today + rng.randint(0, EXPIRING_WITHIN_DAYS)
    else:
        end = today + rng.randint(EXPIRING_WITHIN_DAYS + 1, 364)
    return max(person.birth_day, add_years(end + 1, -1)), end


def _primary_care(rng: Random, person: Person, group: str, registry: FacilityRegistry) -> Facility:
    roll = rng.random()
    district = person.home.district
    hospital_share = 0.2 if group in ("HC", "HT", "CC") else 0.05
    if roll < hospital_share:
        return registry.provincial_hospital[district.former_province]
    if roll < hospital_share + 0.28:
        return registry.district_centre[district.name]
    return person.home.station
