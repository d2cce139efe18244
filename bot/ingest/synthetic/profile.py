"""A citizen's lasting health traits: chronic diseases, regimens, allergy and body size."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Final

from bot.ingest.synthetic import drugs as rx
from bot.ingest.synthetic.clock import DAYS_PER_YEAR
from bot.ingest.synthetic.constants import ATC_SYSTEM, SNOMED_SYSTEM
from bot.ingest.synthetic.diagnoses import CHRONIC, ChronicDisease
from bot.ingest.synthetic.drugs import Drug
from bot.ingest.synthetic.fhir import Json, concept, text_concept
from bot.ingest.synthetic.people import Person
from bot.ingest.synthetic.weighted import WeightedTable


@dataclass(frozen=True, slots=True, eq=False)
class AllergyKind:
    """A kind of allergy with its reaction and the medicines it rules out."""

    substance: Json
    category: str
    manifestation: Json
    criticality: str
    severity: str
    avoid: frozenset[Drug]
    replacement: Drug | None = None


URTICARIA = concept(SNOMED_SYSTEM, "126485001", "Urticaria", "Nổi mề đay")
ANAPHYLAXIS = concept(SNOMED_SYSTEM, "39579001", "Anaphylaxis", "Sốc phản vệ")
ANGIOEDEMA = concept(SNOMED_SYSTEM, "41291007", "Angioedema", "Phù mạch")
RASH = concept(SNOMED_SYSTEM, "271807003", "Eruption of skin", "Phát ban")
DYSPNEA = concept(SNOMED_SYSTEM, "267036007", "Dyspnea", "Khó thở")

ALLERGY_KINDS: Final = WeightedTable(
    {
        AllergyKind(
            concept(
                ATC_SYSTEM,
                "J01C",
                "Beta-lactam antibacterials, penicillins",
                "Kháng sinh nhóm Penicillin (Amoxicilin)",
            ),
            "medication",
            URTICARIA,
            "high",
            "moderate",
            frozenset({rx.AMOXICILIN, rx.AMOXICILIN_CHILD}),
            rx.AZITHROMYCIN,
        ): 30,
        AllergyKind(
            concept(
                ATC_SYSTEM,
                "J01C",
                "Beta-lactam antibacterials, penicillins",
                "Kháng sinh nhóm Penicillin",
            ),
            "medication",
            ANAPHYLAXIS,
            "high",
            "severe",
            frozenset({rx.AMOXICILIN, rx.AMOXICILIN_CHILD}),
            rx.AZITHROMYCIN,
        ): 5,
        AllergyKind(
            concept(ATC_SYSTEM, "J01E", "Sulfonamides and trimethoprim", "Sulfamid (Cotrimoxazol)"),
            "medication",
            RASH,
            "low",
            "mild",
            frozenset(),
        ): 10,
        AllergyKind(
            concept(
                ATC_SYSTEM,
                "M01A",
                "Antiinflammatory and antirheumatic products, non-steroids",
                "Thuốc kháng viêm không steroid (NSAID)",
            ),
            "medication",
            ANGIOEDEMA,
            "high",
            "moderate",
            frozenset({rx.MELOXICAM, rx.ASPIRIN}),
            rx.PARACETAMOL,
        ): 15,
        AllergyKind(
            text_concept("Hải sản (tôm, cua)"), "food", URTICARIA, "low", "moderate", frozenset()
        ): 25,
        AllergyKind(
            text_concept("Bụi nhà"), "environment", DYSPNEA, "low", "mild", frozenset()
        ): 15,
    }
)
ALLERGY_SHARE: Final = 0.06
FOLLOW_UP_INTERVALS: Final = WeightedTable({30: 25, 60: 30, 90: 45})
CHILD_GROWTH: Final = (  # median height (cm) and weight (kg) by completed year of age
    (50, 3.3),
    (75, 9.5),
    (86, 12),
    (95, 14),
    (102, 16),
    (109, 18),
    (115, 20.5),
    (121, 23),
    (127, 25.5),
    (132, 28.5),
    (138, 32),
    (143, 36),
    (149, 40),
    (155, 45),
    (160, 49),
    (163, 52),
    (165, 54),
    (166, 56),
)


@dataclass(frozen=True, slots=True, eq=False)
class ChronicCase:
    """A chronic disease of one citizen: since when, and what they take for it."""

    disease: ChronicDisease
    onset_day: int
    regimen: tuple[Drug, ...]


@dataclass(frozen=True, slots=True, eq=False)
class ClinicalProfile:
    """Traits that shape every visit of a citizen."""

    chronic: tuple[ChronicCase, ...]
    follow_up_days: int
    allergy: AllergyKind | None
    height_factor: float
    adult_height: float
    bmi: float

    @property
    def chronic_categories(self) -> tuple[str, ...]:
        """ICD-10 categories of the chronic diseases ("I10", "E11", ...), in a fixed order."""
        return tuple(case.disease.diagnosis.category for case in self.chronic)

    def prescribable(self, drug: Drug) -> Drug | None:
        """The drug, its replacement when the citizen is allergic to it, or None."""
        if self.allergy is None or drug not in self.allergy.avoid:
            return drug
        return self.allergy.replacement

    def body_at(self, female: bool, age_years: float) -> tuple[float, float]:
        """Height (cm) and weight (kg) at an age."""
        if age_years >= len(CHILD_GROWTH) - 1:
            return self.adult_height, self.bmi * (self.adult_height / 100) ** 2
        whole = int(age_years)
        (h0, w0), (h1, w1) = CHILD_GROWTH[whole], CHILD_GROWTH[whole + 1]
        share = age_years - whole
        girl = 0.97 if female and age_years >= 12 else 1.0
        height = (h0 + (h1 - h0) * share) * self.height_factor * girl
        return height, (w0 + (w1 - w0) * share) * self.height_factor**2 * girl


def _age_band(age: int) -> int:
    return 0 if age < 18 else 1 if age < 40 else 2 if age < 60 else 3


def clinical_profile(rng: Random, person: Person, today: int) -> ClinicalProfile:
    """Draw a citizen's chronic diseases, allergy and body size."""
    band = _age_band(person.age)
    cases: list[ChronicCase] = []
    for disease in CHRONIC:
        chance = disease.prevalence[band] * (disease.male_factor if not person.female else 1.0)
        if chance and rng.random() < chance:
            years_ill = rng.uniform(0.3, max(0.5, min(20.0, person.age - 15.0)))
            onset = max(person.birth_day + 1, today - int(years_ill * DAYS_PER_YEAR))
            cases.append(ChronicCase(disease, onset, _regimen(rng, disease)))
    allergy = ALLERGY_KINDS.pick(rng) if rng.random() < ALLERGY_SHARE else None
    height_factor = rng.gauss(1.0, 0.035)
    adult_height = (154.0 if person.female else 165.0) * height_factor
    bmi = rng.gauss(24.5 if "E11" in {c.disease.diagnosis.category for c in cases} else 21.8, 2.8)
    return ClinicalProfile(
        tuple(cases),
        FOLLOW_UP_INTERVALS.pick(rng),
        allergy,
        height_factor,
        adult_height,
        min(max(bmi, 15.5), 38.0),
    )


def _regimen(rng: Random, disease: ChronicDisease) -> tuple[Drug, ...]:
    roll = rng.random()
    for probability, regimen in disease.regimens:
        if roll < probability:
            return regimen
        roll -= probability
    return disease.regimens[-1][1]
