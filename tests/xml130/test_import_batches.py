"""Batches: writing many HOSOs per transaction gives the store and report of one by one; a HOSO
the database refuses is rejected alone; a batch's size is bounded."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, text

from bot.clock import FakeClock
from bot.db.base import Base
from bot.db.models import Citizen, Medication, Visit
from bot.db.session import Database
from bot.ingest.xml130 import (
    DrugLine,
    InsuranceCard,
    Xml130Importer,
    Xml130Report,
    Xml130Visit,
    write_submission,
)
from bot.ingest.xml130.batch import PreparedHoso
from bot.ingest.xml130.dates import BirthDate, BirthPrecision
from bot.ingest.xml130.patient import patient_keys
from bot.ingest.xml130.pipeline import BATCH_LINES, BatchPipeline
from tests.xml130.factories import full_visit, generated_visits, national_id
from tests.xml130.helpers import all_rows, one

DAY = date(2025, 11, 20)
STORE_TABLES = (
    "facilities",
    "citizens",
    "citizen_identifiers",
    "citizen_phones",
    "coverages",
    "visits",
    "diagnoses",
    "visit_services",
    "medications",
    "observations",
    "appointments",
)


def patient(visit: Xml130Visit, ma_lk: str, days: float = 0, **changes: Any) -> Xml130Visit:
    """Another visit (no lines) of the patient of `visit`, `days` later, with `changes`."""
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


def tangled_visits() -> list[Xml130Visit]:
    """Visits that depend on one another in every way the importer knows."""
    anna = full_visit("LKA1")
    bao, fong, giang = generated_visits(3, first=101)
    anna_card_only = (InsuranceCard("0099887766", date(2025, 7, 1), None),)
    stranger = national_id(99, 1985, female=False)
    exact_birth = BirthDate(date(1993, 3, 3))
    anna_vague_birth = BirthDate(date(1992, 1, 1), BirthPrecision.YEAR)
    assert giang.summary.birth_date is not None
    vague_birth = BirthDate(date(giang.summary.birth_date.value.year, 1, 1), BirthPrecision.YEAR)
    return [
        anna,
        patient(anna, "LKA2", 30, address="Địa chỉ mới"),  # a newer visit of the same patient
        bao,
        patient(anna, "LKA3", -300, address="Địa chỉ cũ"),  # an older one only fills gaps
        dataclasses.replace(  # resubmitted in the same file, without the appointment paper
            anna,
            summary=dataclasses.replace(anna.summary, total_cost=Decimal("900000")),
            reexams=[],
        ),
        patient(anna, "LKC1", 1, national_id=None, patient_number=None, cards=anna_card_only),
        patient(anna, "LKD1", 2, national_id=stranger, birth_date=None),  # another CCCD: refused
        # The same patient by card, then by CCCD, each with another birth date.
        patient(anna, "LKH1", 35, national_id=None, patient_number=None, birth_date=exact_birth),
        patient(anna, "LKH2", 36, patient_number=None, cards=(), birth_date=anna_vague_birth),
        patient(bao, "LKE1", 0, national_id=None, patient_number=None, cards=()),  # unknown
        giang,
        patient(giang, "LKG2", 10, birth_date=vague_birth),  # an uncertain birth date
        fong,
        patient(fong, "LKF2", 0, primary_care_code="96099"),  # same card period, same time
        bao,  # the same visit again, unchanged
        patient(anna, "LKA4", 40, outcome_code=5),  # died
    ]


async def import_with(db: Database, paths: list[Path], batch_size: int) -> Xml130Report:
    clock = FakeClock(datetime(2026, 1, 5, 3, 0, tzinfo=UTC))
    return await Xml130Importer(db, clock, batch_size=batch_size).run(paths, progress=False)


async def store_contents(db: Database) -> dict[str, list[str]]:
    """Every row of the store's tables with row ids replaced by what they refer to."""
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    async with db.unit_of_work() as session:
        keys: dict[str, dict[int, str]] = {}
        for name in ("citizens", "visits", "facilities"):
            table = tables[name]
            rows = (await session.execute(select(table.c.id, table.c.source_key))).all()
            keys[name] = {row_id: key for row_id, key in rows}
        contents = {}
        for name in STORE_TABLES:
            table = tables[name]
            described = []
            for row in (await session.execute(select(table))).mappings():
                values = dict(row)
                values.pop("id")
                for column in table.columns:
                    for foreign in column.foreign_keys:
                        target = foreign.column.table.name
                        values[column.name] = keys[target].get(values[column.name])
                described.append(repr(sorted(values.items())))
            contents[name] = sorted(described)
    return contents


def report_outcome(report: Xml130Report) -> dict[str, Any]:
    counts = dataclasses.asdict(report)
    counts.pop("elapsed_seconds")
    return counts


async def empty_store(db: Database) -> None:
    async with db.unit_of_work() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in STORE_TABLES:
                await session.execute(delete(table))


