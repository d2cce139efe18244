"""The /record summary: one message under 4096 characters, escaped, in every language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.db.models import Allergy, Condition, Immunization, Medication
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.callbacks import CallbackAction, parse_callback
from bot.records.summary import record_summary
from bot.settings import SUPPORTED_LOCALES
from bot.views.record import record_summary as render_summary
from bot.views.split import telegram_length
from tests.factories import make_citizen
from tests.records.conftest import counting_statements
from tests.records.factories import (
    NOW,
    add,
    key,
    make_facility,
    make_rich_citizen,
    make_visit,
    observation,
)


async def test_rich_record_fits_one_message_in_every_language(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=30)
    async with db.unit_of_work() as session:
        with counting_statements(db) as statements:
            summary = await record_summary(session, citizen.id, NOW)
    assert summary is not None
    assert statements.count <= 8  # a fixed number of queries, whatever the size of the record
    assert summary.person.age == 65  # the 66th birthday is tomorrow in Vietnam
    assert summary.person.masked_national_id == "••••••••" + (citizen.national_id or "")[-4:]
    assert summary.allergies.total == 25 and len(summary.allergies.items) == 10
    for locale in SUPPORTED_LOCALES:
        reply = render_summary(catalogs.get(locale), summary, has_children=True)
        assert telegram_length(reply.text) <= 4096
        assert "Lê Văn &lt;Bình&gt; &amp; Co" in reply.text
        assert "<Bình>" not in reply.text
        assert "Penicillin 0 &lt;beta&gt;" in reply.text
        assert "••••••••" + (citizen.national_id or "")[-4:] in reply.text
        assert "1960" in reply.text and "O+" in reply.text
        assert "150/85 mmHg" in reply.text and "▲" in reply.text  # blood pressure above range
        assert "7,9" in reply.text or "7.9" in reply.text  # HbA1c
        assert "<code>E11</code>" in reply.text  # ICD-10 code of the main diagnosis
        actions = {parse_callback(b.data).action for row in reply.buttons for b in row if b.data}  # type: ignore[union-attr]
        assert {
            CallbackAction.VISITS,
            CallbackAction.LABS,
            CallbackAction.VACCINATIONS,
            CallbackAction.MEDICATIONS,
            CallbackAction.APPOINTMENTS,
            CallbackAction.INSURANCE,
            CallbackAction.FAMILY,
        } <= actions


async def test_a_small_limit_drops_list_lines_but_keeps_the_person(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=5)
        summary = await record_summary(session, citizen.id, NOW)
    assert summary is not None
    reply = render_summary(catalogs.get("en"), summary, limit=1500)
    assert telegram_length(reply.text) <= 1500
    assert "Lê Văn &lt;Bình&gt; &amp; Co" in reply.text
    assert "more" in reply.text


async def test_empty_record_says_so_in_each_section(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session, national_id=None, full_name="Trần Thị Trống")
        citizen.birth_date = None
        await session.flush()
        summary = await record_summary(session, citizen.id, NOW)
    assert summary is not None
    text = render_summary(catalogs.get("en"), summary).text
    for sentence in (
        "No allergies recorded.",
        "No active conditions recorded.",
        "No current medications recorded.",
        "No vaccinations recorded.",
        "No visits recorded.",
        "No key results recorded.",
    ):
        assert sentence in text
    assert "Date of birth: not recorded" in text and "Citizen ID: not recorded" in text


async def test_missing_citizen_gives_none(db: Database) -> None:
    async with db.unit_of_work() as session:
        assert await record_summary(session, 424242, NOW) is None


async def test_khmer_names_and_merged_facilities(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(
            session, full_name="សុខ ចាន់ថា", sex="male", birth_date=date(1999, 1, 2)
        )
        hospital = await make_facility(session, "មន្ទីរពេទ្យ & Co")
        clinic = await make_facility(session, "Trạm Y tế Tân Thành")
        await make_visit(session, citizen, hospital, NOW - timedelta(days=2))
        await make_visit(
            session, citizen, clinic, NOW - timedelta(days=1), diagnoses=(("I10", "Tăng huyết áp"),)
        )
        await make_visit(
            session,
            citizen,
            None,
            NOW - timedelta(days=3),
            facility_name="Phòng khám tư <A>",
            diagnoses=(),
        )
        await add(
            session,
            Allergy(
                source_key=key("a"),
                citizen_id=citizen.id,
                substance="Đậu phộng",
                criticality="high",
            ),
            Allergy(
                source_key=key("a"),
                citizen_id=citizen.id,
                substance="Old",
                clinical_status="resolved",
            ),
            Condition(
                source_key=key("c"),
                citizen_id=citizen.id,
                code="38341003",
                code_system="snomed",
                name="Hypertension",
                clinical_status="active",
            ),
            Condition(
                source_key=key("c"),
                citizen_id=citizen.id,
                code="J20",
                code_system="icd10",
                name="Once",
                category="encounter-diagnosis",
            ),
            Medication(source_key=key("m"), citizen_id=citizen.id, name="Amlodipine", active=False),
            Immunization(
                source_key=key("i"),
                citizen_id=citizen.id,
                vaccine_name="BCG",
                occurred=datetime(2000, 1, 1, tzinfo=UTC),
                facility_id=clinic.id,
            ),
            Immunization(
                source_key=key("i"),
                citizen_id=citizen.id,
                vaccine_name="Not given",
                status="not-done",
                occurred=NOW,
            ),
            observation(
                citizen,
                "2339-0",
                "Glucose",
                3.1,
                reference_low=3.9,
                reference_high=6.4,
                unit="mmol/L",
            ),
        )
        summary = await record_summary(session, citizen.id, NOW)
    assert summary is not None
    assert [v.facility for v in summary.recent_visits] == [
        "Trạm Y tế Tân Thành",
        "មន្ទីរពេទ្យ & Co",
        "Phòng khám tư <A>",
    ]
    assert [a.substance for a in summary.allergies.items] == ["Đậu phộng"]
    assert [(c.name, c.icd10) for c in summary.conditions.items] == [("Hypertension", None)]
    assert summary.medications.total == 0
    assert (
        summary.latest_vaccination is not None and summary.latest_vaccination.vaccine_name == "BCG"
    )
    for locale in SUPPORTED_LOCALES:
        text = render_summary(catalogs.get(locale), summary).text
        assert "សុខ ចាន់ថា" in text
        assert "មន្ទីរពេទ្យ &amp; Co" in text and "Phòng khám tư &lt;A&gt;" in text
        assert "▼" in text  # glucose below range
        assert "<code>I10</code>" in text
