"""Rows that two standards describe under different keys: card periods and facility names."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.db.models import Coverage, Facility
from bot.db.session import Database
from bot.ingest.store import (
    Change,
    CitizenRecord,
    CitizenRef,
    CoverageRecord,
    FacilityRecord,
    store_transaction,
    upsert_citizens,
    upsert_coverages,
    upsert_facilities,
)

JAN, FEB, MAR, APR = (datetime(2025, month, 1, tzinfo=UTC) for month in (1, 2, 3, 4))
CARD = "DN4969612345678"
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


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
