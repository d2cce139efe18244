"""Steps and records for the end-to-end tests of the health record, appointments and reminders.

Citizens are signed in directly in the database (`tests.factories.sign_in_directly`); the
sign-in conversation has its own tests. Every user action first moves the emulator's clock by
`PAUSE`, as a person takes a moment between taps, so its flood control stays satisfied.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Allergy,
    AuditEntry,
    Citizen,
    Condition,
    Facility,
    Immunization,
    Medication,
    Visit,
)
from bot.db.session import Database
from bot.emulator.driver import EmulatedUser
from bot.emulator.state import MessageRecord
from bot.records.common import local_date
from tests.e2e_support import RunningBot
from tests.factories import make_citizen, sign_in_directly
from tests.records.factories import (
    add,
    key,
    make_appointment,
    make_coverage,
    make_facility,
    make_visit,
    observation,
)

PAUSE = 2.0
WAIT = 5.0
_user_ids = itertools.count(70_001)


def new_user_id() -> int:
    """A Telegram user id no other test in the run uses."""
    return next(_user_ids)


async def say(bot: RunningBot, user: EmulatedUser, text: str, replies: int = 1) -> list[MessageRecord]:
    """Send a text or command and wait for the bot's replies."""
    bot.emulator.clock.advance(PAUSE)
    await user.send(text)
    return await user.wait_for_messages(replies, timeout=WAIT)


async def tap(bot: RunningBot, user: EmulatedUser, data: str, message: MessageRecord | None = None) -> None:
    """Press the button with this callback data (on `message`, else the latest message showing it)."""
    bot.emulator.clock.advance(PAUSE)
    await user.press(data, message)


async def tap_for_edit(
    bot: RunningBot, user: EmulatedUser, data: str, message: MessageRecord
) -> MessageRecord:
    """Press a button of `message` and wait until the bot edits that same message."""
    await tap(bot, user, data, message)
    return await user.wait_for_edit(message.message_id, timeout=WAIT)


async def tap_for_messages(
    bot: RunningBot, user: EmulatedUser, data: str, replies: int = 1, message: MessageRecord | None = None
) -> list[MessageRecord]:
    """Press a button and wait for the bot's new messages."""
    await tap(bot, user, data, message)
    return await user.wait_for_messages(replies, timeout=WAIT)


def callbacks(message: MessageRecord) -> list[str]:
    """The callback data of the message's inline buttons, row by row."""
    return [button.callback_data for button in message.inline_buttons if button.callback_data]


def button_for(message: MessageRecord, prefix: str) -> str:
    """The callback data of the one button starting with `prefix`."""
    [found] = [data for data in callbacks(message) if data.startswith(prefix)]
    return found


async def signed_in_user(
    bot: RunningBot,
    citizen: Citizen | None = None,
    *,
    language: str = "en",
    session_length: timedelta = timedelta(days=30),
    **account: Any,
) -> tuple[EmulatedUser, Citizen]:
    """A Telegram user signed in as `citizen` (a new one when None), talking in `language`."""
    user_id = new_user_id()
    async with bot.db.unit_of_work() as session:
        if citizen is None:
            citizen = await make_citizen(session)
        await sign_in_directly(
            session,
            citizen,
            user_id,
            now=bot.clock.now(),
            session_length=session_length,
            language=language,
            **account,
        )
    return bot.user(user_id, language_code=language), citizen


async def audit_entries(db: Database, **where: Any) -> list[AuditEntry]:
    """Audit rows whose columns equal `where`, oldest first."""
    async with db.unit_of_work() as session:
        query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
        return list(await session.scalars(query))


# ----- a rich record: many facilities, hundreds of visits, every section filled ----------------

KHMER_FACILITY = "មណ្ឌលសុខភាព ខ្លាំងមឿង"
"""A health centre named in Khmer script (Cà Mau has Khmer communities)."""
TRICKY_FACILITY = "Trạm Y tế <Phường 5> & Co"
RICH_NAME = "Lê Văn <Bình> & Co"
DETAILED_VISIT_COSTS = {"total_cost": 1_250_400, "insurance_paid": 976_320, "patient_paid": 274_080}


@dataclass(frozen=True)
class RichRecord:
    """A citizen with records from three facilities; the newest visit has everything on it."""

    citizen: Citizen
    facilities: tuple[Facility, ...]
    detailed_visit_id: int
    visits: int


async def _bulk_visits(
    session: AsyncSession, citizen: Citizen, facilities: tuple[Facility, ...], count: int, newest: datetime
) -> None:
    """`count` plain visits, one every three days before `newest`, in one bulk insert."""
    rows = [
        {
            "source_key": key("visit"),
            "citizen_id": citizen.id,
            "facility_id": facilities[number % len(facilities)].id,
            "start": newest - timedelta(days=3 * number),
            "end": newest - timedelta(days=3 * number) + timedelta(hours=1),
            "department": "Khoa Nội",
            "main_diagnosis_code": "E11",
            "main_diagnosis_name": "Đái tháo đường type 2",
        }
        for number in range(count)
    ]
    await session.execute(insert(Visit), rows)


