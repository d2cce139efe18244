"""The XML 130 writer: valid submissions, streamed to disk, that read back to the same records."""

from __future__ import annotations

import base64
import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.db.models import Appointment, Citizen, Coverage, Medication, Observation, Visit
from bot.db.session import Database
from bot.ingest.xml130 import Xml130Visit, import_paths, write_submission
from bot.ingest.xml130.envelope import EnvelopeReader
from bot.ingest.xml130.hoso import decode_hoso
from bot.ingest.xml130.tables import TABLES, field_specs
from bot.ingest.xml130.writer import TABLE_ELEMENTS
from tests.xml130.factories import full_visit, generated_visits
from tests.xml130.helpers import all_rows, one

DAY = date(2025, 11, 20)


def read_back(path: Path) -> list[Xml130Visit]:
    with path.open("rb") as stream:
        return [decode_hoso(hoso) for hoso in EnvelopeReader(stream)]


def with_visit_keys(visit: Xml130Visit) -> Xml130Visit:
    """The visit as read back: detail lines carry the visit's MA_LK, XML14 its MA_CSKCB."""
    ma_lk, facility = visit.summary.ma_lk, visit.summary.facility_code
    return dataclasses.replace(
        visit,
        drugs=[dataclasses.replace(line, ma_lk=ma_lk) for line in visit.drugs],
        services=[dataclasses.replace(line, ma_lk=ma_lk) for line in visit.services],
        results=[dataclasses.replace(line, ma_lk=ma_lk) for line in visit.results],
        reexams=[
            dataclasses.replace(paper, ma_lk=ma_lk, facility_code=paper.facility_code or facility)
            for paper in visit.reexams
        ],
    )


def test_written_visits_read_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "96001_20251120.xml"
    visits = [full_visit("LK-A"), *generated_visits(3)]
    assert write_submission(path, "96001", DAY, visits) == 4
    assert read_back(path) == [with_visit_keys(visit) for visit in visits]


def test_envelope_header_count_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "out.xml"
    write_submission(path, "96001", DAY, generated_visits(12))
    root = ET.parse(path).getroot()
    assert root.findtext("THONGTINDONVI/MACSKCB") == "96001"
    assert root.findtext("THONGTINHOSO/NGAYLAP") == "20251120"
    assert root.findtext("THONGTINHOSO/SOLUONGHOSO") == "12"
    hosos = root.findall("THONGTINHOSO/DANHSACHHOSO/HOSO")
    assert len(hosos) == 12
    kinds = [table.findtext("LOAIHOSO") for table in hosos[0].findall("FILEHOSO")]
    assert kinds == ["XML1", "XML2", "XML3", "XML4", "XML14"]
    xml1 = ET.fromstring(base64.b64decode(hosos[0].findtext("FILEHOSO/NOIDUNGFILE") or ""))
    assert [child.tag for child in xml1] == list(TABLE_ELEMENTS["XML1"])
    assert xml1.findtext("STT") == "1"
    assert xml1.findtext("T_THUOC") == "24000"


def test_optional_byte_order_marks(tmp_path: Path) -> None:
    path = tmp_path / "bom.xml"
    write_submission(path, "96001", DAY, [full_visit()], byte_order_mark=True)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    content = ET.fromstring(data[3:]).findtext(
        "THONGTINHOSO/DANHSACHHOSO/HOSO/FILEHOSO/NOIDUNGFILE"
    )
    assert base64.b64decode(content or "").startswith(b"\xef\xbb\xbf")
    assert read_back(path) == [with_visit_keys(full_visit())]


def test_every_record_field_has_its_place_in_the_table_layout() -> None:
    for name, spec in TABLES.items():
        elements = {field.element for field in field_specs(spec.record_type)}
        assert elements <= set(TABLE_ELEMENTS[name]), name


def test_a_submission_holds_one_facility(tmp_path: Path) -> None:
    path = tmp_path / "out.xml"
    with pytest.raises(ValueError, match="one facility"):
        write_submission(path, "96002", DAY, [full_visit()])
    assert list(tmp_path.iterdir()) == []


def test_the_file_appears_only_when_complete(tmp_path: Path) -> None:
    path = tmp_path / "out.xml"

    def failing() -> Iterator[Xml130Visit]:
        yield from generated_visits(2)
        assert not path.exists()
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError, match="source failed"):
        write_submission(path, "96001", DAY, failing())
    assert list(tmp_path.iterdir()) == []


async def test_written_visit_imports_to_the_same_data(db: Database, tmp_path: Path) -> None:
    visit = full_visit("LK-RT")
    path = tmp_path / "export.xml"
    write_submission(path, "96001", DAY, [visit])
    report = await import_paths(db, [path], progress=False)
    assert report.ok
    citizen = await one(db, Citizen, national_id=visit.summary.national_id)
    assert (citizen.full_name, citizen.birth_date, citizen.sex) == (
        "Trương Thị Ánh & Co <test>",
        date(1992, 7, 1),
        "female",
    )
    assert citizen.blood_type == "AB-"
    stored = await one(db, Visit, source_key="xml130:96001:LK-RT")
    summary = visit.summary
    assert (stored.start, stored.end) == (summary.admitted, summary.discharged)
    assert (
        stored.total_cost,
        stored.insurance_paid,
        stored.patient_copay,
        stored.patient_paid,
    ) == (523_001, 408_401, 104_600, 10_000)
    assert (stored.visit_type, stored.outcome, stored.follow_up_date) == (
        "inpatient",
        "improved",
        date(2025, 12, 2),
    )
    (drug,) = await all_rows(db, Medication)
    assert (drug.name, drug.dosage, drug.unit_price, drug.authored) == (
        "Salbutamol",
        "2 nhát/lần; Xịt khi khó thở",
        75_001,
        visit.drugs[0].ordered_at,
    )
    (result,) = await all_rows(db, Observation)
    assert (result.code, result.value_number, result.conclusion) == (
        "SPO2",
        93.5,
        "Đo lúc nghỉ\nGiảm nhẹ",
    )
    (paper,) = await all_rows(db, Appointment)
    assert paper.start == datetime(2025, 12, 2, 2, 15, tzinfo=UTC)
    cards = sorted((c.card_number, c.valid_to) for c in await all_rows(db, Coverage))
    assert cards == [("0099887766", None), ("HS4960099887766", date(2025, 6, 30))]
