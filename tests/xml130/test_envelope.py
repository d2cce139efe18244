"""Streaming the GIAMDINHHS envelope: HOSOs one at a time, XML6 unread, bounded memory."""

from __future__ import annotations

import base64
import dataclasses
import importlib.util
import io
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from bot.ingest.xml130.envelope import EnvelopeError, EnvelopeReader, RawHoso
from bot.ingest.xml130.hoso import decode_hoso
from bot.ingest.xml130.sources import Submission, Unreadable, find_submissions
from bot.ingest.xml130.writer import write_submission
from tests.xml130.factories import generated_visits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xml130"
BUILT = FIXTURES / "built"
HIV_MARKER = b"HIVSECRETMARKER"


def read_all(data: bytes) -> tuple[EnvelopeReader, list[RawHoso]]:
    reader = EnvelopeReader(io.BytesIO(data))
    return reader, list(reader)


def test_fixtures_are_built_from_their_sources() -> None:
    spec = importlib.util.spec_from_file_location("xml130_fixture_build", FIXTURES / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for relative, expected in build.expected_files().items():
        assert (BUILT / relative).read_bytes() == expected, f"run build.py: {relative} is stale"


def test_hosos_come_one_by_one_with_their_tables() -> None:
    reader, hosos = read_all((BUILT / "full_visit.xml").read_bytes())
    assert (reader.facility_code, reader.declared_count) == ("96001", 2)
    assert [hoso.index for hoso in hosos] == [1, 2]
    kinds = [kind for kind, _ in hosos[0].tables]
    assert kinds == ["XML1", "XML2", "XML3", "XML4", "XML5", "XML7", "XML14"]
    assert [kind for kind, _ in hosos[1].tables] == ["XML0", "XML1", "XML14"]


def test_hiv_table_is_counted_and_its_content_dropped() -> None:
    _, hosos = read_all((BUILT / "full_visit.xml").read_bytes())
    assert [hoso.hiv_tables for hoso in hosos] == [1, 0]
    for hoso in hosos:
        for _, content in hoso.tables:
            assert HIV_MARKER not in base64.b64decode(content)


def test_envelope_and_table_with_byte_order_marks() -> None:
    data = (BUILT / "bom.xml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    _, (hoso,) = read_all(data)
    assert base64.b64decode(hoso.tables[0][1]).startswith(b"\xef\xbb\xbf")
    assert decode_hoso(hoso).summary.full_name == "Kim Sóc Phol"


def test_broken_envelope_stops_after_the_hosos_before_the_fault() -> None:
    data = (BUILT / "full_visit.xml").read_bytes()
    cut = data.index(b"</HOSO>") + len(b"</HOSO>") + 200
    reader = EnvelopeReader(io.BytesIO(data[:cut]))
    hosos = iter(reader)
    assert next(hosos).index == 1
    with pytest.raises(EnvelopeError, match="malformed envelope XML"):
        next(hosos)


def test_other_documents_are_not_submissions() -> None:
    with pytest.raises(EnvelopeError, match="not a GIAMDINHHS submission"):
        read_all(b"<TONG_HOP><MA_LK>1</MA_LK></TONG_HOP>")


def test_reading_20000_visits_uses_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    visits = (
        dataclasses.replace(visit, drugs=[], services=[], results=[], reexams=[])
        for visit in generated_visits(20_000)
    )
    write_submission(path, "96001", date(2025, 11, 20), visits)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = 0
        with path.open("rb") as stream:
            for hoso in EnvelopeReader(stream):
                decode_hoso(hoso)
                count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert size > 30_000_000
    assert peak < 2_000_000, f"peak {peak} bytes while reading a {size}-byte file"


def test_submissions_found_in_folders_and_zips_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK not really")
    found = list(
        find_submissions([BUILT / "folder", BUILT / "archive.zip", tmp_path, tmp_path / "nope"])
    )
    labels = [item.label for item in found]
    assert labels == [
        str(BUILT / "folder" / "day1.xml"),
        str(BUILT / "folder" / "sub" / "day2.xml"),
        f"{BUILT / 'archive.zip'}!day1.xml",
        f"{BUILT / 'archive.zip'}!nested/day2.xml",
        str(tmp_path / "broken.zip"),
        str(tmp_path / "nope"),
    ]
    assert [type(item) for item in found[-2:]] == [Unreadable, Unreadable]
    member = found[2]
    assert isinstance(member, Submission)
    with member.open() as stream:
        _, (hoso,) = read_all(stream.read())
    assert decode_hoso(hoso).summary.ma_lk == "LKZ0001"
