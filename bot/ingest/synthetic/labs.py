"""Laboratory tests and vital signs: LOINC codes, units, reference ranges and value models.

Chemistry is in the SI units Vietnamese laboratories report (mmol/L, µmol/L, g/L), so glucose
and lipids use the LOINC codes for molar concentration (glucose 14749-6 rather than 2345-7).
A test's value is drawn from a normal distribution; `shifted` gives the distribution for
people with a condition (keyed by ICD-10 category, e.g. "E11" for type 2 diabetes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.ingest.synthetic.constants import LOINC_SYSTEM
from bot.ingest.synthetic.fhir import Json, concept, quantity, text_concept

Distribution = tuple[float, float]


@dataclass(frozen=True, slots=True, eq=False)
class LabTest:
    """One measured quantity with its coding and reference ranges (compared by identity)."""

    loinc: str
    display: str
    text: str
    unit: str
    ucum: str
    male_range: tuple[float | None, float | None]
    female_range: tuple[float | None, float | None]
    male_normal: Distribution
    female_normal: Distribution
    decimals: int
    shifted: Mapping[str, Distribution] = field(default_factory=dict)
    code: Json = field(init=False, repr=False)
    reference_ranges: tuple[list[Json], list[Json]] = field(init=False, repr=False)
    """(male, female) `referenceRange` lists, built once and shared."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", concept(LOINC_SYSTEM, self.loinc, self.display, self.text))
        ranges = tuple(self._range(bounds) for bounds in (self.male_range, self.female_range))
        object.__setattr__(self, "reference_ranges", ranges)

    def _range(self, bounds: tuple[float | None, float | None]) -> list[Json]:
        low, high = bounds
        result: Json = {}
        if low is not None:
            result["low"] = quantity(low, self.unit, self.ucum)
        if high is not None:
            result["high"] = quantity(high, self.unit, self.ucum)
        return [result] if result else []

    def bounds(self, female: bool) -> tuple[float | None, float | None]:
        """The (low, high) reference bounds for a sex."""
        return self.female_range if female else self.male_range


def _test(
    loinc: str,
    display: str,
    text: str,
    unit: str,
    ucum: str,
    bounds: tuple[float | None, float | None],
    normal: Distribution,
    decimals: int,
    shifted: Mapping[str, Distribution] | None = None,
    *,
    female_bounds: tuple[float | None, float | None] | None = None,
    female_normal: Distribution | None = None,
) -> LabTest:
    return LabTest(
        loinc,
        display,
        text,
        unit,
        ucum,
        bounds,
        female_bounds or bounds,
        normal,
        female_normal or normal,
        decimals,
        shifted or {},
    )


GLUCOSE: Final = _test(
    "14749-6",
    "Glucose [Moles/volume] in Serum or Plasma",
    "Glucose máu",
    "mmol/L",
    "mmol/L",
    (3.9, 6.4),
    (5.2, 0.5),
    1,
    {"E11": (8.8, 2.2)},
)
HBA1C: Final = _test(
    "4548-4",
    "Hemoglobin A1c/Hemoglobin.total in Blood",
    "HbA1c",
    "%",
    "%",
    (4.0, 6.0),
    (5.3, 0.3),
    1,
    {"E11": (7.6, 1.2)},
)
CHOLESTEROL: Final = _test(
    "14647-2",
    "Cholesterol [Moles/volume] in Serum or Plasma",
    "Cholesterol toàn phần",
    "mmol/L",
    "mmol/L",
    (3.9, 5.2),
    (4.7, 0.7),
    1,
    {"E78": (6.3, 0.8)},
)
TRIGLYCERIDE: Final = _test(
    "14927-8",
    "Triglyceride [Moles/volume] in Serum or Plasma",
    "Triglycerid",
    "mmol/L",
    "mmol/L",
    (0.46, 1.88),
    (1.4, 0.5),
    2,
    {"E78": (2.8, 0.9), "E11": (2.2, 0.8)},
)
HDL: Final = _test(
    "14646-4",
    "Cholesterol in HDL [Moles/volume] in Serum or Plasma",
    "HDL-Cholesterol",
    "mmol/L",
    "mmol/L",
    (0.9, None),
    (1.3, 0.3),
    2,
)
LDL: Final = _test(
    "22748-8",
    "Cholesterol in LDL [Moles/volume] in Serum or Plasma",
    "LDL-Cholesterol",
    "mmol/L",
    "mmol/L",
    (None, 3.4),
    (2.8, 0.6),
    2,
    {"E78": (4.2, 0.7)},
)
CREATININE: Final = _test(
    "14682-9",
    "Creatinine [Moles/volume] in Serum or Plasma",
    "Creatinin",
    "µmol/L",
    "umol/L",
    (62, 106),
    (85, 12),
    0,
    {"N18": (190, 60)},
    female_bounds=(44, 80),
    female_normal=(65, 10),
)
ALT: Final = _test(
    "1742-6",
    "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
    "ALT (GPT)",
    "U/L",
    "U/L",
    (None, 40),
    (24, 9),
    0,
    {"A97": (85, 40), "A91": (85, 40)},
)
AST: Final = _test(
    "1920-8",
    "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
    "AST (GOT)",
    "U/L",
    "U/L",
    (None, 40),
    (25, 8),
    0,
    {"A97": (110, 50), "A91": (110, 50)},
)
HEMOGLOBIN: Final = _test(
    "718-7",
    "Hemoglobin [Mass/volume] in Blood",
    "Huyết sắc tố (Hb)",
    "g/L",
    "g/L",
    (130, 170),
    (145, 11),
    0,
    {"N18": (112, 12)},
    female_bounds=(120, 150),
    female_normal=(128, 11),
)
HEMATOCRIT: Final = _test(
    "4544-3",
    "Hematocrit [Volume Fraction] of Blood by Automated count",
    "Hematocrit",
    "%",
    "%",
    (40, 50),
    (44, 3),
    1,
    {"A97": (49, 4), "A91": (50, 4)},
    female_bounds=(36, 46),
    female_normal=(40, 3),
)
PLATELETS: Final = _test(
    "777-3",
    "Platelets [#/volume] in Blood by Automated count",
    "Tiểu cầu",
    "G/L",
    "10*9/L",
    (150, 450),
    (260, 60),
    0,
    {"A97": (75, 35), "A90": (120, 35), "A91": (60, 30)},
)
LEUKOCYTES: Final = _test(
    "6690-2",
    "Leukocytes [#/volume] in Blood by Automated count",
    "Bạch cầu",
    "G/L",
    "10*9/L",
    (4.0, 10.0),
    (7.0, 1.5),
    1,
    {"A97": (3.4, 1.0), "A90": (3.8, 1.0), "A91": (3.4, 1.0), "J18": (14.0, 3.5)},
)

