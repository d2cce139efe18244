"""Medicines commonly prescribed in Vietnamese primary care, with ATC codes and instructions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from bot.ingest.synthetic.constants import ATC_SYSTEM
from bot.ingest.synthetic.fhir import Json, concept


@dataclass(frozen=True, slots=True, eq=False)
class Drug:
    """A medicine as written on a Vietnamese prescription (compared by identity)."""

    name: str
    """Name and strength as printed: "Amlodipin 5mg"."""
    atc: str
    inn: str
    unit: str
    """Dispensing unit: "viên", "gói", "bình", "lọ"."""
    instructions: str
    """How to take it, in Vietnamese (dosageInstruction.text)."""
    per_day: float
    """Units a day; 0 for medicines dispensed as one container (inhalers, eye drops)."""
    course_days: int
    price: int
    """Price per dispensing unit, in VND."""
    route: str = "Uống"
    concept: Json = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concept", concept(ATC_SYSTEM, self.atc, self.inn, self.name))

    def quantity_for(self, days: int) -> float:
        """Units to dispense for `days` days."""
        return float(round(self.per_day * days)) if self.per_day else 1.0


AMLODIPIN: Final = Drug(
    "Amlodipin 5mg",
    "C08CA01",
    "amlodipine",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày vào buổi sáng",
    1,
    30,
    500,
)
LOSARTAN: Final = Drug(
    "Losartan 50mg",
    "C09CA01",
    "losartan",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày vào buổi sáng",
    1,
    30,
    1000,
)
METFORMIN: Final = Drug(
    "Metformin 500mg",
    "A10BA02",
    "metformin",
    "viên",
    "Uống 1 viên/lần, 2 lần/ngày sau ăn sáng và ăn tối",
    2,
    30,
    400,
)
GLICLAZID: Final = Drug(
    "Gliclazid 30mg",
    "A10BB09",
    "gliclazide",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày trước ăn sáng",
    1,
    30,
    1500,
)
ATORVASTATIN: Final = Drug(
    "Atorvastatin 10mg",
    "C10AA05",
    "atorvastatin",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày vào buổi tối",
    1,
    30,
    800,
)
ASPIRIN: Final = Drug(
    "Aspirin 81mg",
    "B01AC06",
    "acetylsalicylic acid",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày sau ăn trưa",
    1,
    30,
    300,
)
SALBUTAMOL: Final = Drug(
    "Salbutamol 100mcg/liều (bình xịt)",
    "R03AC02",
    "salbutamol",
    "bình",
    "Xịt 2 nhát khi khó thở, tối đa 4 lần/ngày",
    0,
    30,
    80000,
    "Hít",
)
BUDESONID_FORMOTEROL: Final = Drug(
    "Budesonid + Formoterol 160/4,5mcg (bình hít)",
    "R03AK07",
    "formoterol and budesonide",
    "bình",
    "Hít 1 nhát/lần, 2 lần/ngày sáng và tối, súc miệng sau hít",
    0,
    30,
    250000,
    "Hít",
)
OMEPRAZOL: Final = Drug(
    "Omeprazol 20mg",
    "A02BC01",
    "omeprazole",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày trước ăn sáng 30 phút",
    1,
    14,
    500,
)
NHOM_PHOSPHAT: Final = Drug(
    "Nhôm phosphat 20% (gói 12,38g)",
    "A02AB03",
    "aluminium phosphate",
    "gói",
    "Uống 1 gói/lần, 2 lần/ngày sau ăn hoặc khi đau",
    2,
    10,
    3500,
)
PARACETAMOL: Final = Drug(
    "Paracetamol 500mg",
    "N02BE01",
    "paracetamol",
    "viên",
    "Uống 1 viên/lần khi sốt trên 38,5°C hoặc đau, cách nhau ít nhất 4-6 giờ, tối đa 4 viên/ngày",
    3,
    5,
    200,
)
PARACETAMOL_CHILD: Final = Drug(
    "Paracetamol 250mg (gói bột)",
    "N02BE01",
    "paracetamol",
    "gói",
    "Pha với nước, uống 1 gói/lần khi sốt trên 38,5°C, cách nhau 4-6 giờ, tối đa 4 gói/ngày",
    3,
    3,
    1500,
)
AMOXICILIN: Final = Drug(
    "Amoxicilin 500mg",
    "J01CA04",
    "amoxicillin",
    "viên",
    "Uống 1 viên/lần, 3 lần/ngày, trong 7 ngày",
    3,
    7,
    1000,
)
AMOXICILIN_CHILD: Final = Drug(
    "Amoxicilin 250mg (gói bột)",
    "J01CA04",
    "amoxicillin",
    "gói",
    "Pha với nước, uống 1 gói/lần, 3 lần/ngày, trong 7 ngày",
    3,
    7,
    2000,
)
AZITHROMYCIN: Final = Drug(
    "Azithromycin 500mg",
    "J01FA10",
    "azithromycin",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày, trong 3 ngày",
    1,
    3,
    5000,
)
CEFUROXIM: Final = Drug(
    "Cefuroxim 500mg",
    "J01DC02",
    "cefuroxime",
    "viên",
    "Uống 1 viên/lần, 2 lần/ngày sau ăn, trong 7 ngày",
    2,
    7,
    4000,
)
CIPROFLOXACIN: Final = Drug(
    "Ciprofloxacin 500mg",
    "J01MA02",
    "ciprofloxacin",
    "viên",
    "Uống 1 viên/lần, 2 lần/ngày, trong 7 ngày",
    2,
    7,
    1000,
)
ACETYLCYSTEIN: Final = Drug(
    "Acetylcystein 200mg (gói)",
    "R05CB01",
    "acetylcysteine",
    "gói",
    "Pha với nước, uống 1 gói/lần, 3 lần/ngày",
    3,
    5,
    1200,
)
CETIRIZIN: Final = Drug(
    "Cetirizin 10mg",
    "R06AE07",
    "cetirizine",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày vào buổi tối",
    1,
    7,
    300,
)
ORESOL: Final = Drug(
    "Oresol 245 (gói)",
    "A07CA",
    "oral rehydration salt formulations",
    "gói",
    "Pha 1 gói với 200 ml nước đun sôi để nguội, uống từng ngụm nhỏ sau mỗi lần đi ngoài",
    3,
    3,
    2000,
)
KEM_GLUCONAT: Final = Drug(
    "Kẽm gluconat 10mg (gói)",
    "A12CB02",
    "zinc gluconate",
    "gói",
    "Uống 1 gói/lần, 1 lần/ngày, trong 10 ngày",
    1,
    10,
    2500,
)
MELOXICAM: Final = Drug(
    "Meloxicam 7,5mg",
    "M01AC06",
    "meloxicam",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày sau ăn no",
    1,
    7,
    600,
)
TOBRAMYCIN_EYE: Final = Drug(
    "Tobramycin 0,3% (lọ nhỏ mắt 5ml)",
    "S01AA12",
    "tobramycin",
    "lọ",
    "Nhỏ mắt 1-2 giọt/lần, 4 lần/ngày, trong 7 ngày",
    0,
    7,
    25000,
    "Nhỏ mắt",
)
VITAMIN_C: Final = Drug(
    "Vitamin C 500mg",
    "A11GA01",
    "ascorbic acid",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày sau ăn sáng",
    1,
    10,
    300,
)
SAT_ACID_FOLIC: Final = Drug(
    "Sắt fumarat + Acid folic",
    "B03AD",
    "iron in combination with folic acid",
    "viên",
    "Uống 1 viên/lần, 1 lần/ngày sau ăn",
    1,
    30,
    1000,
)

CHILD_FORMS: Final = {PARACETAMOL: PARACETAMOL_CHILD, AMOXICILIN: AMOXICILIN_CHILD}
"""Powder sachets given instead of tablets to children under 12."""
