"""Migration 0003: duplicate card periods merged, then one row per citizen, card and period."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from bot.db.migrate import upgrade
from bot.db.models import Citizen, Coverage, ReminderDelivery
from bot.db.session import Database
from tests.conftest import BACKENDS
from tests.databases import PostgresTestDatabase, postgres_admin_url

JAN, FEB = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC)
CARD = "DN4969612345678"
CITIZEN = {"id": 1, "full_name": "Lê Văn Tám", "sex": "male", "source_key": "t:p1"}
OPEN_PERIOD = {"valid_from": date(2025, 1, 1), "valid_to": None}


@pytest.fixture(params=BACKENDS)
def url_before_0003(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database migrated up to 0002, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'before.sqlite3'}"
        asyncio.run(upgrade(url, "0002"))
        yield url
        return
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("PostgreSQL not configured (set HEALTHBOT_TEST_POSTGRES_URL)")
    database = PostgresTestDatabase(admin_url)
    database.create("0002")
    yield database.url
    database.drop()


def card(key: str, stamp: datetime | None, **values: Any) -> dict[str, Any]:
    return {
        "citizen_id": 1,
        "card_number": CARD,
        "source_key": key,
        "source_updated": stamp,
        **OPEN_PERIOD,
        **values,
    }


def reminder(kind: str, object_id: int, sent: datetime | None = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "object_id": object_id,
        "citizen_id": 1,
        "due_at": JAN,
        "attempts": 0,
        "sent_at": sent,
        "created_at": JAN,
    }


async def seed_duplicates(db: Database) -> list[int]:
    """Three rows of one open-ended period (NULL end) and one of another period."""
    async with db.unit_of_work() as session:
        await session.execute(insert(Citizen).values(CITIZEN))
        rows = [
            card("fhir:Coverage/c1", JAN, benefit_level=4),
            card("xml130:coverage:c1", FEB, primary_care_code="96004"),
            card("fhir:Patient/p1#card", None, benefit_level=3, primary_care_name="TYT Tân Thành"),
            card("xml130:coverage:c2", JAN, valid_from=date(2026, 1, 1)),
        ]
        returning_id = insert(Coverage).returning(Coverage.id)
        ids = [(await session.execute(returning_id.values(row))).scalar_one() for row in rows]
        fhir, xml, patient, _ = ids
        await session.execute(
            insert(ReminderDelivery),
            [
                reminder("card30d", fhir, sent=FEB),
                reminder("card30d", xml),
                reminder("card7d", xml),
                reminder("card7d", patient),
                reminder("appt24h", fhir),  # an appointment's id may equal a card's
            ],
        )
    return ids


async def test_upgrade_merges_duplicate_periods_into_the_newest_source(
    url_before_0003: str,
) -> None:
    db = Database(url_before_0003)
    try:
        fhir, xml, _, other = await seed_duplicates(db)
        await upgrade(url_before_0003)
        async with db.unit_of_work() as session:
            rows = (await session.execute(select(Coverage).order_by(Coverage.id))).scalars().all()
            reminders = (
                await session.execute(
                    select(
                        ReminderDelivery.kind, ReminderDelivery.object_id, ReminderDelivery.sent_at
                    ).order_by(ReminderDelivery.kind)
                )
            ).all()
    finally:
        await db.dispose()
    assert [row.id for row in rows] == [xml, other]
    kept = rows[0]
    assert (kept.source_key, kept.source_updated) == ("xml130:coverage:c1", FEB)
    assert (kept.primary_care_code, kept.benefit_level) == ("96004", 4), "newest gap filler first"
    assert kept.primary_care_name == "TYT Tân Thành"
    assert reminders == [("appt24h", fhir, None), ("card30d", xml, FEB), ("card7d", xml, None)]


async def test_the_database_refuses_a_second_row_of_an_open_ended_period(db: Database) -> None:
    async with db.unit_of_work() as session:
        await session.execute(insert(Citizen).values(CITIZEN))
        await session.execute(insert(Coverage).values(card("fhir:Coverage/c1", JAN)))
    with pytest.raises(IntegrityError):
        async with db.unit_of_work() as session:
            await session.execute(insert(Coverage).values(card("xml130:coverage:c1", FEB)))
    async with db.unit_of_work() as session:
        other_card = card("xml130:coverage:c2", FEB, card_number="GD4969600000001")
        await session.execute(insert(Coverage).values(other_card))
        assert len((await session.execute(select(Coverage.id))).all()) == 2