SYSTOLIC: Final = _test(
    "8480-6",
    "Systolic blood pressure",
    "Huyết áp tâm thu",
    "mmHg",
    "mm[Hg]",
    (90, 139),
    (118, 10),
    0,
    {"I10": (142, 14)},
)
DIASTOLIC: Final = _test(
    "8462-4",
    "Diastolic blood pressure",
    "Huyết áp tâm trương",
    "mmHg",
    "mm[Hg]",
    (60, 89),
    (75, 7),
    0,
    {"I10": (88, 9)},
)
HEART_RATE: Final = _test("8867-4", "Heart rate", "Mạch", "lần/phút", "/min", (60, 100), (78, 9), 0)
TEMPERATURE: Final = _test(
    "8310-5",
    "Body temperature",
    "Nhiệt độ",
    "°C",
    "Cel",
    (36.0, 37.5),
    (36.8, 0.3),
    1,
    {"fever": (38.8, 0.6)},
)
WEIGHT: Final = _test("29463-7", "Body weight", "Cân nặng", "kg", "kg", (None, None), (0, 0), 1)
HEIGHT: Final = _test("8302-2", "Body height", "Chiều cao", "cm", "cm", (None, None), (0, 0), 0)
BMI: Final = _test(
    "39156-5",
    "Body mass index (BMI) [Ratio]",
    "Chỉ số khối cơ thể (BMI)",
    "kg/m²",
    "kg/m2",
    (18.5, 22.9),
    (0, 0),
    1,
)
BLOOD_PRESSURE_CODE: Final = concept(
    LOINC_SYSTEM, "85354-9", "Blood pressure panel with all children optional", "Huyết áp"
)


@dataclass(frozen=True, slots=True, eq=False)
class LabPanel:
    """A group of tests reported together in one DiagnosticReport."""

    text: str
    code: Json
    tests: tuple[LabTest, ...]


CBC: Final = LabPanel(
    "Tổng phân tích tế bào máu ngoại vi",
    concept(
        LOINC_SYSTEM,
        "58410-2",
        "CBC panel - Blood by Automated count",
        "Tổng phân tích tế bào máu ngoại vi",
    ),
    (HEMOGLOBIN, HEMATOCRIT, LEUKOCYTES, PLATELETS),
)
LIPIDS: Final = LabPanel(
    "Bộ mỡ máu",
    concept(LOINC_SYSTEM, "24331-1", "Lipid 1996 panel - Serum or Plasma", "Bộ mỡ máu"),
    (CHOLESTEROL, TRIGLYCERIDE, HDL, LDL),
)
CHEMISTRY: Final = LabPanel(
    "Xét nghiệm sinh hóa máu",
    text_concept("Xét nghiệm sinh hóa máu"),
    (GLUCOSE, CREATININE, ALT, AST),
)


@dataclass(frozen=True, slots=True, eq=False)
class LabOrder:
    """Some or all tests of a panel, ordered at a visit."""

    panel: LabPanel
    tests: tuple[LabTest, ...]


def order(panel: LabPanel, *tests: LabTest) -> LabOrder:
    """An order for the given tests of a panel (all of them when none is named)."""
    return LabOrder(panel, tests or panel.tests)


FULL_CHECKUP: Final = (order(CBC), order(CHEMISTRY), order(LIPIDS))
GLUCOSE_ONLY: Final = order(CHEMISTRY, GLUCOSE)
DIABETES_REVIEW: Final = LabOrder(
    LabPanel("Xét nghiệm sinh hóa máu", CHEMISTRY.code, (GLUCOSE, HBA1C)), (GLUCOSE, HBA1C)
)
KIDNEY_AND_LIVER: Final = order(CHEMISTRY, CREATININE, ALT, AST)
