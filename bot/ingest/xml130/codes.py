"""XML 130 codes turned into the store's stable vocabulary, and insurance card codes decoded."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# MA_LOAI_KCB (QĐ 130 appendix, as amended by QĐ 4750).
VISIT_TYPES: Mapping[str, str] = {
    "01": "outpatient_visit",
    "02": "outpatient_treatment",
    "03": "inpatient",
    "04": "day_inpatient",
    "05": "chronic_outpatient",
    "06": "commune_observation",
    "07": "drugs_by_appointment",
    "08": "chronic_outpatient_services",
    "09": "inpatient_short_stay",
    "10": "other",
}

# KET_QUA_DTRI: 1 Khỏi, 2 Đỡ, 3 Không thay đổi, 4 Nặng hơn, 5 Tử vong,
# 6 Tiên lượng nặng xin về, 7 Chưa xác định.
OUTCOMES: Mapping[int, str] = {
    1: "cured",
    2: "improved",
    3: "unchanged",
    4: "worsened",
    5: "died",
    6: "grave_prognosis_went_home",
    7: "undetermined",
}
DIED = 5

# GIOI_TINH: 1 Nam, 2 Nữ, 3 Chưa xác định (FHIR administrative gender).
SEXES: Mapping[int, str] = {1: "male", 2: "female", 3: "unknown"}

# Benefit level (4th character of a 15-character card) -> percent paid by the fund.
BENEFIT_PERCENT: Mapping[int, int] = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}

ICD10 = "ICD-10"
_OLD_CARD = re.compile(r"^([A-Z]{2})([1-5])(\d{2})(\d{10})$")
_SOCIAL_INSURANCE_NUMBER = re.compile(r"^\d{10}$")
_NATIONAL_ID = re.compile(r"^\d{12}$")
_BLOOD_GROUP = re.compile(r"^(AB|A|B|O)([+-]?)$")


@dataclass(frozen=True, slots=True)
class CardCode:
    """What a card code tells: group and level only on 15-character (pre-2021) cards."""

    number: str
    social_insurance_number: str | None
    beneficiary_group: str | None = None
    benefit_level: int | None = None
    benefit_percent: int | None = None
    issuing_province: str | None = None


def parse_card(number: str) -> CardCode:
    """Decode `XX Y ZZ NNNNNNNNNN`, a 10-digit social-insurance number or a 12-digit CCCD.

    Raises:
        ValueError: the code has none of these shapes.
    """
    match = _OLD_CARD.match(number)
    if match:
        group, level, province, insurance_number = match.groups()
        return CardCode(
            number, insurance_number, group, int(level), BENEFIT_PERCENT[int(level)], province
        )
    if _SOCIAL_INSURANCE_NUMBER.match(number):
        return CardCode(number, number)
    if _NATIONAL_ID.match(number):
        return CardCode(number, None)
    raise ValueError(
        "not a card code (15 characters like DN4960123456789, 10 digits, or a 12-digit CCCD)"
    )


def card_lookup_values(number: str) -> tuple[str, ...]:
    """Values under which a card may already be known: as written, and its 10-digit number."""
    try:
        code = parse_card(number)
    except ValueError:
        return (number,)
    if code.social_insurance_number and code.social_insurance_number != number:
        return (number, code.social_insurance_number)
    return (number,)


def visit_type(code: str) -> str:
    """The stable name of an MA_LOAI_KCB code (`1` and `01` alike); `other` for codes a later
    amendment may add, so that the visit is still shown."""
    return VISIT_TYPES.get(code.zfill(2), VISIT_TYPES["10"])


def blood_group(text: str) -> str | None:
    """`A`, `B+`, `AB-`, `O`... from forms like `A Rh+` or `o`; None when unrecognised."""
    compact = text.upper().replace(" ", "").replace("RH", "")
    match = _BLOOD_GROUP.match(compact)
    return match.group(1) + match.group(2) if match else None
