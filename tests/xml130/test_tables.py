"""Reading decoded XML 130 tables into typed records, and the HOSO checks around them."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from bot.ingest.xml130.dates import BirthDate, BirthPrecision
from bot.ingest.xml130.envelope import RawHoso
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.hoso import decode_hoso, decode_table, skipped_tables
from bot.ingest.xml130.records import InsuranceCard, Moment
from bot.ingest.xml130.tables import parse_table

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "xml130" / "src"
HOSO1 = SOURCES / "full_visit" / "hoso1"


def xml1(**fields: str) -> bytes:
    """A minimal XML1 with the given elements."""
    values = {"MA_LK": "LK1", "MA_CSKCB": "96001", "HO_TEN": "Lê Văn A", **fields}
    body = "".join(f"<{name}>{value}</{name}>" for name, value in values.items())
    return f"<TONG_HOP>{body}</TONG_HOP>".encode()


def test_xml1_fields_are_typed() -> None:
    (summary,) = parse_table("XML1", (HOSO1 / "XML1.xml").read_bytes())
    assert summary.ma_lk == "LK2025112000001"
    assert summary.facility_code == "96001"
    assert summary.patient_number == "BN000123"
    assert summary.national_id == "096085001234"
    assert summary.birth_date == BirthDate(date(1985, 3, 14))
    assert summary.sex_code == 1
    assert summary.cards == (
        InsuranceCard("DN4960123456789", date(2025, 1, 1), date(2025, 6, 30)),
        InsuranceCard("CC1960123456789", date(2025, 7, 1), date(2025, 12, 31)),
    )
    assert summary.admitted == datetime(2025, 11, 18, 0, 45, tzinfo=UTC)
    assert summary.other_diagnoses == ("I10", "E11.9")
    assert summary.total_cost == Decimal("1250400.50")
    assert summary.five_years_date == date(2023, 1, 1)
    assert summary.follow_up_date == date(2025, 12, 4)


def test_detail_tables_give_one_record_per_line() -> None:
    drugs = parse_table("XML2", (HOSO1 / "XML2.xml").read_bytes())
    services = parse_table("XML3", (HOSO1 / "XML3.xml").read_bytes())
    results = parse_table("XML4", (HOSO1 / "XML4.xml").read_bytes())
    assert [drug.name for drug in drugs] == ["Amoxicillin", "Paracetamol"]
    assert drugs[1].instructions is None and drugs[1].quantity == Decimal("10.5")
    assert [line.supply_name for line in services] == [None, "Bơm tiêm nhựa 5ml"]
    assert [line.value for line in results] == ["7,8", "12.4", None, "Âm tính"]


def test_re_examination_date_may_be_a_day_or_a_time() -> None:
    (with_time,) = parse_table("XML14", (HOSO1 / "XML14.xml").read_bytes())
    hoso2 = SOURCES / "full_visit" / "hoso2" / "XML14.xml"
    (day_only,) = parse_table("XML14", hoso2.read_bytes())
    assert with_time.return_on == Moment(date(2025, 12, 4), time(8, 0))
    assert day_only.return_on == Moment(date(2025, 11, 27), None)


def test_table_with_byte_order_mark_is_read() -> None:
    (summary,) = parse_table("XML1", (SOURCES / "bom" / "XML1.xml").read_bytes())
    assert summary.birth_date == BirthDate(date(2000, 6, 12))


def test_namespaced_elements_are_read() -> None:
    document = (
        b'<TONG_HOP xmlns="urn:x">'
        b"<MA_LK>L</MA_LK><MA_CSKCB>96001</MA_CSKCB><HO_TEN>A</HO_TEN></TONG_HOP>"
    )
    (summary,) = parse_table("XML1", document)
    assert summary.ma_lk == "L"


def test_namespaced_lines_are_read() -> None:
    line = "<CHI_TIET_THUOC><TEN_THUOC>{}</TEN_THUOC></CHI_TIET_THUOC>"
    document = (
        '<CHITIEU_CHITIET_THUOC xmlns="urn:x"><DSACH_CHI_TIET_THUOC>'
        f"{line.format('A')}{line.format('B')}"
        "</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>"
    )
    assert [drug.name for drug in parse_table("XML2", document.encode())] == ["A", "B"]


def test_unknown_birth_day_and_month() -> None:
    (summary,) = parse_table("XML1", xml1(NGAY_SINH="20010000"))
    assert summary.birth_date == BirthDate(date(2001, 1, 1), BirthPrecision.YEAR)


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"MA_LK": ""}, "MA_LK", "missing"),
        ({"MA_CSKCB": " "}, "MA_CSKCB", "missing"),
        ({"NGAY_VAO": "202302301000"}, "NGAY_VAO", "not a calendar date"),
        ({"GIOI_TINH": "4"}, "GIOI_TINH", "unknown code"),
        ({"KET_QUA_DTRI": "9"}, "KET_QUA_DTRI", "unknown code"),
        ({"T_BHTT": "1,234,000"}, "T_BHTT", "dot as decimal separator"),
        ({"T_BHTT": "1e5"}, "T_BHTT", "dot as decimal separator"),
        (
            {"MA_THE_BHYT": "DN4960123456789;CC1960123456789", "GT_THE_TU": "20250101"},
            "GT_THE_TU",
            "1 dates for 2 cards",
        ),
        ({"MA_THE_BHYT": "DN4960123456789", "GT_THE_DEN": "20251331"}, "GT_THE_DEN", "calendar"),
    ],
)
def test_bad_xml1_fields_are_named(fields: dict[str, str], field: str, reason: str) -> None:
    with pytest.raises(HosoError, match=reason) as caught:
        parse_table("XML1", xml1(**fields))
    assert (caught.value.table, caught.value.field) == ("XML1", field)


def test_error_in_a_detail_line_names_its_record_and_visit() -> None:
    document = (
        b"<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC>"
        b"<CHI_TIET_THUOC><MA_LK>LK9</MA_LK><TEN_THUOC>A</TEN_THUOC></CHI_TIET_THUOC>"
        b"<CHI_TIET_THUOC><MA_LK>LK9</MA_LK><TEN_THUOC>B</TEN_THUOC><NGAY_YL>2025</NGAY_YL></CHI_TIET_THUOC>"
        b"</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>"
    )
    with pytest.raises(HosoError) as caught:
        parse_table("XML2", document)
    error = caught.value
    assert (error.table, error.record, error.field, error.ma_lk) == ("XML2", 2, "NGAY_YL", "LK9")
    assert error.where() == "XML2 record 2 field NGAY_YL"


def test_wrong_root_element_is_refused() -> None:
    with pytest.raises(HosoError, match="root element is TONG_HOP, expected CHITIEU_CHITIET_THUOC"):
        parse_table("XML2", xml1())


def test_malformed_table_is_refused() -> None:
    with pytest.raises(HosoError, match="malformed XML"):
        parse_table("XML1", b"<TONG_HOP><MA_LK>1</TONG_HOP>")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_base64_may_be_wrapped_over_lines() -> None:
    encoded = _b64(xml1())
    wrapped = "\n".join(encoded[i : i + 20] for i in range(0, len(encoded), 20))
    assert decode_table("XML1", wrapped) == xml1()


@pytest.mark.parametrize(("content", "reason"), [("", "empty"), ("abc*def", "undecodable base64")])
def test_undecodable_content_is_named(content: str, reason: str) -> None:
    with pytest.raises(HosoError, match=reason) as caught:
        decode_table("XML3", content)
    assert (caught.value.table, caught.value.field) == ("XML3", "NOIDUNGFILE")


def test_hoso_needs_exactly_one_xml1() -> None:
    with pytest.raises(HosoError, match="no XML1"):
        decode_hoso(RawHoso(1, [("XML5", _b64(b"<X/>"))]))
    with pytest.raises(HosoError, match="more than one XML1"):
        decode_hoso(RawHoso(1, [("XML1", _b64(xml1())), ("XML1", _b64(xml1()))]))


def test_detail_of_another_visit_rejects_the_hoso() -> None:
    document = (
        b"<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC><CHI_TIET_THUOC><MA_LK>OTHER</MA_LK>"
        b"<TEN_THUOC>A</TEN_THUOC></CHI_TIET_THUOC></DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>"
    )
    with pytest.raises(HosoError, match="differs from the MA_LK of XML1") as caught:
        decode_hoso(RawHoso(1, [("XML2", _b64(document)), ("XML1", _b64(xml1()))]))
    assert (caught.value.table, caught.value.record, caught.value.ma_lk) == ("XML2", 1, "LK1")


def test_unused_tables_are_counted_not_decoded() -> None:
    hoso = RawHoso(1, [("XML1", _b64(xml1())), ("XML5", "not base64 at all!"), ("", "x")])
    assert skipped_tables(hoso) == {"XML5": 1, "(no LOAIHOSO)": 1}
    assert decode_hoso(hoso).summary.ma_lk == "LK1"