async def test_batches_give_the_result_of_one_hoso_at_a_time(
    db: Database, tmp_path: Path
) -> None:
    visits = tangled_visits()
    first, second = tmp_path / "96001.xml", tmp_path / "96002.xml"
    write_submission(first, "96001", DAY, visits)
    elsewhere = patient(visits[0], "LKX1", 5, facility_code="96002", patient_number="BN-X")
    write_submission(second, "96002", DAY, [elsewhere])
    results = []
    for batch_size in (1, 4, 400):
        outcome = report_outcome(await import_with(db, [first, second], batch_size))
        results.append((outcome, await store_contents(db)))
        await empty_store(db)
    one_by_one, *batched = results
    assert all(result == one_by_one for result in batched)
    counts, contents = one_by_one
    assert (counts["hoso_read"], counts["hoso_imported"], counts["hoso_rejected"]) == (17, 15, 2)
    assert [(r["hoso"], r["field"]) for r in counts["rejections"]] == [
        (7, "SO_CCCD"),
        (10, "SO_CCCD"),
    ]
    assert counts["citizens_created"] == 4 and len(contents["citizens"]) == 4


async def test_a_hoso_the_database_refuses_is_rejected_alone(
    db: Database, tmp_path: Path
) -> None:
    refused_drug = "Thuốc bị từ chối"
    visits = list(generated_visits(6, first=201))
    bad = visits[2]
    visits[2] = dataclasses.replace(bad, drugs=[DrugLine(name=refused_drug)])
    visits.insert(3, patient(visits[2], "LKSAME", 1))  # the same patient's next visit
    path = tmp_path / "refused.xml"
    write_submission(path, "96001", DAY, visits)
    async with refusing_medication(db, refused_drug):
        report = await import_with(db, [path], batch_size=4)
    (rejection,) = report.rejections
    assert (rejection.file, rejection.hoso, rejection.ma_lk, rejection.table) == (
        str(path),
        3,
        bad.summary.ma_lk,
        "XML2",
    )
    assert rejection.reason.startswith("the database refused the visit")
    assert (report.hoso_imported, report.citizens_created) == (6, 6)
    stored = {visit.source_key for visit in await all_rows(db, Visit)}
    assert f"xml130:96001:{bad.summary.ma_lk}" not in stored and len(stored) == 6
    assert refused_drug not in {m.name for m in await all_rows(db, Medication)}
    same_patient = await one(db, Citizen, national_id=bad.summary.national_id)
    assert same_patient.full_name == bad.summary.full_name  # created by its next visit


@asynccontextmanager
async def refusing_medication(db: Database, name: str) -> AsyncIterator[None]:
    """A rule only the database knows: it refuses a medicine of this name."""
    quoted = name.replace("'", "''")
    if db.dialect == "postgresql":
        rule = f"ALTER TABLE medications ADD CONSTRAINT refuse_drug CHECK (name <> '{quoted}')"
        undo = "ALTER TABLE medications DROP CONSTRAINT refuse_drug"
    else:
        rule = (
            "CREATE TRIGGER refuse_drug BEFORE INSERT ON medications "
            f"WHEN NEW.name = '{quoted}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        undo = "DROP TRIGGER refuse_drug"
    async with db.engine.begin() as connection:
        await connection.execute(text(rule))
    try:
        yield
    finally:
        async with db.engine.begin() as connection:
            await connection.execute(text(undo))


async def test_a_batch_of_long_hosos_is_cut_short(tmp_path: Path) -> None:
    unused = Database(f"sqlite+aiosqlite:///{tmp_path / 'unused.sqlite3'}")
    pipeline = BatchPipeline(unused, Xml130Report())
    visit = next(generated_visits(1))
    keys = patient_keys(visit.summary, DAY)
    stamp = datetime(2026, 1, 5, tzinfo=UTC)
    pipeline.add(PreparedHoso(1, "f.xml", 1, visit, keys, stamp))
    assert not pipeline.full()
    long_visit = dataclasses.replace(visit, drugs=[DrugLine(name="x")] * BATCH_LINES)
    pipeline.add(PreparedHoso(2, "f.xml", 2, long_visit, keys, stamp))
    assert pipeline.full()
    await unused.dispose()


@pytest.mark.parametrize("batch_size", [1, 3])
async def test_rejections_are_reported_in_reading_order_across_batches(
    db: Database, tmp_path: Path, batch_size: int
) -> None:
    visits = tangled_visits()
    path = tmp_path / "96001.xml"
    write_submission(path, "96001", DAY, visits)
    broken = tmp_path / "broken.xml"
    broken.write_text("<GIAMDINHHS><THONGTINHOSO>")
    report = await import_with(db, [path, broken], batch_size)
    assert [(r.file, r.hoso) for r in report.rejections] == [
        (str(path), 7),
        (str(path), 10),
        (str(broken), None),
    ]
