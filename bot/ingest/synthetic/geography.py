"""Districts and communes of the merged Cà Mau province, as they stood before 1 July 2025.

Names are the real administrative units of the former Cà Mau and Bạc Liêu provinces (district
level was abolished in the 2025 reform, but addresses on existing records still carry it).
Weights are rough resident counts in thousands; `khmer_share` follows the 2019 census pattern
(Khmer live mostly in the Bạc Liêu districts and along the U Minh and Trần Văn Thời canals).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class District:
    """A former district-level unit and its communes or wards."""

    name: str
    """Full name as written in an address: "Huyện Đầm Dơi", "Thành phố Cà Mau"."""
    former_province: str
    """"Cà Mau" or "Bạc Liêu": decides facility codes and insurance numbers (96 or 95)."""
    population_thousands: int
    khmer_share: float
    communes: tuple[str, ...]
    """Full names: "Phường 5", "Xã Tạ An Khương", "Thị trấn Năm Căn"; the first is the seat."""

    @property
    def province_code(self) -> str:
        """The two-digit province code of the former province (96 Cà Mau, 95 Bạc Liêu)."""
        return PROVINCE_CODE[self.former_province]

    @property
    def lowercase_name(self) -> str:
        """The name with its unit word in lower case, as it reads inside a longer name."""
        return lower_unit_word(self.name)


PROVINCE_CODE: Final = {"Cà Mau": "96", "Bạc Liêu": "95"}
_UNIT_WORDS: Final = ("Thành phố", "Thị xã", "Huyện", "Thị trấn", "Phường", "Xã")


def lower_unit_word(name: str) -> str:
    """`"Huyện Đầm Dơi"` -> `"huyện Đầm Dơi"`; numbered wards keep their capital: `"Phường 5"`."""
    for word in _UNIT_WORDS:
        if name.startswith(word + " "):
            rest = name[len(word) + 1 :]
            if word == "Phường" and rest.isdigit():
                return name
            return word.lower() + " " + rest
    return name


DISTRICTS: Final[tuple[District, ...]] = (
    District(
        "Thành phố Cà Mau",
        "Cà Mau",
        226,
        0.01,
        (
            "Phường 5",
            "Phường 1",
            "Phường 2",
            "Phường 4",
            "Phường 6",
            "Phường 7",
            "Phường 8",
            "Phường 9",
            "Phường Tân Thành",
            "Phường Tân Xuyên",
            "Xã An Xuyên",
            "Xã Định Bình",
            "Xã Hòa Tân",
            "Xã Hòa Thành",
            "Xã Lý Văn Lâm",
            "Xã Tắc Vân",
            "Xã Tân Thành",
        ),
    ),
    District(
        "Huyện Đầm Dơi",
        "Cà Mau",
        175,
        0.01,
        (
            "Thị trấn Đầm Dơi",
            "Xã Tạ An Khương",
            "Xã Tạ An Khương Đông",
            "Xã Tạ An Khương Nam",
            "Xã Trần Phán",
            "Xã Tân Trung",
            "Xã Tân Đức",
            "Xã Tân Thuận",
            "Xã Tân Dân",
            "Xã Tân Tiến",
            "Xã Tân Duyệt",
            "Xã Quách Phẩm",
            "Xã Quách Phẩm Bắc",
            "Xã Thanh Tùng",
            "Xã Ngọc Chánh",
            "Xã Nguyễn Huân",
        ),
    ),
    District(
        "Huyện Năm Căn",
        "Cà Mau",
        65,
        0.005,
        (
            "Thị trấn Năm Căn",
            "Xã Hàm Rồng",
            "Xã Hàng Vịnh",
            "Xã Hiệp Tùng",
            "Xã Đất Mới",
            "Xã Lâm Hải",
            "Xã Tam Giang",
            "Xã Tam Giang Đông",
        ),
    ),
    District(
        "Huyện Ngọc Hiển",
        "Cà Mau",
        80,
        0.005,
        (
            "Thị trấn Rạch Gốc",
            "Xã Tân Ân",
            "Xã Tân Ân Tây",
            "Xã Viên An",
            "Xã Viên An Đông",
            "Xã Đất Mũi",
            "Xã Tam Giang Tây",
        ),
    ),
    District(
        "Huyện Cái Nước",
        "Cà Mau",
        135,
        0.01,
        (
            "Thị trấn Cái Nước",
            "Xã Đông Thới",
            "Xã Đông Hưng",
            "Xã Hòa Mỹ",
            "Xã Hưng Mỹ",
            "Xã Lương Thế Trân",
            "Xã Phú Hưng",
            "Xã Tân Hưng",
            "Xã Tân Hưng Đông",
            "Xã Trần Thới",
            "Xã Thạnh Phú",
        ),
    ),
    District(
        "Huyện Phú Tân",
        "Cà Mau",
        100,
        0.01,
        (
            "Thị trấn Cái Đôi Vàm",
            "Xã Phú Mỹ",
            "Xã Phú Tân",
            "Xã Phú Thuận",
            "Xã Tân Hải",
            "Xã Việt Thắng",
            "Xã Tân Hưng Tây",
            "Xã Rạch Chèo",
            "Xã Nguyễn Việt Khái",
        ),
    ),
    District(
        "Huyện Thới Bình",
        "Cà Mau",
        135,
        0.04,
        (
            "Thị trấn Thới Bình",
            "Xã Biển Bạch",
            "Xã Biển Bạch Đông",
            "Xã Tân Bằng",
            "Xã Trí Phải",
            "Xã Trí Lực",
            "Xã Tân Phú",
            "Xã Thới Bình",
            "Xã Tân Lộc",
            "Xã Tân Lộc Bắc",
            "Xã Tân Lộc Đông",
            "Xã Hồ Thị Kỷ",
        ),
    ),
    District(
        "Huyện Trần Văn Thời",
        "Cà Mau",
        190,
        0.04,
        (
            "Thị trấn Trần Văn Thời",
            "Thị trấn Sông Đốc",
            "Xã Khánh Bình",
            "Xã Khánh Bình Tây",
            "Xã Khánh Bình Tây Bắc",
            "Xã Khánh Bình Đông",
            "Xã Khánh Hải",
            "Xã Khánh Lộc",
            "Xã Khánh Hưng",
            "Xã Lợi An",
            "Xã Phong Lạc",
            "Xã Phong Điền",
            "Xã Trần Hợi",
        ),
    ),
    District(
        "Huyện U Minh",
        "Cà Mau",
        100,
        0.05,
        (
            "Thị trấn U Minh",
            "Xã Khánh An",
            "Xã Khánh Hòa",
            "Xã Khánh Lâm",
            "Xã Khánh Thuận",
            "Xã Khánh Tiến",
            "Xã Nguyễn Phích",
            "Xã Khánh Hội",
        ),
    ),
    District(
        "Thành phố Bạc Liêu",
        "Bạc Liêu",
        160,
        0.06,
        (
            "Phường 3",
            "Phường 1",
            "Phường 2",
            "Phường 5",
            "Phường 7",
            "Phường 8",
            "Phường Nhà Mát",
            "Xã Hiệp Thành",
            "Xã Vĩnh Trạch",
            "Xã Vĩnh Trạch Đông",
        ),
    ),
    District(
        "Thị xã Giá Rai",
        "Bạc Liêu",
        140,
        0.03,
        (
            "Phường 1",
            "Phường Hộ Phòng",
            "Phường Láng Tròn",
            "Xã Phong Tân",
            "Xã Phong Thạnh",
            "Xã Phong Thạnh A",
            "Xã Phong Thạnh Đông",
            "Xã Phong Thạnh Tây",
            "Xã Tân Phong",
            "Xã Tân Thạnh",
        ),
    ),
    District(
        "Huyện Đông Hải",
        "Bạc Liêu",
        145,
        0.04,
        (
            "Thị trấn Gành Hào",
            "Xã Long Điền",
            "Xã Long Điền Đông",
            "Xã Long Điền Đông A",
            "Xã Long Điền Tây",
            "Xã Điền Hải",
            "Xã An Trạch",
            "Xã An Trạch A",
            "Xã An Phúc",
            "Xã Định Thành",
            "Xã Định Thành A",
        ),
    ),
    District(
        "Huyện Hòa Bình",
        "Bạc Liêu",
        110,
        0.10,
        (
            "Thị trấn Hòa Bình",
            "Xã Minh Diệu",
            "Xã Vĩnh Bình",
            "Xã Vĩnh Mỹ A",
            "Xã Vĩnh Mỹ B",
            "Xã Vĩnh Hậu",
            "Xã Vĩnh Hậu A",
            "Xã Vĩnh Thịnh",
        ),
    ),
    District(
        "Huyện Hồng Dân",
        "Bạc Liêu",
        105,
        0.15,
        (
            "Thị trấn Ngan Dừa",
            "Xã Ninh Quới",
            "Xã Ninh Quới A",
            "Xã Ninh Hòa",
            "Xã Lộc Ninh",
            "Xã Vĩnh Lộc",
            "Xã Vĩnh Lộc A",
            "Xã Ninh Thạnh Lợi",
            "Xã Ninh Thạnh Lợi A",
        ),
    ),
    District(
        "Huyện Phước Long",
        "Bạc Liêu",
        120,
        0.10,
        (
            "Thị trấn Phước Long",
            "Xã Vĩnh Phú Đông",
            "Xã Vĩnh Phú Tây",
            "Xã Phước Long",
            "Xã Hưng Phú",
            "Xã Vĩnh Thanh",
            "Xã Phong Thạnh Tây A",
            "Xã Phong Thạnh Tây B",
        ),
    ),
    District(
        "Huyện Vĩnh Lợi",
        "Bạc Liêu",
        100,
        0.18,
        (
            "Thị trấn Châu Hưng",
            "Xã Châu Hưng A",
            "Xã Hưng Hội",
            "Xã Hưng Thành",
            "Xã Long Thạnh",
            "Xã Vĩnh Hưng",
            "Xã Vĩnh Hưng A",
            "Xã Châu Thới",
        ),
    ),
)

REMOTE_COMMUNES: Final = {
    "Xã Đất Mũi": "K3",
    "Xã Viên An": "K2",
    "Xã Viên An Đông": "K2",
    "Xã Tam Giang Tây": "K2",
    "Xã Tân Ân": "K2",
    "Xã Lâm Hải": "K1",
    "Xã Đất Mới": "K1",
    "Xã Khánh Hội": "K1",
}
"""Communes whose residents carry a residence-area code (K1-K3) on their insurance card."""

STREETS: Final = (
    "Trần Hưng Đạo",
    "Lý Thường Kiệt",
    "Phan Ngọc Hiển",
    "Nguyễn Tất Thành",
    "Lê Lợi",
    "Ngô Quyền",
    "Hùng Vương",
    "Nguyễn Trãi",
    "Phan Bội Châu",
    "Quang Trung",
    "Lý Văn Lâm",
    "Nguyễn Công Trứ",
    "Trần Phú",
    "Hòa Bình",
    "Võ Thị Sáu",
    "Cao Văn Lầu",
    "Hai Bà Trưng",
    "Nguyễn Đình Chiểu",
    "Lê Duẩn",
    "Tôn Đức Thắng",
    "Ninh Bình",
    "Châu Văn Đặng",
)
HAMLETS: Final = (
    "Tân Long",
    "Tân Hưng",
    "Bình Định",
    "Chợ",
    "Xóm Mới",
    "Cây Dương",
    "Nhà Thờ",
    "Hòa Trung",
    "Thạnh Điền",
    "Đầu Sấu",
    "Kinh Tế",
    "Tân Điền",
    "Công Điền",
    "Bào Sen",
    "Rạch Lùm",
    "Vĩnh Thành",
    "Nọc Nạng",
    "Cái Giữa",
    "Xẻo Lá",
    "Thanh Tùng",
    "Cái Keo",
    "Mỹ Bình",
)


def district_named(name: str) -> District:
    """The district with this full name."""
    return next(district for district in DISTRICTS if district.name == name)


def is_urban(commune: str) -> bool:
    """Wards and townships have streets; rural communes have hamlets (ấp)."""
    return commune.startswith(("Phường", "Thị trấn"))
