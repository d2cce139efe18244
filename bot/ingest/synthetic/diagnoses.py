"""ICD-10 diagnoses with their Vietnamese names, how they are treated and how common they are.

Displays follow the Vietnamese ICD-10 (QĐ 4469/QĐ-BYT). Acute diagnoses carry weights per age
band (under 6, 6-14, 15-59, 60 and over); chronic ones a prevalence per age band (under 18,
18-39, 40-59, 60 and over) and become problem-list Conditions followed up for years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from bot.ingest.synthetic import drugs as rx
from bot.ingest.synthetic import labs
from bot.ingest.synthetic.constants import ICD10_SYSTEM
from bot.ingest.synthetic.drugs import Drug
from bot.ingest.synthetic.facilities import Department
from bot.ingest.synthetic.fhir import Json, concept
from bot.ingest.synthetic.labs import LabOrder

Bands = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True, eq=False)
class Diagnosis:
    """An ICD-10 diagnosis and the care that usually follows it (compared by identity)."""

    code: str
    display: str
    department: Department
    reasons: tuple[str, ...]
    """Presenting complaints (Encounter.reasonCode text)."""
    weights: Bands = (0, 0, 0, 0)
    drugs: tuple[Drug, ...] = ()
    labs: tuple[LabOrder, ...] = ()
    inpatient: float = 0.0
    emergency: float = 0.0
    stay_days: tuple[int, int] = (3, 6)
    resolve_days: int = 7
    fever: bool = False
    rainy_season: bool = False
    years: tuple[int, int] = (1900, 2100)
    """First and last calendar year in which the code is used."""
    concept: Json = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "concept", concept(ICD10_SYSTEM, self.code, self.display, self.display)
        )

    @property
    def category(self) -> str:
        """The three-character ICD-10 category ("E11" for "E11.9")."""
        return self.code[:3]


@dataclass(frozen=True, slots=True, eq=False)
class ChronicDisease:
    """A long-term condition: prevalence, follow-up and the usual regimens."""

    diagnosis: Diagnosis
    prevalence: Bands
    regimens: tuple[tuple[float, tuple[Drug, ...]], ...]
    """(probability, drugs) choices; the probabilities sum to 1."""
    follow_up_labs: tuple[tuple[float, LabOrder], ...] = ()
    """(probability at each follow-up visit, order)."""
    male_factor: float = 1.0


D = Department
CBC_ORDER = labs.order(labs.CBC)
DENGUE_LABS = (CBC_ORDER, labs.order(labs.CHEMISTRY, labs.ALT, labs.AST))
DENGUE_DRUGS = (rx.PARACETAMOL, rx.ORESOL)
DENGUE_REASONS = (
    "Sốt cao liên tục 3 ngày, đau nhức người",
    "Sốt, đau đầu, đau sau hốc mắt",
    "Sốt, xuất hiện chấm xuất huyết dưới da",
)

ACUTE: Final[tuple[Diagnosis, ...]] = (
    Diagnosis(
        "J06.9",
        "Nhiễm khuẩn hô hấp trên cấp",
        D.OUTPATIENT,
        ("Ho, sổ mũi, sốt nhẹ", "Đau họng, ho khan", "Sốt, chảy mũi 2 ngày"),
        weights=(30, 20, 12, 8),
        drugs=(rx.PARACETAMOL, rx.CETIRIZIN),
        fever=True,
    ),
    Diagnosis(
        "J02.9",
        "Viêm họng cấp",
        D.OUTPATIENT,
        ("Đau họng, nuốt đau", "Sốt, đau rát họng"),
        weights=(8, 10, 6, 3),
        drugs=(rx.AMOXICILIN, rx.PARACETAMOL),
        fever=True,
    ),
    Diagnosis(
        "J20.9",
        "Viêm phế quản cấp",
        D.INTERNAL,
        ("Ho có đờm 5 ngày", "Ho, khò khè, sốt nhẹ"),
        weights=(6, 5, 4, 6),
        drugs=(rx.AMOXICILIN, rx.ACETYLCYSTEIN, rx.PARACETAMOL),
        resolve_days=14,
    ),
    Diagnosis(
        "J18.9",
        "Viêm phổi",
        D.INTERNAL,
        ("Sốt cao, ho, khó thở", "Ho đờm đặc, đau ngực, sốt"),
        weights=(5, 2, 1, 4),
        drugs=(rx.CEFUROXIM, rx.PARACETAMOL),
        labs=(CBC_ORDER,),
        inpatient=0.5,
        stay_days=(4, 9),
        resolve_days=21,
        fever=True,
    ),
    Diagnosis(
        "A09",
        "Tiêu chảy và viêm dạ dày ruột do nhiễm trùng",
        D.OUTPATIENT,
        ("Tiêu chảy nhiều lần trong ngày", "Đau bụng, đi ngoài phân lỏng, nôn"),
        weights=(12, 5, 4, 3),
        drugs=(rx.ORESOL, rx.KEM_GLUCONAT),
        inpatient=0.1,
        stay_days=(2, 4),
    ),
    Diagnosis(
        "A97.0",
        "Sốt xuất huyết Dengue không có dấu hiệu cảnh báo",
        D.INFECTIOUS,
        DENGUE_REASONS,
        weights=(3, 6, 3, 1),
        drugs=DENGUE_DRUGS,
        labs=DENGUE_LABS,
        inpatient=0.3,
        stay_days=(3, 6),
        fever=True,
        rainy_season=True,
        years=(2020, 2100),
    ),
    Diagnosis(
        "A97.1",
        "Sốt xuất huyết Dengue có dấu hiệu cảnh báo",
        D.INFECTIOUS,
        DENGUE_REASONS,
        weights=(1, 2, 1, 0.5),
        drugs=DENGUE_DRUGS,
        labs=DENGUE_LABS,
        inpatient=0.9,
        stay_days=(4, 8),
        fever=True,
        rainy_season=True,
        years=(2020, 2100),
    ),
    Diagnosis(
        "A90",
        "Sốt Dengue [sốt xuất huyết Dengue cổ điển]",
        D.INFECTIOUS,
        DENGUE_REASONS,
        weights=(3, 6, 3, 1),
        drugs=DENGUE_DRUGS,
        labs=DENGUE_LABS,
        inpatient=0.3,
        stay_days=(3, 6),
        fever=True,
        rainy_season=True,
        years=(1900, 2019),
    ),
    Diagnosis(
        "A91",
        "Sốt xuất huyết Dengue",
        D.INFECTIOUS,
        DENGUE_REASONS,
        weights=(1, 2, 1, 0.5),
        drugs=DENGUE_DRUGS,
        labs=DENGUE_LABS,
        inpatient=0.9,
        stay_days=(4, 8),
        fever=True,
        rainy_season=True,
        years=(1900, 2019),
    ),
    Diagnosis(
        "B08.4",
        "Bệnh tay chân miệng",
        D.PAEDIATRICS,
        ("Sốt, loét miệng, nổi bóng nước lòng bàn tay chân",),
        weights=(6, 1, 0, 0),
        drugs=(rx.PARACETAMOL,),
        inpatient=0.15,
        stay_days=(3, 5),
        fever=True,
    ),
    Diagnosis(
        "K29.7",
        "Viêm dạ dày",
        D.OUTPATIENT,
        ("Đau thượng vị, ợ chua", "Đau bụng vùng trên rốn"),
        weights=(0, 2, 8, 6),
        drugs=(rx.OMEPRAZOL, rx.NHOM_PHOSPHAT),
        resolve_days=21,
    ),
    Diagnosis(
        "M54.5",
        "Đau vùng thắt lưng",
        D.OUTPATIENT,
        ("Đau lưng sau khi làm việc nặng",),
        weights=(0, 0.5, 6, 8),
        drugs=(rx.MELOXICAM, rx.PARACETAMOL),
        resolve_days=14,
    ),
    Diagnosis(
        "N39.0",
        "Nhiễm khuẩn đường tiết niệu",
        D.OUTPATIENT,
        ("Tiểu buốt, tiểu rắt",),
        weights=(1, 1, 3, 3),
        drugs=(rx.CIPROFLOXACIN,),
        labs=(CBC_ORDER,),
    ),
    Diagnosis(
        "H10.9",
        "Viêm kết mạc",
        D.OUTPATIENT,
        ("Đỏ mắt, chảy ghèn",),
        weights=(3, 3, 2, 1),
        drugs=(rx.TOBRAMYCIN_EYE,),
    ),
    Diagnosis(
        "L30.9",
        "Viêm da",
        D.OUTPATIENT,
        ("Ngứa, nổi mẩn đỏ",),
        weights=(2, 2, 3, 2),
        drugs=(rx.CETIRIZIN,),
    ),
    Diagnosis(
        "T14.1",
        "Vết thương hở",
        D.SURGERY,
        ("Bị thương do tai nạn giao thông", "Vết thương do tai nạn lao động"),
        weights=(2, 3, 4, 2),
        drugs=(rx.AMOXICILIN, rx.PARACETAMOL),
        emergency=0.7,
        resolve_days=10,
    ),
    Diagnosis(
        "R51",
        "Đau đầu",
        D.OUTPATIENT,
        ("Đau đầu, chóng mặt",),
        weights=(0, 1, 3, 2),
        drugs=(rx.PARACETAMOL,),
        resolve_days=3,
    ),
    Diagnosis(
        "U07.1",
        "COVID-19, đã xác định virus",
        D.INFECTIOUS,
        ("Sốt, ho, mất vị giác",),
        weights=(2, 2, 5, 5),
        drugs=(rx.PARACETAMOL, rx.VITAMIN_C),
        inpatient=0.1,
        stay_days=(5, 10),
        fever=True,
        years=(2021, 2022),
        resolve_days=10,
    ),
)

CHECKUP: Final = Diagnosis(
    "Z00.0",
    "Khám sức khỏe tổng quát",
    D.OUTPATIENT,
    ("Khám sức khỏe định kỳ",),
    labs=labs.FULL_CHECKUP,
    resolve_days=0,
)
ANTENATAL: Final = Diagnosis(
    "Z34",
    "Theo dõi thai nghén bình thường",
    D.OBSTETRICS,
    ("Khám thai định kỳ",),
    drugs=(rx.SAT_ACID_FOLIC,),
    labs=(CBC_ORDER, labs.GLUCOSE_ONLY),
    resolve_days=0,
)
DELIVERY: Final = Diagnosis(
    "O80", "Đẻ thường một thai", D.OBSTETRICS, ("Chuyển dạ",), stay_days=(2, 3), resolve_days=0
)
CAESAREAN: Final = Diagnosis(
    "O82",
    "Đẻ một thai bằng mổ lấy thai",
    D.OBSTETRICS,
    ("Chuyển dạ, có chỉ định mổ lấy thai",),
    stay_days=(4, 6),
    resolve_days=0,
)

_YEARLY = 1 / 12
CHRONIC: Final[tuple[ChronicDisease, ...]] = (
    ChronicDisease(
        Diagnosis(
            "I10",
            "Tăng huyết áp vô căn (nguyên phát)",
            D.CARDIOLOGY,
            ("Tái khám tăng huyết áp", "Khám định kỳ, lấy thuốc huyết áp"),
        ),
        (0, 0.03, 0.20, 0.45),
        ((0.55, (rx.AMLODIPIN,)), (0.3, (rx.LOSARTAN,)), (0.15, (rx.AMLODIPIN, rx.LOSARTAN))),
        ((_YEARLY, labs.order(labs.LIPIDS)), (_YEARLY, labs.KIDNEY_AND_LIVER)),
    ),
    ChronicDisease(
        Diagnosis(
            "E11",
            "Bệnh đái tháo đường type 2",
            D.ENDOCRINOLOGY,
            ("Tái khám đái tháo đường", "Khám định kỳ, kiểm tra đường huyết"),
        ),
        (0, 0.01, 0.06, 0.13),
        ((0.65, (rx.METFORMIN,)), (0.35, (rx.METFORMIN, rx.GLICLAZID))),
        (
            (0.6, labs.GLUCOSE_ONLY),
            (0.3, labs.DIABETES_REVIEW),
            (_YEARLY, labs.order(labs.LIPIDS)),
            (_YEARLY, labs.KIDNEY_AND_LIVER),
        ),
    ),
    ChronicDisease(
        Diagnosis("E78.5", "Tăng lipid máu", D.INTERNAL, ("Tái khám rối loạn mỡ máu",)),
        (0, 0.02, 0.12, 0.20),
        ((1.0, (rx.ATORVASTATIN,)),),
        ((0.2, labs.order(labs.LIPIDS)),),
    ),
    ChronicDisease(
        Diagnosis("J45.9", "Hen phế quản", D.INTERNAL, ("Tái khám hen phế quản", "Khó thở về đêm")),
        (0.04, 0.03, 0.03, 0.04),
        ((1.0, (rx.SALBUTAMOL,)),),
    ),
    ChronicDisease(
        Diagnosis(
            "J44.9",
            "Bệnh phổi tắc nghẽn mạn tính",
            D.INTERNAL,
            ("Tái khám bệnh phổi tắc nghẽn mạn tính", "Ho, khó thở khi gắng sức"),
        ),
        (0, 0, 0.02, 0.07),
        ((1.0, (rx.BUDESONID_FORMOTEROL, rx.SALBUTAMOL)),),
        male_factor=2.0,
    ),
    ChronicDisease(
        Diagnosis(
            "I25.9",
            "Bệnh tim thiếu máu cục bộ mạn",
            D.CARDIOLOGY,
            ("Tái khám bệnh tim thiếu máu cục bộ", "Đau tức ngực khi gắng sức"),
        ),
        (0, 0, 0.01, 0.06),
        ((1.0, (rx.ASPIRIN, rx.ATORVASTATIN)),),
        ((_YEARLY, labs.order(labs.LIPIDS)),),
    ),
    ChronicDisease(
        Diagnosis("N18.3", "Bệnh thận mạn, giai đoạn 3", D.INTERNAL, ("Tái khám bệnh thận mạn",)),
        (0, 0, 0.01, 0.04),
        ((1.0, (rx.LOSARTAN,)),),
        ((0.5, labs.order(labs.CHEMISTRY, labs.CREATININE)), (0.2, CBC_ORDER)),
    ),
    ChronicDisease(
        Diagnosis(
            "K21.9", "Bệnh trào ngược dạ dày - thực quản", D.OUTPATIENT, ("Ợ nóng, ợ chua kéo dài",)
        ),
        (0, 0.03, 0.05, 0.05),
        ((1.0, (rx.OMEPRAZOL,)),),
    ),
    ChronicDisease(
        Diagnosis("M17.9", "Thoái hóa khớp gối", D.OUTPATIENT, ("Đau khớp gối khi đi lại",)),
        (0, 0, 0.04, 0.12),
        ((0.5, (rx.MELOXICAM,)), (0.5, (rx.PARACETAMOL,))),
    ),
)
