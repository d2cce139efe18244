"""Who a HOSO is about: CCCD, then insurance card, then the facility's patient number."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from bot.db.models import Citizen, Visit
from bot.db.session import Database
from bot.ingest.store import (
    CitizenRecord,
    CitizenRef,
    CoverageRecord,
    store_transaction,
    upsert_citizens,
    upsert_coverages,
)
from bot.ingest.xml130 import InsuranceCard, Xml130Report, Xml130Visit, write_submission
from tests.xml130.factories import full_visit, national_id
from tests.xml130.helpers import all_rows, one, run_import

AN = "096085001234"
SA_RA = "096301004567"


def patient(visit: Xml130Visit, **changes: Any) -> Xml130Visit:
    return dataclasses.replace(visit, summary=dataclasses.replace(visit.summary, **changes))


async def import_visit(db: Database, tmp_path: Path, visit: Xml130Visit) -> Xml130Report:
    path = tmp_path / f"{visit.summary.ma_lk}.xml"
    write_submission(path, visit.summary.facility_code, date(2025, 11, 20), [visit])
    return await run_import(db, path)


async def test_card_matches_a_patient_without_cccd(db: Database) -> None:
    await run_import(db, "full_visit.xml")
    report = await run_import(db, "match_by_card.xml")
    assert report.ok and report.citizens_created == 0
    an = await one(db, Citizen, national_id=AN)
    matched = [
        v.citizen_id for v in await all_rows(db, Visit) if v.source_key.startswith("xml130:96003:")
    ]
    assert matched == [an.id, an.id]  # the exact 15-character card, then its 10-digit number
    assert len(await all_rows(db, Citizen)) == 2


async def test_card_known_only_as_a_card_period_matches(db: Database, tmp_path: Path) -> None:
    cccd = national_id(77, 1970, female=False)
    async with store_transaction(db) as writer:
        await upsert_citizens(
            writer,
            [CitizenRecord(source_key="fhir:Patient/1", full_name="Hà Văn Tư", national_id=cccd)],
        )
        await upsert_coverages(
            writer,
            [
                CoverageRecord(
                    source_key="fhir:Coverage/1",
                    citizen=CitizenRef.by_key("fhir:Patient/1"),
                    card_number="HT3961122334455",
                )
            ],
        )
    visit = patient(
        full_visit(),
        national_id=None,
        patient_number=None,
        cards=(InsuranceCard("HT3961122334455", date(2025, 1, 1), date(2025, 12, 31)),),
    )
    report = await import_visit(db, tmp_path, visit)
    assert report.ok and report.citizens_created == 0
    citizen = await one(db, Citizen, national_id=cccd)
    assert (await one(db, Visit, source_key="xml130:96001:LKRT0001")).citizen_id == citizen.id
    assert (
        citizen.full_name == visit.summary.full_name
    )  # the visit is newer than the stamp-less record


async def test_patient_number_matches_only_within_its_facility(db: Database) -> None:
    await run_import(db, "full_visit.xml")
    report = await run_import(db, "match_by_patient_number.xml")
    sa_ra = await one(db, Citizen, national_id=SA_RA)
    assert (await one(db, Visit, source_key="xml130:96001:LKBN01")).citizen_id == sa_ra.id
    rejected = [(r.hoso, r.ma_lk, r.field, r.reason) for r in report.rejections]
    unknown = "no CCCD, and neither the insurance card nor MA_BN is known"
    assert rejected == [(2, "LKBN02", "SO_CCCD", unknown), (3, "LKBN03", "SO_CCCD", unknown)]
    assert len(await all_rows(db, Citizen)) == 2


async def test_card_of_another_citizen_rejects_the_hoso(db: Database, tmp_path: Path) -> None:
    await run_import(db, "full_visit.xml")
    visit = patient(
        full_visit(),
        national_id=AN,
        birth_date=None,
        cards=(InsuranceCard("9601234567", date(2025, 1, 1), date(2025, 12, 31)),),
    )
    report = await import_visit(db, tmp_path, visit)
    (rejection,) = report.rejections
    assert (rejection.field, rejection.reason) == (
        "MA_THE_BHYT",
        "the card is recorded for another citizen",
    )


async def test_patient_number_of_another_citizen_rejects_the_hoso(
    db: Database, tmp_path: Path
) -> None:
    await run_import(db, "full_visit.xml")
    visit = patient(
        full_visit(), national_id=AN, birth_date=None, cards=(), patient_number="BN000456"
    )
    report = await import_visit(db, tmp_path, visit)
    (rejection,) = report.rejections
    assert rejection.field == "MA_BN"


async def test_card_holder_with_another_cccd_rejects_the_hoso(db: Database, tmp_path: Path) -> None:
    await run_import(db, "full_visit.xml")
    other = national_id(99, 1985, female=False)
    visit = patient(
        full_visit(),
        national_id=other,
        birth_date=None,
        patient_number=None,
        cards=(InsuranceCard("DN4960123456789", date(2025, 1, 1), date(2025, 6, 30)),),
    )
    report = await import_visit(db, tmp_path, visit)
    (rejection,) = report.rejections
    assert rejection.field == "SO_CCCD" and rejection.reason.startswith("differs from the CCCD")
    assert len(await all_rows(db, Citizen)) == 2


async def test_cards_of_two_citizens_reject_the_hoso(db: Database, tmp_path: Path) -> None:
    await run_import(db, "full_visit.xml")
    cards = (
        InsuranceCard("DN4960123456789", date(2025, 1, 1), date(2025, 6, 30)),
        InsuranceCard("9601234567", date(2025, 7, 1), date(2025, 12, 31)),
    )
    visit = patient(full_visit(), national_id=None, patient_number=None, cards=cards)
    report = await import_visit(db, tmp_path, visit)
    assert [r.reason for r in report.rejections] == ["the cards belong to different citizens"]


async def test_cccd_must_agree_with_the_birth_year(db: Database, tmp_path: Path) -> None:
    visit = patient(full_visit(), national_id=national_id(5, 1980, female=True))
    report = await import_visit(db, tmp_path, visit)
    (rejection,) = report.rejections
    assert (rejection.field, rejection.reason) == (
        "SO_CCCD",
        "the birth year encoded in the CCCD differs from NGAY_SINH",
    )


async def test_malformed_card_rejects_the_hoso(db: Database, tmp_path: Path) -> None:
    visit = patient(full_visit(), cards=(InsuranceCard("XX9", None, None),))
    report = await import_visit(db, tmp_path, visit)
    assert [(r.table, r.field) for r in report.rejections] == [("XML1", "MA_THE_BHYT")]
