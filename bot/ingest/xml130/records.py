"""Typed records of the XML 130 tables the bot uses (XML1, XML2, XML3, XML4, XML14).

Each field names its XML element and how its text is read, so that the reader
(`tables.py`) and the writer (`writer.py`) share one description of the format.
Values are kept as the file gives them (codes as codes, money as Decimal); turning them
into the store's vocabulary is `mapping.py`'s job.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from bot.ingest.xml130.dates import BirthDate


class Kind(enum.Enum):
    """How an element's text is read and written."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DAY = "day"  # yyyymmdd
    TIMESTAMP = "timestamp"  # yyyymmddHHMM, Vietnam time
    BIRTH = "birth"  # yyyymmdd[HHMM] with 00 for unknown parts
    MOMENT = "moment"  # yyyymmdd or yyyymmddHHMM, the time being optional
    LIST = "list"  # ;-separated


def xml(
    name: str,
    kind: Kind = Kind.TEXT,
    *,
    required: bool = False,
    choices: frozenset[int] | None = None,
) -> Any:
    """Describe a record field read from the element `name`."""
    metadata = {"xml": name, "kind": kind, "required": required, "choices": choices}
    if required:
        return field(metadata=metadata)
    if kind is Kind.LIST:
        return field(default=(), metadata=metadata)
    return field(default=None, metadata=metadata)


@dataclass(frozen=True, slots=True)
class Moment:
    """A Vietnam-time day with an optional time of day (XML14 NGAY_HEN_KL)."""

    day: date
    clock: time | None = None


@dataclass(frozen=True, slots=True)
class InsuranceCard:
    """One card of MA_THE_BHYT with its validity from GT_THE_TU/GT_THE_DEN (same position)."""

    number: str
    valid_from: date | None = None
    valid_to: date | None = None


SEX_CODES = frozenset({1, 2, 3})
OUTCOME_CODES = frozenset({1, 2, 3, 4, 5, 6, 7})


@dataclass(frozen=True, slots=True, kw_only=True)
class VisitSummary:
    """XML1 (TONG_HOP): the patient, the cards and the visit."""

    ma_lk: str = xml("MA_LK", required=True)
    facility_code: str = xml("MA_CSKCB", required=True)
    patient_number: str | None = xml("MA_BN")
    full_name: str = xml("HO_TEN", required=True)
    national_id: str | None = xml("SO_CCCD")
    birth_date: BirthDate | None = xml("NGAY_SINH", Kind.BIRTH)
    sex_code: int | None = xml("GIOI_TINH", Kind.INT, choices=SEX_CODES)
    blood_group: str | None = xml("NHOM_MAU")
    address: str | None = xml("DIA_CHI")
    phone: str | None = xml("DIEN_THOAI")
    # MA_THE_BHYT, GT_THE_TU and GT_THE_DEN are read together into `cards` by tables.py.
    cards: tuple[InsuranceCard, ...] = ()
    primary_care_code: str | None = xml("MA_DKBD")
    copay_exempt_from: date | None = xml("NGAY_MIEN_CCT", Kind.DAY)
    reason: str | None = xml("LY_DO_VV")
    diagnosis_text: str | None = xml("CHAN_DOAN_RV")
    main_diagnosis: str | None = xml("MA_BENH_CHINH")
    other_diagnoses: tuple[str, ...] = xml("MA_BENH_KT", Kind.LIST)
    admitted: datetime | None = xml("NGAY_VAO", Kind.TIMESTAMP)
    discharged: datetime | None = xml("NGAY_RA", Kind.TIMESTAMP)
    outcome_code: int | None = xml("KET_QUA_DTRI", Kind.INT, choices=OUTCOME_CODES)
    total_cost: Decimal | None = xml("T_TONGCHI_BV", Kind.DECIMAL)
    patient_paid: Decimal | None = xml("T_BNTT", Kind.DECIMAL)
    patient_copay: Decimal | None = xml("T_BNCCT", Kind.DECIMAL)
    insurance_paid: Decimal | None = xml("T_BHTT", Kind.DECIMAL)
    visit_type: str | None = xml("MA_LOAI_KCB")
    department: str | None = xml("MA_KHOA")
    residence_area: str | None = xml("MA_KHUVUC")
    five_years_date: date | None = xml("NAM_NAM_LIEN_TUC", Kind.DAY)
    follow_up_date: date | None = xml("NGAY_TAI_KHAM", Kind.DAY)


