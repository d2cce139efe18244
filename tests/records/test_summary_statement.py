"""The record summary in one statement returns exactly what the per-section queries return."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.db.models import Allergy, Condition, Guardianship, Immunization, Medication, Visit
from bot.db.session import Database
from bot.records.json_rows import decoder_for
from bot.records.family import children_of
from bot.records.summary import record_summary, record_summary_by_section, record_summary_with_children
from tests.factories import make_citizen
from tests.records.conftest import counting_statements
from tests.records.factories import (
    NOW,
    add,
    key,
    make_facility,
    make_guardian_with_child,
    make_rich_citizen,
    observation,
)


async def _both(db: Database, citizen_id: int) -> tuple[object, object]:
    async with db.unit_of_work() as session:
        with counting_statements(db) as statements:
            packed = await record_summary(session, citizen_id, NOW)
        by_section = await record_summary_by_section(session, citizen_id, NOW)
    assert statements.count == 1
    return packed, by_section


async def test_a_citizen_with_hundreds_of_items_reads_the_same_in_one_statement(db: Database) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=300)

    packed, by_section = await _both(db, citizen.id)

    assert packed is not None
    assert packed == by_section
    assert packed.allergies.total == 25 and len(packed.allergies.items) == 10  # type: ignore[attr-defined]
    assert len(packed.recent_visits) == 3 and packed.key_results  # type: ignore[attr-defined]


async def test_an_empty_record_and_a_missing_citizen_read_the_same(db: Database) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session, national_id=None)
        citizen.birth_date = None

    packed, by_section = await _both(db, citizen.id)
    missing, missing_by_section = await _both(db, citizen.id + 1000)

    assert packed == by_section
    assert packed is not None and packed.allergies.total == 0  # type: ignore[attr-defined]
    assert packed.latest_vaccination is None and packed.recent_visits == ()  # type: ignore[attr-defined]
    assert missing is None and missing_by_section is None


async def test_awkward_values_and_ties_keep_their_exact_values_and_order(db: Database) -> None:
    """Floats beyond 15 digits, nulls sorted last, equal dates broken by id, quotes and Unicode."""
    same_day = datetime(2024, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    text = 'Thuốc "A" \\ <b> 💊 \t\u200bx'
    async with db.unit_of_work() as session:
        citizen = await make_citizen(session, blood_type=None, birth_date=date(2016, 2, 29))
        facility = await make_facility(session, text)
        await add(
            session,
            *[Allergy(source_key=key("allergy"), citizen_id=citizen.id, substance=f"{text} {n}",
                      severity=("mild", "moderate", "severe", None)[n % 4],
                      criticality="high" if n == 7 else None,
                      recorded=None if n % 3 == 0 else same_day, facility_id=facility.id)
              for n in range(14)],
            *[Condition(source_key=key("condition"), citizen_id=citizen.id, code=f"J{n:02d}.1",
                        code_system=None if n % 2 else "http://hl7.org/fhir/sid/icd-10",
                        name=None if n == 3 else text, onset=None if n % 4 == 0 else same_day,
                        clinical_status=None if n % 5 == 0 else "active")
              for n in range(12)],
            *[Medication(source_key=key("medication"), citizen_id=citizen.id, name=f"M{n}",
                         quantity=(0.1 + 0.2) * n if n % 2 else None, active=n != 5,
                         authored=same_day if n < 6 else None)
              for n in range(11)],
            *[Immunization(source_key=key("immunization"), citizen_id=citizen.id, vaccine_name=f"V{n}",
                           occurred=same_day, status="not-done" if n == 2 else None)
              for n in range(3)],
            *[Visit(source_key=key("visit"), citizen_id=citizen.id, start=same_day if n else None,
                    facility_name=text if n % 2 else None) for n in range(4)],
            observation(citizen, "8480-6", "Tâm thu", 120.00000000000001, effective=same_day),
            observation(citizen, "8462-4", "Tâm trương", 1e-7, effective=same_day),
            observation(citizen, "4548-4", "HbA1c", None, value_text="7,9 %", effective=None),
            observation(citizen, "2339-0", "Glucose", 6.1, reference_low=3.9, reference_high=5.5,
                        effective=same_day - timedelta(days=1)),
            observation(citizen, "2339-0", "Glucose", 5.0, effective=same_day - timedelta(days=2)),
        )

    packed, by_section = await _both(db, citizen.id)

    assert packed == by_section
    assert packed is not None
    assert packed.key_results[0].result.value_number == 120.00000000000001  # type: ignore[attr-defined]
    assert packed.key_results[0].companion.value_number == 1e-7  # type: ignore[attr-defined]
    assert [item.quantity for item in packed.medications.items][:2] == [None, (0.1 + 0.2) * 3]  # type: ignore[attr-defined]


def test_a_naive_datetime_column_is_refused_rather_than_read_without_its_zone() -> None:
    from sqlalchemy import DateTime

    try:
        decoder_for(DateTime())
    except TypeError:
        return
    raise AssertionError("a naive datetime column was accepted")


async def test_the_summary_with_children_reads_the_same_as_the_summary_and_children_of(db: Database) -> None:
    """Children under 14, youngest first; not one turning 14 today, deceased or someone else's."""
    async with db.unit_of_work() as session:
        guardian, older = await make_guardian_with_child(session, date(2016, 5, 1), full_name="Bé <Hai>")
        await add(session, observation(guardian, "29463-7", "Cân nặng", 61.5))
        births = [date(2020, 1, 1), date(2020, 1, 1), date(2012, 11, 26), date(2012, 11, 27), date(2019, 3, 3)]
        for number, birth in enumerate(births):
            kid = await make_citizen(session, birth_date=birth, phones=[], full_name=f"Con {number}",
                                     deceased_at=NOW if number == 4 else None)
            await add(session, Guardianship(guardian_id=guardian.id, child_id=kid.id, relationship_code="MTH"))
        childless = await make_citizen(session)

    async with db.unit_of_work() as session:
        with counting_statements(db) as statements:
            found = await record_summary_with_children(session, guardian.id, NOW)
            none = await record_summary_with_children(session, childless.id, NOW)
            missing = await record_summary_with_children(session, childless.id + 1000, NOW)
        expected = (await record_summary_by_section(session, guardian.id, NOW),
                    await children_of(session, guardian.id, NOW))
        alone = (await record_summary_by_section(session, childless.id, NOW), ())

    assert statements.count == 3
    assert found == expected and none == alone and missing is None
    assert [child.full_name for child in found[1]] == ["Con 0", "Con 1", "Bé <Hai>", "Con 3"]  # type: ignore[index]
    assert found[1][-1].age == 13 and older.id in {child.citizen_id for child in found[1]}  # type: ignore[index]



def test_the_prebuilt_statements_need_no_rendering_per_execution() -> None:
    """Expanding IN lists are rendered into the SQL again on every execution: none in the views."""
    import importlib
    import pkgutil

    import bot.records
    from sqlalchemy.dialects import postgresql, sqlite

    from bot.records.common import PREBUILT
    from bot.records.summary import _summary_statement

    for module in pkgutil.iter_modules(bot.records.__path__):
        importlib.import_module(f"bot.records.{module.name}")
    assert len(PREBUILT) > 10
    for dialect in (sqlite.dialect(), postgresql.asyncpg.dialect()):
        statements = [_summary_statement(dialect.name, True).query, *(build() for build in PREBUILT)]
        rendered = [str(statement.compile(dialect=dialect)) for statement in statements]
        assert [sql for sql in rendered if "POSTCOMPILE" in sql] == []