def _long_lists(citizen: Citizen, facilities: tuple[Facility, ...], now: datetime) -> list[Any]:
    """Enough allergies, conditions and medicines to overflow one message if all were shown."""
    rows: list[Any] = [
        Allergy(
            source_key=key("allergy"),
            citizen_id=citizen.id,
            facility_id=facilities[0].id,
            substance=f"Penicillin {n} <beta-lactam>",
            severity="severe",
            reaction="Phát ban, khó thở " * 8,
        )
        for n in range(20)
    ]
    rows += [
        Condition(
            source_key=key("condition"),
            citizen_id=citizen.id,
            facility_id=facilities[1].id,
            code=f"E1{n % 10}",
            code_system="icd10",
            name="Đái tháo đường có biến chứng " * 4,
            clinical_status="active",
        )
        for n in range(20)
    ]
    rows += [
        Medication(
            source_key=key("medication"),
            citizen_id=citizen.id,
            facility_id=facilities[n % 3].id,
            name=f"Metformin {n}",
            strength="500 mg",
            dosage="Uống 1 viên x 2 lần/ngày sau ăn",
            active=True,
            authored=now - timedelta(days=10 + n),
        )
        for n in range(12)
    ]
    return rows


def _vaccinations(citizen: Citizen, facilities: tuple[Facility, ...], now: datetime) -> list[Immunization]:
    doses = [("Sởi", "MVVac", 1), ("Sởi", "MVVac", 2), ("Viêm gan B", "Engerix-B", 1)]
    doses += [("Viêm gan B", "Engerix-B", 2), ("Viêm gan B", "Engerix-B", 3), ("COVID-19", "Comirnaty", 1)]
    return [
        Immunization(
            source_key=key("immunization"),
            citizen_id=citizen.id,
            facility_id=facilities[2].id,
            vaccine_name=vaccine,
            target_disease=disease,
            dose_number=str(dose),
            occurred=now - timedelta(days=900 - 100 * index),
        )
        for index, (disease, vaccine, dose) in enumerate(doses)
    ]


GLUCOSE_RANGE = {"unit": "mmol/L", "reference_low": 3.9, "reference_high": 6.4}


def _results(citizen: Citizen, facilities: tuple[Facility, ...], now: datetime) -> list[Any]:
    """Two earlier glucose values (the newest is on the detailed visit) and a low potassium."""
    potassium = {"unit": "mmol/L", "reference_low": 3.5, "reference_high": 5.1}
    values = [
        ("2339-0", "Glucose", 5.5, facilities[1], 40, GLUCOSE_RANGE),
        ("2339-0", "Glucose", 3.2, facilities[2], 80, GLUCOSE_RANGE),
        ("2823-3", "Kali máu", 3.1, facilities[0], 3, potassium),
    ]
    return [
        observation(citizen, code, name, value, facility_id=facility.id,
                    effective=now - timedelta(days=days_ago), **reference)
        for code, name, value, facility, days_ago, reference in values
    ]


async def _detailed_visit(
    session: AsyncSession, citizen: Citizen, facility: Facility, start: datetime
) -> Visit:
    """Two diagnoses, a medicine with its dose, a glucose above range, a service, the costs."""
    medicine = {"name": "Amoxicillin", "strength": "500 mg", "dosage": "Uống 1 viên x 3 lần/ngày",
                "quantity": 21.0, "unit": "viên"}
    glucose = {"code": "2339-0", "name": "Glucose", "value": 8.2, **GLUCOSE_RANGE}
    x_ray = {"name": "Chụp X-quang ngực thẳng", "quantity": 1.0, "total": 150_000, "insurance_paid": 120_000}
    return await make_visit(
        session,
        citizen,
        facility,
        start,
        diagnoses=(("J15.9", "Viêm phổi do vi khuẩn"), ("I10", "Tăng huyết áp vô căn")),
        medications=(medicine,),
        results=(glucose,),
        services=(x_ray,),
        practitioner_name="BS. Trần Văn An",
        **DETAILED_VISIT_COSTS,
    )


async def make_rich_record(session: AsyncSession, now: datetime, visits: int = 300) -> RichRecord:
    """A citizen named with `<` and `&`, three facilities (one in Khmer script), `visits` visits.

    The newest visit (yesterday) carries two diagnoses, a medicine with its dose, a glucose
    result above range, a service and its costs; the others are plain and bulk-inserted.
    Twelve appointments are ahead ("Tái khám lần 9" the soonest), eight behind; the card is valid.
    """
    citizen = await make_citizen(session, full_name=RICH_NAME, blood_type="O+", birth_date=date(1960, 5, 2))
    facilities = (
        await make_facility(session, "Bệnh viện Đa khoa Cà Mau"),
        await make_facility(session, TRICKY_FACILITY),
        await make_facility(session, KHMER_FACILITY),
    )
    detailed = await _detailed_visit(session, citizen, facilities[0], now - timedelta(days=1))
    await _bulk_visits(session, citizen, facilities, visits - 1, now - timedelta(days=2))
    await add(
        session,
        *_long_lists(citizen, facilities, now),
        *_vaccinations(citizen, facilities, now),
        *_results(citizen, facilities, now),
    )
    for number in range(-8, 12):  # 8 past, 12 upcoming (one every four days)
        start = now + timedelta(days=4 * number + 2)
        status = "booked" if number >= 0 else "fulfilled"
        reason = f"Tái khám lần {number + 9}"
        await make_appointment(session, citizen, facilities[number % 3], start, status=status, reason=reason)
    await make_coverage(session, citizen, local_date(now) + timedelta(days=200))
    return RichRecord(citizen, facilities, detailed.id, visits)
