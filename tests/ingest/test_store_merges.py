"""Rows that two standards describe under different keys: card periods and facility names."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from bot.db.models import Coverage, Facility, ReminderDelivery
from bot.db.session import Database
from bot.ingest.store import coverages as coverage_store
from bot.ingest.store import (
    Change,
    CitizenRecord,
    CitizenRef,
    CoverageRecord,
    FacilityRecord,
    delete_records,
    store_transaction,
    upsert_citizens,
    upsert_coverages,
    upsert_facilities,
)

JAN, FEB, MAR, APR = (datetime(2025, month, 1, tzinfo=UTC) for month in (1, 2, 3, 4))
CARD = "DN4969612345678"
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
NEXT_YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def card(
    key: str, stamp: datetime | None, period: tuple[date, date] = YEAR, **values: object
) -> CoverageRecord:
    return CoverageRecord(
        source_key=key,
        citizen=CitizenRef.by_key("t:p1"),
        card_number=CARD,
        valid_from=period[0],
        valid_to=period[1],
        source_updated=stamp,
        **values,  # type: ignore[arg-type]
    )


async def coverages(db: Database) -> list[Coverage]:
    async with db.unit_of_work() as session:
        return list((await session.execute(select(Coverage).order_by(Coverage.id))).scalars())


async def store_cards(db: Database, *records: CoverageRecord) -> dict[str, int]:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [CitizenRecord(source_key="t:p1", full_name="Lê Văn Tám")])
        return (await upsert_coverages(writer, list(records))).ids


async def test_a_card_period_from_fhir_and_xml_is_one_row_with_both_sources_fields(
    db: Database,
) -> None:
    fhir = await store_cards(db, card("fhir:Coverage/c1", JAN, primary_care_name="TYT Tân Thành"))
    five_years = date(2024, 5, 1)
    xml = await store_cards(
        db, card("xml130:coverage:c1", FEB, primary_care_code="96004", five_years_date=five_years)
    )
    [row] = await coverages(db)
    assert xml["xml130:coverage:c1"] == fhir["fhir:Coverage/c1"] == row.id
    assert row.source_key == "fhir:Coverage/c1" and row.source_updated == FEB
    assert (row.primary_care_name, row.primary_care_code) == ("TYT Tân Thành", "96004")
    assert row.five_years_date == five_years


async def test_an_older_source_only_fills_gaps_and_reimports_change_nothing(db: Database) -> None:
    await store_cards(db, card("xml130:coverage:c1", FEB, primary_care_code="96004"))
    await store_cards(db, card("fhir:Coverage/c1", JAN, primary_care_code="99999", benefit_level=4))
    await store_cards(db, card("fhir:Coverage/c1", JAN, primary_care_code="99999", benefit_level=4))
    [row] = await coverages(db)
    assert (row.primary_care_code, row.benefit_level, row.source_updated) == ("96004", 4, FEB)
    async with store_transaction(db) as writer:
        again = await upsert_coverages(writer, [card("fhir:Coverage/c1", JAN, benefit_level=4)])
    assert again.changes == {"fhir:Coverage/c1": Change.UNCHANGED}


async def test_one_batch_with_the_same_period_twice_stores_one_row(db: Database) -> None:
    ids = await store_cards(
        db,
        card("fhir:Coverage/c1", JAN, benefit_level=4),
        card("fhir:Patient/p1#card:" + CARD, FEB, primary_care_code="96004"),
    )
    [row] = await coverages(db)
    assert set(ids.values()) == {row.id} and len(ids) == 2
    assert (row.benefit_level, row.primary_care_code) == (4, "96004")


async def test_other_periods_and_other_cards_stay_separate(db: Database) -> None:
    await store_cards(db, card("fhir:Coverage/c1", JAN))
    await store_cards(
        db,
        card("xml130:coverage:c2", FEB, period=(date(2026, 1, 1), date(2026, 12, 31))),
        CoverageRecord(
            source_key="xml130:coverage:c3",
            citizen=CitizenRef.by_key("t:p1"),
            card_number="GD4969600000001",
            valid_from=YEAR[0],
            valid_to=YEAR[1],
        ),
    )
    assert len(await coverages(db)) == 3


async def test_a_source_moving_its_period_onto_another_keys_period_leaves_one_card(
    db: Database,
) -> None:
    [stale] = (await store_cards(db, card("fhir:Coverage/c1", JAN))).values()
    xml = await store_cards(
        db, card("xml130:coverage:c2", FEB, period=NEXT_YEAR, primary_care_code="96004")
    )
    async with db.unit_of_work() as session:
        due = {"kind": "card30d", "citizen_id": 1, "due_at": JAN, "created_at": JAN}
        await session.execute(insert(ReminderDelivery).values(object_id=stale, **due))
    moved = await store_cards(db, card("fhir:Coverage/c1", MAR, period=NEXT_YEAR, benefit_level=5))
    [row] = await coverages(db)
    assert moved["fhir:Coverage/c1"] == xml["xml130:coverage:c2"] == row.id
    assert (row.valid_from, row.valid_to) == NEXT_YEAR
    assert (row.benefit_level, row.primary_care_code, row.source_updated) == (5, "96004", MAR)
    async with db.unit_of_work() as session:
        assert await session.scalar(select(func.count()).select_from(ReminderDelivery)) == 0


async def test_a_withdrawn_card_takes_its_reminders_but_not_another_records(db: Database) -> None:
    [card_id] = (await store_cards(db, card("fhir:Coverage/c1", JAN))).values()
    async with db.unit_of_work() as session:
        due = {"citizen_id": 1, "due_at": JAN, "created_at": JAN, "object_id": card_id}
        await session.execute(insert(ReminderDelivery).values(kind="card30d", sent_at=JAN, **due))
        await session.execute(insert(ReminderDelivery).values(kind="appt24h", **due))
    async with store_transaction(db) as writer:
        assert await delete_records(writer, Coverage, ["fhir:Coverage/c1"]) == 1
    assert await coverages(db) == []
    async with db.unit_of_work() as session:
        kinds = (await session.execute(select(ReminderDelivery.kind))).scalars().all()
    assert kinds == ["appt24h"]  # an appointment's reminder with the same id is not the card's


async def test_a_period_moved_to_a_free_period_updates_the_same_row(db: Database) -> None:
    first = await store_cards(db, card("fhir:Coverage/c1", JAN))
    await store_cards(db, card("fhir:Coverage/c1", FEB, period=NEXT_YEAR))
    await store_cards(db, card("fhir:Coverage/c1", JAN), card("xml130:coverage:c2", JAN))
    [row] = await coverages(db)
    assert row.id == first["fhir:Coverage/c1"] and (row.valid_from, row.valid_to) == NEXT_YEAR
    assert row.source_updated == FEB, "an older version of the record changes nothing"


async def test_an_insert_that_loses_a_race_for_its_period_merges_into_the_winner(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other import stores the period after this one looked and before it inserts."""
    await store_cards(db, card("fhir:Coverage/c0", JAN, period=NEXT_YEAR))
    looked_up = coverage_store._stored_rows

    async def other_import_commits_after_the_lookup(writer: Any, table: Any, rows: Any) -> Any:
        stored = await looked_up(writer, table, rows)
        monkeypatch.setattr(coverage_store, "_stored_rows", looked_up)
        winner = {**rows[0], "source_key": "fhir:Coverage/c1", "source_updated": JAN}
        winner.update(benefit_level=4, primary_care_code=None)
        await writer.execute(insert(table).values(winner))
        return stored

    monkeypatch.setattr(coverage_store, "_stored_rows", other_import_commits_after_the_lookup)
    async with store_transaction(db) as writer:
        lost = await upsert_coverages(
            writer, [card("xml130:coverage:c1", FEB, primary_care_code="96004")]
        )
    rows = await coverages(db)
    assert len(rows) == 2
    row = next(r for r in rows if r.valid_from == YEAR[0])
    assert lost.ids == {"xml130:coverage:c1": row.id}
    assert lost.changes == {"xml130:coverage:c1": Change.UPDATED}
    assert (row.source_key, row.benefit_level, row.primary_care_code) == (
        "fhir:Coverage/c1",
        4,
        "96004",
    )


