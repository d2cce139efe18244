"""Import guarantees: idempotence, resubmission, one transaction per HOSO, rejections, XML6."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, select

from bot.db.base import Base
from bot.db.models import Appointment, Citizen, Medication, Observation, Visit, VisitService
from bot.db.session import Database
from bot.ingest.xml130 import ServiceLine, Xml130Report, Xml130Visit, write_submission
from bot.ingest.xml130.dates import BirthDate
from bot.ingest.xml130.report import KEPT_REJECTIONS
from tests.xml130.factories import full_visit
from tests.xml130.helpers import all_rows, counts, one, run_import

VISIT_KEY = "xml130:96001:LK2025112000001"
DAY = date(2025, 11, 20)


async def write_and_import(
    db: Database, folder: Path, name: str, *visits: Xml130Visit
) -> Xml130Report:
    path = folder / name
    write_submission(path, visits[0].summary.facility_code, DAY, visits)
    return await run_import(db, path)


async def test_importing_twice_changes_nothing(db: Database) -> None:
    await run_import(db, "full_visit.xml")
    before = await counts(db)
    again = await run_import(db, "full_visit.xml")
    assert await counts(db) == before
    assert (again.visits_created, again.visits_replaced, again.citizens_created) == (0, 2, 0)


async def test_resubmission_replaces_the_visit_and_its_children(db: Database) -> None:
    await run_import(db, "full_visit.xml")
    before = await counts(db)
    report = await run_import(db, "resubmission.xml")
    assert report.ok and report.visits_replaced == 1
    assert await counts(db) == before
    visit = await one(db, Visit, source_key=VISIT_KEY)
    assert (visit.total_cost, visit.insurance_paid, visit.outcome) == (
        1_300_000,
        1_040_000,
        "cured",
    )
    assert visit.end == datetime(2025, 11, 20, 4, 30, tzinfo=UTC)
    drugs = [(m.name, m.quantity) for m in await all_rows(db, Medication, Medication.source_key)]
    assert drugs == [("Amoxicillin", 15.0), ("Cefuroxim", 10.5)]
    services = await all_rows(db, VisitService)
    assert [s.unit_price for s in services if s.visit_id == visit.id] == [70_000, 10_000]
    glucose = await one(db, Observation, source_key=f"{VISIT_KEY}:result:1")
    assert glucose.value_number == 6.9
    paper = await one(db, Appointment, source_key=f"{VISIT_KEY}:reexam#GH-2025-0042")
    assert paper.start == datetime(2025, 12, 5, 2, 30, tzinfo=UTC)


async def test_resubmission_without_the_appointment_paper_withdraws_it(
    db: Database, tmp_path: Path
) -> None:
    visit = full_visit()
    await write_and_import(db, tmp_path, "first.xml", visit)
    assert len(await all_rows(db, Appointment)) == 1
    await write_and_import(db, tmp_path, "second.xml", dataclasses.replace(visit, reexams=[]))
    assert await all_rows(db, Appointment) == []
    assert len(await all_rows(db, Visit)) == 1


async def test_bad_hosos_are_rejected_with_their_place_and_the_rest_imported(db: Database) -> None:
    report = await run_import(db, "bad_hosos.xml")
    assert (report.hoso_read, report.hoso_imported, report.hoso_rejected) == (9, 2, 7)
    assert not report.ok
    found = [(r.hoso, r.ma_lk, r.table, r.record, r.field) for r in report.rejections]
    assert found == [
        (2, "LKBAD0002", "XML2", None, "NOIDUNGFILE"),
        (3, "LKBAD0003", "XML3", None, None),
        (4, None, "XML1", None, "MA_LK"),
        (5, "LKBAD0005", "XML1", None, "MA_CSKCB"),
        (6, "LKBAD0006", "XML1", None, "NGAY_RA"),
        (7, "LKBAD0007", "XML1", None, "SO_CCCD"),
        (8, "LKBAD0008", "XML2", 2, "MA_LK"),
    ]
    reasons = [r.reason for r in report.rejections]
    assert reasons[0] == "undecodable base64"
    assert reasons[1].startswith("malformed XML")
    assert reasons[4] == "not a calendar date"
    assert reasons[5].startswith("not a valid CCCD")
    assert (
        report.rejections[0]
        .describe()
        .endswith(
            "bad_hosos.xml HOSO 2 (MA_LK LKBAD0002): XML2 field NOIDUNGFILE: undecodable base64"
        )
    )
    visits = sorted(visit.source_key for visit in await all_rows(db, Visit))
    assert visits == ["xml130:96002:LKBAD0001", "xml130:96002:LKBAD0009"]
    assert len(await all_rows(db, Citizen)) == 2


async def test_a_hoso_failing_midway_leaves_nothing_behind(db: Database, tmp_path: Path) -> None:
    visit = full_visit()
    broken = dataclasses.replace(visit, services=[ServiceLine(service_code="01.01")])
    report = await write_and_import(db, tmp_path, "broken.xml", broken)
    (rejection,) = report.rejections
    assert (rejection.table, rejection.record, rejection.field) == ("XML3", 1, "TEN_DICH_VU")
    assert await all_rows(db, Citizen) == []
    assert await all_rows(db, Visit) == []


async def test_hiv_table_is_never_decoded_stored_or_logged(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    report = await run_import(db, "full_visit.xml")
    assert report.hiv_tables == 1
    async with db.unit_of_work() as session:
        for table in Base.metadata.sorted_tables:
            text_columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in (await session.execute(select(*text_columns))).all() if text_columns else []:
                for value in row:
                    assert "HIVSECRETMARKER" not in str(value), table.name
                    assert value != "B24", table.name
    assert "HIVSECRETMARKER" not in caplog.text
    # Its content is not even base64-decoded: garbage there does not reject the HOSO.
    garbage = tmp_path / "garbage.xml"
    source = (Path(__file__).parents[1] / "fixtures/xml130/built/bom.xml").read_bytes()
    hiv = (
        b"<FILEHOSO><LOAIHOSO>XML6</LOAIHOSO>"
        b"<NOIDUNGFILE>%%% not base64 %%%</NOIDUNGFILE></FILEHOSO>"
    )
    garbage.write_bytes(source.replace(b"</HOSO>", hiv + b"</HOSO>"))
    second = await run_import(db, garbage)
    assert second.ok and second.hiv_tables == 1


async def test_rejections_kept_in_the_report_are_bounded(db: Database, tmp_path: Path) -> None:
    count = KEPT_REJECTIONS + 200
    hoso = (
        "<HOSO><FILEHOSO><LOAIHOSO>XML5</LOAIHOSO><NOIDUNGFILE>eA==</NOIDUNGFILE></FILEHOSO></HOSO>"
    )
    path = tmp_path / "many.xml"
    hosos = f"<DANHSACHHOSO>{hoso * count}</DANHSACHHOSO>"
    path.write_text(f"<GIAMDINHHS><THONGTINHOSO>{hosos}</THONGTINHOSO></GIAMDINHHS>")
    report = await run_import(db, path)
    assert report.hoso_rejected == count
    assert len(report.rejections) == KEPT_REJECTIONS
    assert report.summary_lines()[-1] == f"... and {count - 20} more rejections (see the log)"


async def test_death_at_the_facility_is_recorded(db: Database, tmp_path: Path) -> None:
    visit = full_visit()
    died = dataclasses.replace(visit, summary=dataclasses.replace(visit.summary, outcome_code=5))
    await write_and_import(db, tmp_path, "died.xml", died)
    citizen = await one(db, Citizen, national_id=visit.summary.national_id)
    assert citizen.deceased_at == visit.summary.discharged
    assert (await one(db, Visit, citizen_id=citizen.id)).outcome == "died"


def later(visit: Xml130Visit, ma_lk: str, days: int, **changes: Any) -> Xml130Visit:
    """Another visit of the same patient, `days` later, without details."""
    summary = visit.summary
    assert summary.admitted is not None and summary.discharged is not None
    shift = timedelta(days=days)
    moved = dataclasses.replace(
        summary,
        ma_lk=ma_lk,
        admitted=summary.admitted + shift,
        discharged=summary.discharged + shift,
        **changes,
    )
    return Xml130Visit(summary=moved)


async def test_newer_visits_update_the_patient_and_older_ones_only_fill_gaps(
    db: Database, tmp_path: Path
) -> None:
    visit = full_visit()
    await write_and_import(db, tmp_path, "1.xml", visit)
    await write_and_import(db, tmp_path, "2.xml", later(visit, "LK-NEW", 30, address="Địa chỉ mới"))
    await write_and_import(
        db, tmp_path, "3.xml", later(visit, "LK-OLD", -300, address="Địa chỉ cũ")
    )
    citizen = await one(db, Citizen, national_id=visit.summary.national_id)
    assert citizen.address_line == "Địa chỉ mới"
    assert len(await all_rows(db, Visit)) == 3


async def test_uncertain_birth_date_does_not_replace_a_known_one(
    db: Database, tmp_path: Path
) -> None:
    visit = full_visit()
    exact = dataclasses.replace(visit.summary, birth_date=BirthDate(date(1992, 7, 15)))
    await write_and_import(db, tmp_path, "1.xml", dataclasses.replace(visit, summary=exact))
    vague = later(visit, "LK-2", 30, birth_date=BirthDate(date(1992, 1, 1)))
    await write_and_import(db, tmp_path, "2.xml", vague)
    citizen = await one(db, Citizen, national_id=visit.summary.national_id)
    assert citizen.birth_date == date(1992, 7, 15)
