"""Vietnamese, Khmer and Hoa personal names with their diacritics.

A Vietnamese name reads family, middle, given ("Nguyễn Thị Mai"). In FHIR the family name goes
to `HumanName.family` and the middle and given names, in order, to `HumanName.given`, so that
`" ".join([family, *given]) == text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from random import Random
from typing import Final

from bot.ingest.synthetic.weighted import WeightedTable


class Ethnicity(Enum):
    """An ethnic group with its General Statistics Office code and name."""

    KINH = ("01", "Kinh")
    HOA = ("04", "Hoa")
    KHMER = ("05", "Khmer")

    @property
    def code(self) -> str:
        """The two-digit statistics code."""
        return self.value[0]

    @property
    def label(self) -> str:
        """The group's name."""
        return self.value[1]


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split the way FHIR wants it."""

    family: str
    given: tuple[str, ...]

    @property
    def text(self) -> str:
        """The full name as written: family, middle and given names."""
        return " ".join((self.family, *self.given))


KINH_FAMILY: Final = WeightedTable(
    {
        "Nguyễn": 36,
        "Trần": 11,
        "Lê": 9,
        "Phạm": 6,
        "Huỳnh": 5,
        "Võ": 4,
        "Phan": 4,
        "Trương": 2,
        "Đặng": 2,
        "Bùi": 2,
        "Đỗ": 1.5,
        "Hồ": 1.5,
        "Ngô": 1.5,
        "Dương": 1,
        "Lý": 1,
        "Lâm": 1,
        "Châu": 1,
        "Tô": 1,
        "Mai": 1,
        "Đào": 1,
        "Cao": 1,
        "Tạ": 0.5,
        "Thái": 0.5,
        "Đinh": 0.5,
        "Kiều": 0.3,
        "La": 0.3,
        "Quách": 0.4,
        "Lưu": 0.4,
        "Hoàng": 1,
        "Vương": 0.3,
    }
)
HOA_FAMILY: Final = WeightedTable(
    {
        "Quách": 3,
        "Lâm": 3,
        "Lý": 3,
        "Trương": 2,
        "Hứa": 2,
        "Tăng": 2,
        "La": 1,
        "Diệp": 1,
        "Mã": 1,
        "Lưu": 2,
        "Trần": 2,
        "Huỳnh": 2,
    }
)
KHMER_FAMILY: Final = WeightedTable(
    {
        "Thạch": 5,
        "Danh": 5,
        "Sơn": 3,
        "Kim": 2,
        "Lâm": 2,
        "Lý": 1,
        "Châu": 1,
        "Triệu": 1,
    }
)
MALE_MIDDLE: Final = WeightedTable(
    {
        "Văn": 40,
        "Minh": 10,
        "Hoàng": 5,
        "Quốc": 6,
        "Thanh": 6,
        "Hữu": 6,
        "Công": 4,
        "Đức": 4,
        "Tấn": 5,
        "Chí": 4,
        "Trọng": 3,
        "Thành": 3,
        "Gia": 3,
        "Anh": 2,
    }
)
FEMALE_MIDDLE: Final = WeightedTable(
    {
        "Thị": 45,
        "Ngọc": 10,
        "Thanh": 5,
        "Mỹ": 5,
        "Kim": 5,
        "Thu": 4,
        "Bích": 3,
        "Hồng": 4,
        "Phương": 3,
        "Diễm": 2,
        "Thùy": 3,
        "Bảo": 2,
        "Gia": 2,
        "Huỳnh": 1,
    }
)
MALE_GIVEN: Final = (
    "Hùng",
    "Dũng",
    "Tuấn",
    "Minh",
    "Phúc",
    "Tài",
    "Lộc",
    "Thành",
    "Hải",
    "Nam",
    "Khang",
    "Bảo",
    "Huy",
    "Long",
    "Quang",
    "Sơn",
    "Tâm",
    "Trung",
    "Vinh",
    "Hiếu",
    "Nghĩa",
    "Tín",
    "Phong",
    "Đạt",
    "Khoa",
    "Nhân",
    "Toàn",
    "Thắng",
    "Cường",
    "Kiệt",
    "Tú",
    "Hậu",
    "Lợi",
    "Thiện",
    "Tùng",
    "Em",
    "Út",
    "Sang",
    "Phát",
    "Trí",
)
FEMALE_GIVEN: Final = (
    "Mai",
    "Lan",
    "Hương",
    "Hoa",
    "Linh",
    "Trang",
    "Thảo",
    "Ngọc",
    "Hạnh",
    "Nhung",
    "Yến",
    "Thủy",
    "Vy",
    "Nhi",
    "Hân",
    "Ánh",
    "Diễm",
    "Loan",
    "Phượng",
    "Trinh",
    "Tuyết",
    "Hằng",
    "My",
    "Như",
    "Quỳnh",
    "Oanh",
    "Xuân",
    "Kiều",
    "Thư",
    "Uyên",
    "Giang",
    "Hồng",
    "Nga",
    "Nhàn",
    "Duyên",
    "Út",
    "Lệ",
    "Cúc",
)
MODERN_MALE_GIVEN: Final = (
    "Minh Khang",
    "Gia Bảo",
    "Đăng Khoa",
    "Minh Khôi",
    "Anh Khoa",
    "Bảo Long",
    "Phúc An",
    "Nhật Minh",
    "Hoàng Phúc",
    "Gia Huy",
)
MODERN_FEMALE_GIVEN: Final = (
    "Bảo Ngọc",
    "Gia Hân",
    "Khánh Linh",
    "Ngọc Hân",
    "Bảo Anh",
    "An Nhiên",
    "Tuệ Nhi",
    "Minh Thư",
    "Thảo Vy",
    "Kim Ngân",
)
KHMER_MALE_GIVEN: Final = (
    "Sóc",
    "Phol",
    "Kha",
    "Sây",
    "Rết",
    "Sa Rinh",
    "Chanh",
    "Pho",
    "Sóc Khênh",
    "Thươl",
    "Phi Rum",
    "Mol",
    "Sa Ren",
    "Đa Ra",
)
KHMER_FEMALE_GIVEN: Final = (
    "Sa Ri",
    "Sà Phon",
    "Sô Phia",
    "Chanh Đa",
    "Sa Vone",
    "Som Nang",
    "Ni",
    "Sa Rây",
    "Sà Rươne",
    "Thi Đa",
    "Sóc Thi",
    "Ka Ri",
)
MODERN_NAMES_FROM_YEAR: Final = 2008


def family_name(rng: Random, ethnicity: Ethnicity) -> str:
    """A family name typical of the ethnic group."""
    table = {Ethnicity.KINH: KINH_FAMILY, Ethnicity.HOA: HOA_FAMILY}.get(ethnicity, KHMER_FAMILY)
    return table.pick(rng)


def personal_name(
    rng: Random, family: str, female: bool, ethnicity: Ethnicity, birth_year: int
) -> PersonName:
    """A full name with the given family name; children born lately get two-word given names."""
    pool: tuple[str, ...]
    if ethnicity is Ethnicity.KHMER:
        pool = KHMER_FEMALE_GIVEN if female else KHMER_MALE_GIVEN
        given = rng.choice(pool)
        if female and rng.random() < 0.6:
            return PersonName(family, ("Thị", *given.split()))
        return PersonName(family, tuple(given.split()))
    if birth_year >= MODERN_NAMES_FROM_YEAR and rng.random() < 0.5:
        pool = MODERN_FEMALE_GIVEN if female else MODERN_MALE_GIVEN
        return PersonName(family, tuple(rng.choice(pool).split()))
    middle = (FEMALE_MIDDLE if female else MALE_MIDDLE).pick(rng)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return PersonName(family, (middle, given))


def practitioner_name(rng: Random, female: bool) -> PersonName:
    """A name for a health worker (Kinh naming, born before modern names)."""
    return personal_name(rng, KINH_FAMILY.pick(rng), female, Ethnicity.KINH, 1980)
