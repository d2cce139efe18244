"""Write visits as one facility's daily XML 130 submission (GIAMDINHHS), streaming to disk.

Visits are written one HOSO at a time, so an export of any length needs memory for one
visit only. SOLUONGHOSO precedes the HOSOs in the file, so a fixed-width slot is reserved
for it and filled in when the count is known (the padding is whitespace between elements).
The facility signature (CHUKYDONVI) is left empty: signing is the facility's own step.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from bot.ingest.xml130.dates import format_birth_date, format_day, format_timestamp
from bot.ingest.xml130.records import Kind, Moment, VisitSummary, Xml130Visit
from bot.ingest.xml130.tables import TABLES, field_specs

BYTE_ORDER_MARK = b"\xef\xbb\xbf"
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
_COUNT_SLOT = 40


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Element order of each table (QĐ 130 appendix); elements the bot does not model stay empty.
TABLE_ELEMENTS: Mapping[str, tuple[str, ...]] = {
    "XML1": _names(
        "MA_LK STT MA_BN HO_TEN SO_CCCD NGAY_SINH GIOI_TINH NHOM_MAU MA_QUOCTICH MA_DANTOC "
        "MA_NGHE_NGHIEP DIA_CHI MATINH_CU_TRU MAHUYEN_CU_TRU MAXA_CU_TRU DIEN_THOAI MA_THE_BHYT "
        "MA_DKBD GT_THE_TU GT_THE_DEN NGAY_MIEN_CCT LY_DO_VV CHAN_DOAN_VAO CHAN_DOAN_RV "
        "MA_BENH_CHINH MA_BENH_KT MA_BENH_YHCT MA_DOITUONG_KCB MA_NOI_DI MA_NOI_DEN NGAY_VAO "
        "NGAY_VAO_NOI_TRU NGAY_RA SO_NGAY_DTRI KET_QUA_DTRI MA_LOAI_RV NGAY_TTOAN T_THUOC T_VTYT "
        "T_TONGCHI_BV T_TONGCHI_BH T_BNTT T_BNCCT T_BHTT T_NGUONKHAC MA_LOAI_KCB MA_KHOA MA_CSKCB "
        "MA_KHUVUC CAN_NANG NAM_NAM_LIEN_TUC NGAY_TAI_KHAM MA_HSBA DU_PHONG"
    ),
    "XML2": _names(
        "MA_LK STT MA_THUOC TEN_THUOC DON_VI_TINH HAM_LUONG DUONG_DUNG DANG_BAO_CHE LIEU_DUNG "
        "CACH_DUNG SO_LUONG DON_GIA THANH_TIEN_BV THANH_TIEN_BH MUC_HUONG T_BNTT T_BNCCT T_BHTT "
        "MA_KHOA MA_BAC_SI NGAY_YL NGAY_TH_YL"
    ),
    "XML3": _names(
        "MA_LK STT MA_DICH_VU TEN_DICH_VU MA_VAT_TU TEN_VAT_TU DON_VI_TINH SO_LUONG DON_GIA_BV "
        "THANH_TIEN_BV THANH_TIEN_BH MUC_HUONG T_BNTT T_BNCCT T_BHTT MA_KHOA MA_BAC_SI MA_BENH "
        "NGAY_YL NGAY_TH_YL NGAY_KQ"
    ),
    "XML4": _names(
        "MA_LK STT MA_DICH_VU MA_CHI_SO TEN_CHI_SO GIA_TRI DON_VI_DO MO_TA KET_LUAN NGAY_KQ "
        "MA_BS_DOC_KQ"
    ),
    "XML14": _names(
        "MA_LK SO_GIAYHEN_KL MA_CSKCB HO_TEN NGAY_SINH GIOI_TINH DIA_CHI MA_THE_BHYT GT_THE_DEN "
        "NGAY_VAO NGAY_VAO_NOI_TRU NGAY_RA NGAY_HEN_KL CHAN_DOAN_RV MA_BENH_CHINH MA_BENH_KT "
        "MA_BAC_SI NGAY_CT"
    ),
}


# XML14 repeats who the patient is and when the visit was; the rest is the paper's own.
_XML14_FROM_XML1 = _names(
    "HO_TEN NGAY_SINH GIOI_TINH DIA_CHI MA_THE_BHYT GT_THE_DEN NGAY_VAO NGAY_VAO_NOI_TRU NGAY_RA"
)


def _moment(value: Moment) -> str:
    if value.clock is None:
        return format_day(value.day)
    return f"{format_day(value.day)}{value.clock.strftime('%H%M')}"


_FORMATTERS: Mapping[Kind, Callable[[Any], str]] = {
    Kind.TEXT: str,
    Kind.INT: str,
    Kind.DECIMAL: lambda value: format(Decimal(value), "f"),
    Kind.DAY: format_day,
    Kind.TIMESTAMP: format_timestamp,
    Kind.BIRTH: format_birth_date,
    Kind.MOMENT: _moment,
    Kind.LIST: ";".join,
}


def record_values(record: Any) -> dict[str, str]:
    """Element texts of one record (unset fields are left out)."""
    values: dict[str, str] = {}
    for spec in field_specs(type(record)):
        value = getattr(record, spec.attribute)
        if value is not None and value != ():
            values[spec.element] = _FORMATTERS[spec.kind](value)
    return values


def _card_values(summary: VisitSummary) -> dict[str, str]:
    if not summary.cards:
        return {}
    return {
        "MA_THE_BHYT": ";".join(card.number for card in summary.cards),
        "GT_THE_TU": ";".join(
            format_day(c.valid_from) if c.valid_from else "" for c in summary.cards
        ),
        "GT_THE_DEN": ";".join(format_day(c.valid_to) if c.valid_to else "" for c in summary.cards),
    }


def _money_sum(values: Iterable[Decimal | None]) -> str:
    return format(sum((value for value in values if value is not None), Decimal(0)), "f")


def _element(name: str, text: str | None) -> str:
    return f"<{name}>{escape(text)}</{name}>" if text else f"<{name}/>"


def _record_xml(table: str, values: Mapping[str, str], indent: str) -> str:
    names = TABLE_ELEMENTS[table]
    return "".join(f"{indent}{_element(name, values.get(name))}\n" for name in names)


def _document(table: str, records: Sequence[Mapping[str, str]]) -> str:
    spec = TABLES[table]
    if spec.list_tag is None:
        fields = _record_xml(table, records[0], "  ")
        return f"{_XML_DECLARATION}<{spec.root}>\n{fields}</{spec.root}>\n"
    body = "".join(
        f"    <{spec.record_tag}>\n{_record_xml(table, values, '      ')}    </{spec.record_tag}>\n"
        for values in records
    )
    return (
        f"{_XML_DECLARATION}<{spec.root}>\n  <{spec.list_tag}>\n{body}  </{spec.list_tag}>\n"
        f"</{spec.root}>\n"
    )


def _numbered(lines: Sequence[Any], ma_lk: str) -> list[dict[str, str]]:
    return [
        {**record_values(line), "MA_LK": ma_lk, "STT": str(number)}
        for number, line in enumerate(lines, start=1)
    ]


def visit_tables(visit: Xml130Visit, sequence: int) -> list[tuple[str, str]]:
    """The (LOAIHOSO, XML document) pairs of one visit, `sequence` being its STT in the file."""
    summary = visit.summary
    xml1 = {**record_values(summary), **_card_values(summary), "STT": str(sequence)}
    xml1["T_THUOC"] = _money_sum(drug.total for drug in visit.drugs)
    xml1["T_VTYT"] = _money_sum(line.total for line in visit.services if line.supply_code)
    if summary.discharged is not None:
        xml1["NGAY_TTOAN"] = format_timestamp(summary.discharged)
    tables = [("XML1", _document("XML1", [xml1]))]
    for table, lines in (("XML2", visit.drugs), ("XML3", visit.services), ("XML4", visit.results)):
        if lines:
            tables.append((table, _document(table, _numbered(lines, summary.ma_lk))))
    patient = {name: xml1[name] for name in _XML14_FROM_XML1 if name in xml1}
    for reexam in visit.reexams:
        values = {**patient, **record_values(reexam), "MA_LK": summary.ma_lk}
        values.setdefault("MA_CSKCB", summary.facility_code)
        tables.append(("XML14", _document("XML14", [values])))
    return tables


class SubmissionWriter:
    """Writes one GIAMDINHHS file; use as a context manager and call `add` per visit."""

    def __init__(
        self, path: Path, facility_code: str, day: date, *, byte_order_mark: bool = False
    ) -> None:
        self.path = path
        self.facility_code = facility_code
        self.day = day
        self.count = 0
        self._bom = byte_order_mark
        self._partial = path.with_name(path.name + ".part")
        self._out: BinaryIO | None = None
        self._count_offset = 0

    def __enter__(self) -> SubmissionWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._out = self._partial.open("wb")
        prefix = BYTE_ORDER_MARK if self._bom else b""
        head = (
            f"{_XML_DECLARATION}<GIAMDINHHS>\n  <THONGTINDONVI>\n"
            f"    {_element('MACSKCB', self.facility_code)}\n  </THONGTINDONVI>\n"
            f"  <THONGTINHOSO>\n    {_element('NGAYLAP', format_day(self.day))}\n    "
        )
        self._out.write(prefix + head.encode())
        self._count_offset = self._out.tell()
        self._out.write(b" " * _COUNT_SLOT + b"\n    <DANHSACHHOSO>\n")
        return self

    def add(self, visit: Xml130Visit) -> None:
        """Append one visit as a HOSO."""
        if self._out is None:
            raise RuntimeError("SubmissionWriter used outside its with-block")
        if visit.summary.facility_code != self.facility_code:
            raise ValueError("a submission holds the visits of one facility only")
        self.count += 1
        parts = ["      <HOSO>\n"]
        for table, document in visit_tables(visit, self.count):
            data = (BYTE_ORDER_MARK if self._bom else b"") + document.encode()
            content = base64.b64encode(data).decode("ascii")
            parts.append(
                f"        <FILEHOSO><LOAIHOSO>{table}</LOAIHOSO>"
                f"<NOIDUNGFILE>{content}</NOIDUNGFILE></FILEHOSO>\n"
            )
        parts.append("      </HOSO>\n")
        self._out.write("".join(parts).encode())

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        try:
            if exc_type is None:
                out.write(
                    b"    </DANHSACHHOSO>\n  </THONGTINHOSO>\n  <CHUKYDONVI/>\n</GIAMDINHHS>\n"
                )
                out.seek(self._count_offset)
                out.write(f"<SOLUONGHOSO>{self.count}</SOLUONGHOSO>".ljust(_COUNT_SLOT).encode())
        finally:
            out.close()
        if exc_type is None:
            os.replace(self._partial, self.path)
        else:
            self._partial.unlink(missing_ok=True)


def write_submission(
    path: Path,
    facility_code: str,
    day: date,
    visits: Iterable[Xml130Visit],
    *,
    byte_order_mark: bool = False,
) -> int:
    """Write `visits` (of facility `facility_code`) as the submission of `day`; returns the count.

    The file appears at `path` only once complete (it is written beside it, then renamed).
    """
    with SubmissionWriter(path, facility_code, day, byte_order_mark=byte_order_mark) as writer:
        for visit in visits:
            writer.add(visit)
    return writer.count