async def test_two_concurrent_imports_of_one_period_end_as_one_row(db: Database) -> None:
    """PostgreSQL: the second insert waits on the first's index entry, then merges into it."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time: a second import cannot insert meanwhile")
    await store_cards(db)
    first_wrote = asyncio.Event()

    async def first_import() -> dict[str, int]:
        async with store_transaction(db) as writer:
            written = await upsert_coverages(writer, [card("fhir:Coverage/c1", JAN)])
            first_wrote.set()
            await _until_another_transaction_waits_on_a_lock(db)
        return written.ids

    async def second_import() -> dict[str, int]:
        await first_wrote.wait()
        async with store_transaction(db) as writer:
            return (await upsert_coverages(writer, [card("xml130:coverage:c1", FEB)])).ids

    first, second = await asyncio.wait_for(asyncio.gather(first_import(), second_import()), 30)
    [row] = await coverages(db)
    assert first["fhir:Coverage/c1"] == second["xml130:coverage:c1"] == row.id
    assert (row.source_key, row.source_updated) == ("fhir:Coverage/c1", FEB)


async def _until_another_transaction_waits_on_a_lock(db: Database) -> None:
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while True:  # a new transaction each time: pg_stat_activity is a per-transaction snapshot
        async with db.engine.begin() as connection:
            if await connection.scalar(waiting):
                return
        await asyncio.sleep(0.02)


async def facility_name(db: Database) -> str:
    async with db.unit_of_work() as session:
        [name] = (await session.execute(select(Facility.name))).scalars().all()
    return name


async def store_facility(db: Database, key: str, name: str, stamp: datetime | None) -> None:
    async with store_transaction(db) as writer:
        record = FacilityRecord(source_key=key, name=name, code="96001", source_updated=stamp)
        await upsert_facilities(writer, [record])


async def test_a_facility_known_by_its_code_takes_any_real_name(db: Database) -> None:
    await store_facility(db, "xml130:facility:96001", "96001", MAR)
    assert await facility_name(db) == "96001", "a code is better than no name at all"
    await store_facility(db, "fhir:Organization/o1", "BVĐK Cà Mau", JAN)
    assert await facility_name(db) == "BVĐK Cà Mau"


async def test_an_unstamped_real_name_replaces_a_bare_code(db: Database) -> None:
    await store_facility(db, "xml130:facility:96001", "96001", None)
    await store_facility(db, "fhir:Organization/o1", "BVĐK Cà Mau", None)
    assert await facility_name(db) == "BVĐK Cà Mau"


async def test_a_real_name_is_never_replaced_by_a_bare_code_or_blank(db: Database) -> None:
    await store_facility(db, "fhir:Organization/o1", "BVĐK Cà Mau", JAN)
    await store_facility(db, "xml130:facility:96001", "96001", MAR)
    await store_facility(db, "other:facility:96001", "  ", MAR)
    assert await facility_name(db) == "BVĐK Cà Mau"
    await store_facility(db, "fhir:Organization/o1", "Bệnh viện Đa khoa Cà Mau", APR)
    assert await facility_name(db) == "Bệnh viện Đa khoa Cà Mau", "a newer real name still wins"


async def test_a_bare_code_does_not_move_the_timestamp_past_a_later_real_name(
    db: Database,
) -> None:
    await store_facility(db, "fhir:Organization/o1", "BVĐK Cà Mau", JAN)
    await store_facility(db, "xml130:facility:96001", "96001", MAR)
    await store_facility(db, "fhir:Organization/o1", "Bệnh viện Đa khoa Cà Mau", FEB)
    assert await facility_name(db) == "Bệnh viện Đa khoa Cà Mau"
    async with db.unit_of_work() as session:
        assert await session.scalar(select(Facility.source_updated)) == FEB
