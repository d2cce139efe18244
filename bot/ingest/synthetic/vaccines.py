"""Vaccines, the expanded programme on immunization (TCMR) schedule and adult campaigns.

The childhood schedule follows the Vietnamese programme as it changed over the years (5-in-1
from 2010, measles-rubella from 2014, IPV from 2018). Vaccines carry CVX codes and the target
diseases SNOMED CT codes, with Vietnamese texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Final

from bot.ingest.synthetic.constants import CVX_SYSTEM, SNOMED_SYSTEM
from bot.ingest.synthetic.fhir import Json, concept
from bot.ingest.synthetic.weighted import WeightedTable

TUBERCULOSIS = concept(SNOMED_SYSTEM, "56717001", "Tuberculosis", "Lao")
HEPATITIS_B = concept(SNOMED_SYSTEM, "66071002", "Viral hepatitis type B", "Viêm gan B")
DIPHTHERIA = concept(SNOMED_SYSTEM, "397430003", "Diphtheria", "Bạch hầu")
PERTUSSIS = concept(SNOMED_SYSTEM, "27836007", "Pertussis", "Ho gà")
TETANUS = concept(SNOMED_SYSTEM, "76902006", "Tetanus", "Uốn ván")
HIB = concept(SNOMED_SYSTEM, "91428005", "Haemophilus influenzae infection", "Bệnh do Hib")
POLIO = concept(SNOMED_SYSTEM, "398102009", "Acute poliomyelitis", "Bại liệt")
MEASLES = concept(SNOMED_SYSTEM, "14189004", "Measles", "Sởi")
RUBELLA = concept(SNOMED_SYSTEM, "36653000", "Rubella", "Rubella")
JAPANESE_ENCEPHALITIS = concept(
    SNOMED_SYSTEM, "52947006", "Japanese encephalitis virus disease", "Viêm não Nhật Bản"
)
COVID = concept(SNOMED_SYSTEM, "840539006", "COVID-19", "COVID-19")
INFLUENZA = concept(SNOMED_SYSTEM, "6142004", "Influenza", "Cúm")
RABIES = concept(SNOMED_SYSTEM, "14168008", "Rabies", "Bệnh dại")


@dataclass(frozen=True, slots=True, eq=False)
class Vaccine:
    """A vaccine product class (compared by identity)."""

    cvx: str
    display: str
    text: str
    diseases: tuple[Json, ...]
    programme: str = "Tiêm chủng mở rộng"
    concept: Json = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concept", concept(CVX_SYSTEM, self.cvx, self.display, self.text))


BCG: Final = Vaccine("19", "BCG", "Vắc xin phòng lao (BCG)", (TUBERCULOSIS,))
HEPB_BIRTH: Final = Vaccine(
    "08", "Hep B, adolescent or pediatric", "Vắc xin viêm gan B sơ sinh", (HEPATITIS_B,)
)
PENTAVALENT: Final = Vaccine(
    "102",
    "DTP-Hib-Hep B",
    "Vắc xin 5 trong 1 (DPT-VGB-Hib)",
    (DIPHTHERIA, PERTUSSIS, TETANUS, HEPATITIS_B, HIB),
)
DTP: Final = Vaccine(
    "01", "DTP", "Vắc xin bạch hầu - ho gà - uốn ván (DPT)", (DIPHTHERIA, PERTUSSIS, TETANUS)
)
OPV: Final = Vaccine("02", "OPV", "Vắc xin bại liệt uống (OPV)", (POLIO,))
IPV: Final = Vaccine("10", "IPV", "Vắc xin bại liệt tiêm (IPV)", (POLIO,))
MEASLES_VACCINE: Final = Vaccine("05", "measles", "Vắc xin sởi", (MEASLES,))
MR: Final = Vaccine("04", "M/R", "Vắc xin sởi - rubella (MR)", (MEASLES, RUBELLA))
JE: Final = Vaccine(
    "39", "Japanese encephalitis SC", "Vắc xin viêm não Nhật Bản", (JAPANESE_ENCEPHALITIS,)
)
TETANUS_TOXOID: Final = Vaccine(
    "112", "tetanus toxoid, unspecified formulation", "Vắc xin uốn ván (VAT)", (TETANUS,)
)
HEPB_ADULT: Final = Vaccine(
    "43", "Hep B, adult", "Vắc xin viêm gan B người lớn", (HEPATITIS_B,), "Tiêm chủng dịch vụ"
)
INFLUENZA_VACCINE: Final = Vaccine(
    "88",
    "influenza, unspecified formulation",
    "Vắc xin cúm mùa",
    (INFLUENZA,),
    "Tiêm chủng dịch vụ",
)
RABIES_VACCINE: Final = Vaccine(
    "90", "rabies, unspecified formulation", "Vắc xin phòng dại", (RABIES,), "Tiêm chủng dịch vụ"
)
_COVID_PROGRAMME = "Chiến dịch tiêm chủng vắc xin phòng COVID-19"
COVID_ASTRAZENECA: Final = Vaccine(
    "210",
    "COVID-19 vaccine, vector-nr, rS-ChAdOx1",
    "Vắc xin COVID-19 AstraZeneca",
    (COVID,),
    _COVID_PROGRAMME,
)
COVID_SINOPHARM: Final = Vaccine(
    "510",
    "COVID-19 IV Non-US Vaccine (BIBP, Sinopharm)",
    "Vắc xin COVID-19 Vero Cell (Sinopharm)",
    (COVID,),
    _COVID_PROGRAMME,
)
COVID_PFIZER: Final = Vaccine(
    "208",
    "COVID-19, mRNA, LNP-S, PF (Pfizer-BioNTech)",
    "Vắc xin COVID-19 Pfizer-BioNTech (Comirnaty)",
    (COVID,),
    _COVID_PROGRAMME,
)
COVID_MODERNA: Final = Vaccine(
    "207",
    "COVID-19, mRNA, LNP-S, PF (Moderna)",
    "Vắc xin COVID-19 Moderna (Spikevax)",
    (COVID,),
    _COVID_PROGRAMME,
)
PRIMARY_COVID_BRANDS: Final = WeightedTable(
    {
        COVID_ASTRAZENECA: 45,
        COVID_SINOPHARM: 30,
        COVID_PFIZER: 15,
        COVID_MODERNA: 10,
    }
)
BOOSTER_COVID_BRANDS: Final = WeightedTable(
    {COVID_PFIZER: 50, COVID_MODERNA: 30, COVID_ASTRAZENECA: 20}
)


@dataclass(frozen=True, slots=True, eq=False)
class ScheduledDose:
    """One dose of the childhood schedule: age window and the birth years it applied to."""

    vaccine: Vaccine
    dose: int
    series_doses: int
    age_days: tuple[int, int]
    birth_years: tuple[int, int]


def _series(
    vaccine: Vaccine, first_age: int, birth_years: tuple[int, int], doses: int = 3, gap: int = 30
) -> tuple[ScheduledDose, ...]:
    return tuple(
        ScheduledDose(
            vaccine,
            n,
            doses,
            (first_age + gap * (n - 1), first_age + gap * (n - 1) + 15),
            birth_years,
        )
        for n in range(1, doses + 1)
    )


EVER: Final = (1985, 2100)
CHILDHOOD_SCHEDULE: Final[tuple[ScheduledDose, ...]] = (
    ScheduledDose(BCG, 1, 1, (0, 30), EVER),
    ScheduledDose(HEPB_BIRTH, 1, 1, (0, 1), (2003, 2100)),
    *_series(PENTAVALENT, 60, (2010, 2100)),
    *_series(DTP, 60, (1985, 2009)),
    *_series(OPV, 60, EVER),
    ScheduledDose(IPV, 1, 2, (150, 165), (2018, 2100)),
    ScheduledDose(IPV, 2, 2, (270, 285), (2022, 2100)),
    ScheduledDose(MEASLES_VACCINE, 1, 2, (270, 300), EVER),
    ScheduledDose(MEASLES_VACCINE, 2, 2, (540, 570), (2006, 2013)),
    ScheduledDose(MR, 1, 1, (540, 570), (2014, 2100)),
    ScheduledDose(DTP, 4, 4, (540, 570), (2011, 2100)),
    ScheduledDose(JE, 1, 3, (365, 380), (2005, 2100)),
    ScheduledDose(JE, 2, 3, (380, 395), (2005, 2100)),
    ScheduledDose(JE, 3, 3, (730, 760), (2005, 2100)),
)
BIRTH_DOSES: Final = frozenset({BCG, HEPB_BIRTH})
"""Given where the child was born rather than at the commune station."""


@dataclass(frozen=True, slots=True, eq=False)
class PlannedDose:
    """A dose someone received (day) or is due to receive."""

    vaccine: Vaccine
    dose: int
    series_doses: int
    day: int


def _day(year: int, month: int, day: int) -> int:
    return date(year, month, day).toordinal()


COVID_ADULT_FIRST: Final = (_day(2021, 7, 20), _day(2021, 11, 15))
COVID_ADULT_BOOSTER: Final = (_day(2022, 1, 5), _day(2022, 5, 30))
COVID_SECOND_BOOSTER: Final = (_day(2022, 6, 1), _day(2022, 12, 15))
COVID_TEEN_FIRST: Final = (_day(2021, 11, 1), _day(2021, 12, 20))
COVID_CHILD_FIRST: Final = (_day(2022, 4, 15), _day(2022, 6, 30))


def covid_doses(rng: Random, birth_day: int) -> list[PlannedDose]:
    """COVID-19 doses of the 2021-2022 campaigns, by the person's age at the time."""
    doses: list[PlannedDose] = []
    if birth_day <= _day(2003, 7, 20):
        if rng.random() < 0.95:
            brand = PRIMARY_COVID_BRANDS.pick(rng)
            first = rng.randint(*COVID_ADULT_FIRST)
            doses += [
                PlannedDose(brand, 1, 2, first),
                PlannedDose(brand, 2, 2, first + rng.randint(28, 84)),
            ]
            if rng.random() < 0.8:
                doses.append(
                    PlannedDose(
                        BOOSTER_COVID_BRANDS.pick(rng), 3, 3, rng.randint(*COVID_ADULT_BOOSTER)
                    )
                )
                older = birth_day <= _day(1972, 6, 1)
                if rng.random() < (0.35 if older else 0.15):
                    doses.append(
                        PlannedDose(
                            BOOSTER_COVID_BRANDS.pick(rng), 4, 4, rng.randint(*COVID_SECOND_BOOSTER)
                        )
                    )
    elif birth_day <= _day(2009, 11, 1):
        if rng.random() < 0.9:
            first = rng.randint(*COVID_TEEN_FIRST)
            doses += [
                PlannedDose(COVID_PFIZER, 1, 2, first),
                PlannedDose(COVID_PFIZER, 2, 2, first + rng.randint(21, 35)),
            ]
    elif birth_day <= _day(2017, 4, 15) and rng.random() < 0.6:
        first = rng.randint(*COVID_CHILD_FIRST)
        doses += [
            PlannedDose(COVID_PFIZER, 1, 2, first),
            PlannedDose(COVID_PFIZER, 2, 2, first + rng.randint(21, 35)),
        ]
    return doses
