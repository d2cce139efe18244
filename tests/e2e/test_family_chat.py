"""/family through the chat: a guardian sees their children under 14, every look audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen, Guardianship, Immunization, Medication
from tests.e2e_record_support import (
    audit_entries,
    callbacks,
    say,
    signed_in_user,
    tap_for_edit,
)
from tests.e2e_support import RunningBot
from tests.factories import make_citizen
from tests.records.factories import (
    add,
    key,
    make_appointment,
    make_coverage,
    make_facility,
    make_visit,
)

pytestmark = pytest.mark.e2e
CHILD_NAME = "សុខ ស្រីនាង"
"""The seven-year-old's name, in Khmer script."""


@dataclass(frozen=True)
class Family:
    """A mother with a child of 7, one turning 14 in three days, and one of 15."""

    guardian: Citizen
    young: Citizen
    almost_fourteen: Citizen
    teenager: Citizen


async def _childs_record(session: AsyncSession, child: Citizen, now: datetime) -> None:
    """A visit with a low result, a vaccination, a medicine, an appointment and a card."""
    clinic = await make_facility(session, "Bệnh viện Sản Nhi Cà Mau")
    hemoglobin = {"code": "718-7", "name": "Hemoglobin", "value": 10.1, "unit": "g/dL",
                  "reference_low": 11.5, "reference_high": 15.5}
    await make_visit(session, child, clinic, now - timedelta(days=30),
                     diagnoses=(("J02.9", "Viêm họng cấp"),), results=(hemoglobin,))
    vaccination = Immunization(
        source_key=key("immunization"), citizen_id=child.id, facility_id=clinic.id,
        vaccine_name="Quinvaxem", target_disease="Bạch hầu", dose_number="1",
        occurred=now - timedelta(days=2000),
    )
    medicine = Medication(
        source_key=key("medication"), citizen_id=child.id, facility_id=clinic.id, name="Paracetamol",
        strength="250 mg", dosage="Uống khi sốt", active=True, authored=now - timedelta(days=30),
    )
    await add(session, vaccination, medicine)
    await make_appointment(session, child, clinic, now + timedelta(days=5), reason="Tiêm nhắc")
    await make_coverage(
        session, child, date(2027, 9, 30), card_number="HS4960555666777", beneficiary_group="HS"
    )


async def _family(bot: RunningBot) -> Family:
    async with bot.db.unit_of_work() as session:
        guardian = await make_citizen(session, full_name="Thạch Thị Mẹ", birth_date=date(1988, 2, 2))
        children = [
            await make_citizen(session, full_name=name, birth_date=born, phones=[])
            for name, born in (
                (CHILD_NAME, date(2019, 6, 1)),
                ("Thạch Văn Sắp Lớn", date(2012, 11, 29)),  # 14 on 29 November 2026
                ("Thạch Văn Mười Lăm", date(2011, 5, 5)),
            )
        ]
        await add(
            session,
            *(
                Guardianship(guardian_id=guardian.id, child_id=child.id, relationship_code="MTH")
                for child in children
            ),
        )
        await _childs_record(session, children[0], bot.clock.now())
    return Family(guardian, *children)


async def test_only_children_under_14_are_listed_and_a_childs_record_is_audited_under_the_guardian(
    running_bot: RunningBot,
) -> None:
    family = await _family(running_bot)
    user, _ = await signed_in_user(running_bot, family.guardian)
    [own] = await say(running_bot, user, "/record")
    assert "fam:list" in callbacks(own), "a guardian's record offers the family button"

    [listing] = await say(running_bot, user, "/family")
    assert CHILD_NAME in listing.text and "Thạch Văn Sắp Lớn" in listing.text
    assert "Thạch Văn Mười Lăm" not in listing.text, "a 15-year-old's record is their own"
    assert callbacks(listing)[:2] == [f"fam:sw:{family.young.id}", f"fam:sw:{family.almost_fourteen.id}"]

    switched = await tap_for_edit(running_bot, user, f"fam:sw:{family.young.id}", listing)
    assert CHILD_NAME in switched.text and callbacks(switched) == ["rec:s", "fam:self"]
    summary = await tap_for_edit(running_bot, user, "rec:s", switched)  # protected: replaced in place
    assert "You are viewing the record of your child" in summary.text and CHILD_NAME in summary.text
    assert "Thạch Thị Mẹ" not in summary.text and summary.protect_content
    assert "fam:self" in callbacks(summary) and "fam:list" not in callbacks(summary)

    expected = {
        "rec:v:1": "Acute pharyngitis, unspecified J02.9",  # the ICD-10 name in English
        "rec:l:1": "Hemoglobin: 10.1 g/dL ▼ below range",
        "rec:i": "Bạch hầu (1 dose)",
        "rec:m:1": "Paracetamol 250 mg",
        "appt:list": "Tiêm nhắc",
        "ins:show": "HS4960555666777",
    }
    for data, shown in expected.items():
        view = await tap_for_edit(running_bot, user, data, summary)
        assert shown in view.text and CHILD_NAME in view.text.split("\n")[0], data
        await tap_for_edit(running_bot, user, "rec:s", summary)

    views = await audit_entries(running_bot.db, action="view", subject_citizen_id=family.young.id)
    sections = {"record", "visits", "labs", "vaccinations", "medications", "appointments", "insurance"}
    assert {entry.section for entry in views} >= sections
    assert all(entry.actor_citizen_id == family.guardian.id for entry in views)
    assert all(entry.actor_telegram_id == user.id and entry.detail == "guardian" for entry in views)
    [switch] = await audit_entries(running_bot.db, action="switch_record")
    assert (switch.actor_citizen_id, switch.subject_citizen_id) == (family.guardian.id, family.young.id)
    assert switch.outcome == "success"

    back = await tap_for_edit(running_bot, user, "fam:self", summary)
    assert "own record again" in back.text
    [mine] = await say(running_bot, user, "/record")
    assert "Thạch Thị Mẹ" in mine.text and CHILD_NAME not in mine.text


async def test_a_child_turning_14_is_no_longer_shown_to_the_guardian(running_bot: RunningBot) -> None:
    family = await _family(running_bot)
    user, _ = await signed_in_user(running_bot, family.guardian)
    [listing] = await say(running_bot, user, "/family")
    await tap_for_edit(running_bot, user, f"fam:sw:{family.almost_fourteen.id}", listing)
    [summary] = await say(running_bot, user, "/record")
    assert "Thạch Văn Sắp Lớn" in summary.text

    running_bot.clock.advance(timedelta(days=3))  # the 14th birthday in Cà Mau
    [refused] = await say(running_bot, user, "/record")
    assert "You are back on your own record" in refused.text and "Thạch Văn Sắp Lớn" not in refused.text
    [mine] = await say(running_bot, user, "/record")
    assert "Thạch Thị Mẹ" in mine.text
    [listing] = await say(running_bot, user, "/family")
    assert "Thạch Văn Sắp Lớn" not in listing.text and CHILD_NAME in listing.text
    refusals = await audit_entries(running_bot.db, action="view", outcome="refused")
    assert [(r.actor_citizen_id, r.subject_citizen_id) for r in refusals] == [
        (family.guardian.id, family.almost_fourteen.id)
    ]
