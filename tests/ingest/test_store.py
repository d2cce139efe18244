"""The store-writing layer: idempotent, stamp-ordered upserts, merges and references."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from bot.db.models import (
    Citizen,
    CitizenIdentifier,
    CitizenPhone,
    Condition,
    Diagnosis,
    Facility,
    Guardianship,
    Medication,
    Observation,
    VisitService,
)
from bot.db.session import Database
from bot.ingest.store import (
    Change,
    CitizenRecord,
    CitizenRef,
    ConditionRecord,
    DiagnosisRecord,
    FacilityRecord,
    FacilityRef,
    GuardianshipRecord,
    IdCaches,
    Identifier,
    MedicationRecord,
    ObservationRecord,
    UnresolvedReference,
    VisitRecord,
    VisitServiceRecord,
    prefetch_records,
    resolve_citizens,
    resolve_facilities,
    store_transaction,
    upsert_citizens,
    upsert_conditions,
    upsert_facilities,
    upsert_guardianships,
    upsert_visits,
)

JAN, FEB, MAR = (datetime(2025, month, 1, tzinfo=UTC) for month in (1, 2, 3))
MRN = "urn:oid:1.2.3.4.96001"


def citizen(key: str = "t:p1", **values: object) -> CitizenRecord:
    values.setdefault("full_name", "Trần Thị Bích")
    return CitizenRecord(source_key=key, **values)  # type: ignore[arg-type]


def condition(name: str, stamp: datetime | None) -> ConditionRecord:
    return ConditionRecord(
        source_key="t:c1",
        citizen=CitizenRef.by_key("t:p1"),
        name=name,
        code="E11",
        source_updated=stamp,
    )


async def all_rows(db: Database, model: type) -> list:
    async with db.unit_of_work() as session:
        return list((await session.execute(select(model))).scalars())


async def test_upsert_is_idempotent_and_only_a_newer_stamp_replaces(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen()])
        first = await upsert_conditions(writer, [condition("Tiểu đường", FEB)])
    steps = [
        ("Tiểu đường", FEB, Change.UNCHANGED),
        ("cũ hơn", JAN, Change.UNCHANGED),
        ("không ngày", None, Change.UNCHANGED),
        ("mới", MAR, Change.UPDATED),
    ]
    for name, stamp, expected in steps:
        async with store_transaction(db) as writer:
            result = await upsert_conditions(writer, [condition(name, stamp)])
        assert result.changes == {"t:c1": expected}, name
        assert result.ids == first.ids
    assert first.changes == {"t:c1": Change.INSERTED}
    [stored] = await all_rows(db, Condition)
    assert (stored.name, stored.source_updated) == ("mới", MAR)


async def test_duplicate_keys_in_one_call_keep_the_newest(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen()])
        result = await upsert_conditions(writer, [condition("mới", MAR), condition("cũ", JAN)])
    assert result.changes == {"t:c1": Change.INSERTED}
    assert [c.name for c in await all_rows(db, Condition)] == ["mới"]


async def test_later_national_id_attaches_to_the_citizen_found_by_identifier(db: Database) -> None:
    async with store_transaction(db) as writer:
        first = await upsert_citizens(
            writer, [citizen("fhir:Patient/a", identifiers=(Identifier(MRN, "BN1"),))]
        )
    async with store_transaction(db) as writer:
        second = await upsert_citizens(
            writer,
            [
                citizen(
                    "xml:96001:BN1",
                    national_id="096085000123",
                    identifiers=(Identifier(MRN, "BN1"),),
                )
            ],
        )
        found = await resolve_citizens(
            writer,
            [
                CitizenRef.by_key("fhir:Patient/a"),
                CitizenRef.by_key("xml:96001:BN1"),
                CitizenRef.by_national_id("096085000123"),
            ],
        )
    assert second.changes == {"xml:96001:BN1": Change.UPDATED}
    assert set(found.values()) == {first.ids["fhir:Patient/a"]} and len(found) == 3
    [stored] = await all_rows(db, Citizen)
    assert stored.national_id == "096085000123" and stored.source_key == "fhir:Patient/a"


async def test_older_or_guardian_records_only_fill_empty_fields(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(
            writer,
            [citizen(full_name="Lê Văn Tám", national_id="096085000124", source_updated=FEB)],
        )
        await upsert_citizens(
            writer,
            [
                citizen(
                    "t:old",
                    full_name="Le Van Tam",
                    national_id="096085000124",
                    district="Năm Căn",
                    source_updated=JAN,
                )
            ],
        )
        await upsert_citizens(
            writer,
            [
                citizen(
                    "t:guard",
                    full_name="Ông Tám",
                    national_id="096085000124",
                    commune="Hàng Vịnh",
                    authoritative=False,
                    source_updated=MAR,
                )
            ],
        )
    [stored] = await all_rows(db, Citizen)
    assert (stored.full_name, stored.district, stored.commune) == (
        "Lê Văn Tám",
        "Năm Căn",
        "Hàng Vịnh",
    )
    assert stored.source_updated == FEB


async def test_phones_are_stored_in_e164_and_only_added(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen(phones=("0912 345 678", "not a phone"))])
    async with store_transaction(db) as writer:
        again = await upsert_citizens(writer, [citizen(phones=("+84912345678",))])
        more = await upsert_citizens(
            writer, [citizen(phones=("(781) 744-5100",), phone_region="US")]
        )
    assert again.changes["t:p1"] is Change.UNCHANGED and more.changes["t:p1"] is Change.UPDATED
    assert sorted(p.e164 for p in await all_rows(db, CitizenPhone)) == [
        "+17817445100",
        "+84912345678",
    ]


def visit(stamp: datetime, diagnoses: int, with_children: bool = True) -> VisitRecord:
    patient = CitizenRef.by_key("t:p1")
    children = range(diagnoses) if with_children else range(0)
    return VisitRecord(
        source_key="t:v1",
        citizen=patient,
        source_updated=stamp,
        diagnoses=tuple(DiagnosisRecord(name=f"bệnh {i}", code=f"J0{i}", rank=i) for i in children),
        services=tuple(VisitServiceRecord(name=f"dịch vụ {i}", total=1000 * i) for i in children),
        medications=tuple(
            MedicationRecord(source_key=f"t:v1:m{i}", citizen=patient, name=f"thuốc {i}")
            for i in children
        ),
        observations=tuple(
            ObservationRecord(source_key=f"t:v1:o{i}", citizen=patient, code=f"c{i}", name="x")
            for i in children
        ),
    )


async def test_visit_children_are_replaced_wholesale_when_the_visit_is(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen()])
        await upsert_visits(writer, [visit(FEB, 3)])
    async with store_transaction(db) as writer:
        unchanged = await upsert_visits(writer, [visit(FEB, 1)])
    assert unchanged.changes["t:v1"] is Change.UNCHANGED
    assert len(await all_rows(db, Diagnosis)) == 3
    async with store_transaction(db) as writer:
        replaced = await upsert_visits(writer, [visit(MAR, 2)])
    assert replaced.changes["t:v1"] is Change.UPDATED
    for model in (Diagnosis, VisitService, Medication, Observation):
        assert len(await all_rows(db, model)) == 2, model.__name__
    assert sorted(m.source_key for m in await all_rows(db, Medication)) == ["t:v1:m0", "t:v1:m1"]


async def test_unknown_reference_raises_and_the_transaction_leaves_nothing(db: Database) -> None:
    caches = IdCaches()
    with pytest.raises(UnresolvedReference) as raised:
        async with store_transaction(db, caches) as writer:
            await upsert_citizens(writer, [citizen("t:p2")])
            await upsert_conditions(writer, [condition("x", None)])
    assert raised.value.kind == "citizen" and raised.value.source_keys == {"t:c1"}
    assert await all_rows(db, Citizen) == []
    async with store_transaction(db, caches) as writer:
        assert await resolve_citizens(writer, [CitizenRef.by_key("t:p2")]) == {}


async def test_facility_is_matched_by_code_across_sources(db: Database) -> None:
    async with store_transaction(db) as writer:
        fhir = await upsert_facilities(
            writer,
            [FacilityRecord(source_key="fhir:Organization/o1", name="BVĐK Cà Mau", code="96001")],
        )
    async with store_transaction(db) as writer:
        xml = await upsert_facilities(
            writer,
            [
                FacilityRecord(
                    source_key="xml130:facility:96001",
                    name="Bệnh viện",
                    code="96001",
                    district="TP Cà Mau",
                )
            ],
        )
    async with store_transaction(db, IdCaches()) as writer:
        found = await resolve_facilities(
            writer, [FacilityRef.by_key("xml130:facility:96001"), FacilityRef.by_code("96001")]
        )
    assert xml.ids == {"xml130:facility:96001": fhir.ids["fhir:Organization/o1"]}
    assert {info.id for info in found.values()} == set(fhir.ids.values()) and len(found) == 2
    [stored] = await all_rows(db, Facility)
    assert (stored.name, stored.district) == ("BVĐK Cà Mau", "TP Cà Mau")


async def test_guardianship_moves_with_its_key_and_inactive_removes_it(db: Database) -> None:
    parent, child, other = (
        CitizenRef.by_key("t:mom"),
        CitizenRef.by_key("t:kid"),
        CitizenRef.by_key("t:kid2"),
    )
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen("t:mom"), citizen("t:kid"), citizen("t:kid2")])
        made = await upsert_guardianships(
            writer,
            [
                GuardianshipRecord(
                    source_key="t:g", guardian=parent, child=child, relationship_code="MTH"
                )
            ],
        )
        same = await upsert_guardianships(
            writer,
            [
                GuardianshipRecord(
                    source_key="t:g", guardian=parent, child=child, relationship_code="MTH"
                )
            ],
        )
        moved = await upsert_guardianships(
            writer,
            [
                GuardianshipRecord(
                    source_key="t:g", guardian=parent, child=other, relationship_code="GUARD"
                )
            ],
        )
    assert (made.changes["t:g"], same.changes["t:g"], moved.changes["t:g"]) == (
        Change.INSERTED,
        Change.UNCHANGED,
        Change.UPDATED,
    )
    [link] = await all_rows(db, Guardianship)
    assert link.relationship_code == "GUARD"
    async with store_transaction(db) as writer:
        await upsert_guardianships(
            writer,
            [
                GuardianshipRecord(
                    source_key="t:g",
                    guardian=parent,
                    child=other,
                    relationship_code="GUARD",
                    active=False,
                )
            ],
        )
    assert await all_rows(db, Guardianship) == []


async def test_overlong_text_is_cut_to_its_column(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(
            writer, [citizen(full_name="A" * 400, identifiers=(Identifier(MRN, "9" * 300),))]
        )
    [stored] = await all_rows(db, Citizen)
    assert len(stored.full_name) == 255 and stored.full_name.endswith("…")
    [identifier] = await all_rows(db, CitizenIdentifier)
    assert len(identifier.value) == 255


async def test_prefetched_keys_give_the_same_outcome(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen()])
        await upsert_conditions(writer, [condition("a", JAN)])
    async with store_transaction(db) as writer:
        records = [condition("b", FEB)]
        await prefetch_records(writer, records)
        result = await upsert_conditions(writer, records)
        again = await upsert_conditions(writer, [condition("b", FEB)])
    assert (result.changes["t:c1"], again.changes["t:c1"]) == (Change.UPDATED, Change.UNCHANGED)


async def test_replaced_children_are_written_even_when_looked_up_ahead(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(writer, [citizen()])
        await upsert_visits(writer, [visit(FEB, 2)])
    async with store_transaction(db) as writer:
        newer = visit(MAR, 2)
        for child in newer.medications or ():
            child.source_updated = None
        await prefetch_records(writer, [newer, *(newer.medications or ())])
        await upsert_visits(writer, [newer])
    assert len(await all_rows(db, Medication)) == 2


async def test_plan_each_time_holds_for_its_transaction_only(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    show = text("SHOW plan_cache_mode")
    async with store_transaction(db, plan_each_time=True) as writer:
        assert (await writer.execute(show)).scalar_one() == "force_custom_plan"
    async with store_transaction(db) as writer:
        assert (await writer.execute(show)).scalar_one() == "auto"