@dataclass(frozen=True, slots=True, kw_only=True)
class DrugLine:
    """XML2 (CHI_TIET_THUOC): one medicine given or prescribed."""

    ma_lk: str | None = xml("MA_LK")
    code: str | None = xml("MA_THUOC")
    name: str = xml("TEN_THUOC", required=True)
    unit: str | None = xml("DON_VI_TINH")
    strength: str | None = xml("HAM_LUONG")
    route: str | None = xml("DUONG_DUNG")
    dose: str | None = xml("LIEU_DUNG")
    instructions: str | None = xml("CACH_DUNG")
    quantity: Decimal | None = xml("SO_LUONG", Kind.DECIMAL)
    unit_price: Decimal | None = xml("DON_GIA", Kind.DECIMAL)
    total: Decimal | None = xml("THANH_TIEN_BV", Kind.DECIMAL)
    insurance_paid: Decimal | None = xml("T_BHTT", Kind.DECIMAL)
    department: str | None = xml("MA_KHOA")
    prescriber: str | None = xml("MA_BAC_SI")
    ordered_at: datetime | None = xml("NGAY_YL", Kind.TIMESTAMP)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceLine:
    """XML3 (CHI_TIET_DVKT): one service (MA_DICH_VU) or supply (MA_VAT_TU)."""

    ma_lk: str | None = xml("MA_LK")
    service_code: str | None = xml("MA_DICH_VU")
    supply_code: str | None = xml("MA_VAT_TU")
    service_name: str | None = xml("TEN_DICH_VU")
    supply_name: str | None = xml("TEN_VAT_TU")
    unit: str | None = xml("DON_VI_TINH")
    quantity: Decimal | None = xml("SO_LUONG", Kind.DECIMAL)
    unit_price: Decimal | None = xml("DON_GIA_BV", Kind.DECIMAL)
    total: Decimal | None = xml("THANH_TIEN_BV", Kind.DECIMAL)
    insurance_paid: Decimal | None = xml("T_BHTT", Kind.DECIMAL)
    department: str | None = xml("MA_KHOA")
    prescriber: str | None = xml("MA_BAC_SI")
    ordered_at: datetime | None = xml("NGAY_YL", Kind.TIMESTAMP)
    performed_at: datetime | None = xml("NGAY_TH_YL", Kind.TIMESTAMP)
    result_at: datetime | None = xml("NGAY_KQ", Kind.TIMESTAMP)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultLine:
    """XML4 (CHI_TIET_CLS): one laboratory or imaging result."""

    ma_lk: str | None = xml("MA_LK")
    service_code: str | None = xml("MA_DICH_VU")
    code: str | None = xml("MA_CHI_SO")
    name: str | None = xml("TEN_CHI_SO")
    value: str | None = xml("GIA_TRI")
    unit: str | None = xml("DON_VI_DO")
    description: str | None = xml("MO_TA")
    conclusion: str | None = xml("KET_LUAN")
    reported_at: datetime | None = xml("NGAY_KQ", Kind.TIMESTAMP)
    reader: str | None = xml("MA_BS_DOC_KQ")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReexamAppointment:
    """XML14 (CHI_TIEU_GIAYHEN_KHAMLAI): a re-examination appointment paper."""

    ma_lk: str | None = xml("MA_LK")
    number: str | None = xml("SO_GIAYHEN_KL")
    facility_code: str | None = xml("MA_CSKCB")
    return_on: Moment = xml("NGAY_HEN_KL", Kind.MOMENT, required=True)
    diagnosis_text: str | None = xml("CHAN_DOAN_RV")
    main_diagnosis: str | None = xml("MA_BENH_CHINH")
    other_diagnoses: tuple[str, ...] = xml("MA_BENH_KT", Kind.LIST)
    doctor: str | None = xml("MA_BAC_SI")
    issued_on: date | None = xml("NGAY_CT", Kind.DAY)


@dataclass(slots=True, kw_only=True)
class Xml130Visit:
    """One HOSO: the tables of one visit that the bot reads (and the writer writes)."""

    summary: VisitSummary
    drugs: list[DrugLine] = field(default_factory=list)
    services: list[ServiceLine] = field(default_factory=list)
    results: list[ResultLine] = field(default_factory=list)
    reexams: list[ReexamAppointment] = field(default_factory=list)
