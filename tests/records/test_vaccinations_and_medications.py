"""Vaccinations grouped by disease; medicines with current ones first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db.models import Immunization, Medication
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.medications import medications_page
from bot.records.vaccinations import vaccinations_by_disease
from bot.settings import SUPPORTED_LOCALES
from bot.views.medications import medications_page as render_medications
from bot.views.split import telegram_length
from bot.views.vaccinations import vaccinations as render_vaccinations
from tests.factories import make_citizen
from tests.records.factories import NOW, add, key, make_facility, make_rich_citizen


def _dose(
    citizen_id: int, vaccine: str, disease: str | None, year: int, **extra: object
) -> Immunization:
    return Immunization(
        source_key=key("imm"),
        citizen_id=citizen_id,
        vaccine_name=vaccine,
        target_disease=disease,
        occurred=datetime(year, 3, 1, tzinfo=UTC),
        **extra,
    )


async def test_vaccinations_are_grouped_by_disease_oldest_dose_first(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        clinic = await make_facility(session, "TYT Xã Tân Lộc")
        await add(
            session,
            _dose(citizen.id, "MMR", "Sởi", 2020, dose_number="2", facility_id=clinic.id),
            _dose(citizen.id, "MVVac", "sởi", 2019, dose_number="1"),
            _dose(citizen.id, "Hexaxim", "Bạch hầu", 2018, lot_number="L<1>"),
            _dose(citizen.id, "BCG", None, 2017),
            _dose(citizen.id, "Skipped", "Ho gà", 2021, status="not-done"),
        )
        groups = await vaccinations_by_disease(session, citizen.id)
    assert [(g.disease, [d.vaccine_name for d in g.doses]) for g in groups] == [
        ("BCG", ["BCG"]),
        ("Bạch hầu", ["Hexaxim"]),
        ("sởi", ["MVVac", "MMR"]),
    ]
    for locale in SUPPORTED_LOCALES:
        replies = render_vaccinations(catalogs.get(locale), groups)
        text = replies[0].text
        assert "L&lt;1&gt;" in text and "TYT Xã Tân Lộc" in text and "Skipped" not in text
        assert text.index("MVVac") < text.index("MMR")


async def test_many_vaccinations_split_at_diseases(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=0)
        await add(
            session,
            *(_dose(citizen.id, "V" * 200, f"Bệnh dài {n}", 2000 + n % 20) for n in range(80)),
        )
        groups = await vaccinations_by_disease(session, citizen.id)
    replies = render_vaccinations(catalogs.get("km"), groups)
    assert len(replies) > 1 and all(telegram_length(reply.text) <= 4096 for reply in replies)
    for group in groups:
        holders = [reply.text for reply in replies if f"<b>{group.disease}</b>" in reply.text]
        assert len(holders) == 1  # a disease's doses stay in one message


async def test_no_vaccinations_or_medications_says_so(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        groups = await vaccinations_by_disease(session, citizen.id)
        medicines = await medications_page(session, citizen.id)
    t = catalogs.get("en")
    assert "No vaccinations recorded." in render_vaccinations(t, groups)[0].text
    assert "No medications recorded." in render_medications(t, medicines).text


async def test_current_medications_first_then_newest(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session)
        rows = [
            Medication(
                source_key=key("m"),
                citizen_id=citizen.id,
                name=f"Old {n}",
                active=False,
                authored=NOW - timedelta(days=n + 1),
            )
            for n in range(20)
        ]
        rows.append(
            Medication(
                source_key=key("m"),
                citizen_id=citizen.id,
                name="Losartan <50>",
                active=True,
                authored=NOW - timedelta(days=400),
                dosage="1 viên/ngày",
            )
        )
        await add(session, *rows)
        first = await medications_page(session, citizen.id, 1)
        last = await medications_page(session, citizen.id, first.pages)
    assert first.total == 21 and first.pages == 3
    assert [m.name for m in first.items[:3]] == ["Losartan <50>", "Old 0", "Old 1"]
    assert last.items[-1].name == "Old 19"
    for locale in SUPPORTED_LOCALES:
        reply = render_medications(catalogs.get(locale), first)
        assert "Losartan &lt;50&gt;" in reply.text and telegram_length(reply.text) <= 4096
        assert any(b.data == "rec:m:2" for row in reply.buttons for b in row)
