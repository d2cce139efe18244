"""Every citizen screen of the bot, in every language, through the emulator.

A user whose Telegram speaks the language (and who also picks it with /language) agrees to the
notice, signs in through /login and opens every screen of a small but complete record. Each
screen must arrive (the emulator refuses what Telegram would: bad HTML, over-long texts, bad
buttons), must not contain an English catalog sentence left untranslated (except in English),
and must read differently from the same screen in the languages already run in this session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from bot.db.models import Citizen, Guardianship, Immunization, Medication
from bot.emulator.driver import EmulatedUser
from bot.emulator.state import MessageRecord
from bot.i18n import Catalogs
from bot.settings import SUPPORTED_LOCALES
from bot.views.account import KEEP_DATA
from bot.views.consent import ACCEPT
from bot.views.start import something_went_wrong
from tests.e2e.locale_checks import Screens, assert_every_screen_translated
from tests.e2e.signin_steps import citizen, sign_in
from tests.e2e_record_support import button_for, say, tap_for_edit, tap_for_messages
from tests.e2e_support import RunningBot
from tests.factories import make_citizen
from tests.records.factories import (
    add,
    key,
    make_appointment,
    make_coverage,
    make_facility,
    make_visit,
    observation,
)

pytestmark = pytest.mark.e2e

@dataclass(frozen=True)
class Record:
    """Ids of what the citizen's record holds, for the buttons."""

    visit_id: int
    appointment_id: int
    child_id: int


async def _fill_record(bot: RunningBot, citizen_id: int) -> Record:
    """Six visits (two pages), a lab result, a vaccination, a medicine, an appointment, a card
    and a child of seven with a visit of her own."""
    now = bot.clock.now()
    async with bot.db.unit_of_work() as session:
        person = await session.get(Citizen, citizen_id)
        assert person is not None
        clinic = await make_facility(session, "Trạm Y tế xã Tân Thành")
        glucose = {"code": "2339-0", "name": "Glucose", "value": 7.4, "unit": "mmol/L",
                   "reference_low": 3.9, "reference_high": 6.4}
        visit = await make_visit(session, person, clinic, now - timedelta(days=1),
                                 diagnoses=(("J18.9", "Viêm phổi"), ("I10", "Tăng huyết áp")),
                                 results=(glucose,))
        for days_ago in range(10, 60, 10):
            await make_visit(session, person, clinic, now - timedelta(days=days_ago),
                             diagnoses=(("E11.9", "Đái tháo đường type 2"),))
        child = await make_citizen(
            session, full_name="Nguyễn Thị Bé", birth_date=date(2019, 6, 1), phones=[]
        )
        await add(
            session,
            observation(person, "2339-0", "Glucose", 5.1, facility_id=clinic.id,
                        effective=now - timedelta(days=40), unit="mmol/L"),
            Immunization(source_key=key("immunization"), citizen_id=person.id, facility_id=clinic.id,
                         vaccine_name="Vaxigrip", target_disease="Cúm", dose_number="1",
                         occurred=now - timedelta(days=200)),
            Medication(source_key=key("medication"), citizen_id=person.id, facility_id=clinic.id,
                       name="Amlodipin", strength="5 mg", dosage="Uống 1 viên mỗi sáng", active=True,
                       authored=now - timedelta(days=1)),
            Guardianship(guardian_id=person.id, child_id=child.id, relationship_code="MTH"),
        )
        await make_visit(session, child, clinic, now - timedelta(days=5),
                         diagnoses=(("J02.9", "Viêm họng cấp"),))
        appointment = await make_appointment(session, person, clinic, now + timedelta(days=3),
                                             reason="Tái khám")
        await make_coverage(session, person, date(2027, 6, 30))
    return Record(visit.id, appointment.id, child.id)


async def _before_sign_in(bot: RunningBot, user: EmulatedUser, locale: str, screens: Screens) -> None:
    """/start, /language (picking the user's language), consent, /help and /privacy."""
    screens.record("start", *await say(bot, user, "/start"))
    picker = screens.record("language", *await say(bot, user, "/language"))
    screens.record("language chosen", await tap_for_edit(bot, user, f"lang:{locale}", picker))
    screens.record("consent", *await tap_for_messages(bot, user, ACCEPT))
    screens.record("help", *await say(bot, user, "/help"))
    screens.record("privacy", *await say(bot, user, "/privacy"))


async def _record_sections(bot: RunningBot, user: EmulatedUser, record: Record, screens: Screens) -> None:
    """/record and each of its sections, in one message edited in place."""
    summary = screens.record("record", *await say(bot, user, "/record"))

    async def show(name: str, data: str) -> MessageRecord:
        return screens.record(name, await tap_for_edit(bot, user, data, summary))

    await show("visits", "rec:v:1")
    await show("visit detail", f"rec:vd:{record.visit_id}")
    await show("visits again", "rec:v:1")
    await show("visits page 2", "rec:v:2")
    for name, data in (("labs", "rec:l:1"), ("vaccinations", "rec:i"), ("medications", "rec:m:1")):
        await show("record again", "rec:s")
        await show(name, data)
    await show("record again", "rec:s")
    labs = await show("labs", "rec:l:1")
    await show("lab history", button_for(labs, "rec:lh:"))
    await show("record again", "rec:s")
    await show("appointments", "appt:list")
    await show("cancel confirmation", f"appt:cancel:{record.appointment_id}")
    await show("appointments again", "appt:list")
    [calendar] = await tap_for_messages(bot, user, f"appt:ics:{record.appointment_id}", message=summary)
    assert calendar.document is not None and calendar.document.file_name.endswith(".ics")
    await show("record again", "rec:s")
    await show("insurance", "ins:show")
    await show("record again", "rec:s")


async def _family(bot: RunningBot, user: EmulatedUser, record: Record, screens: Screens) -> None:
    """/family, the child's record, and back to one's own."""
    listing = screens.record("family", *await say(bot, user, "/family"))
    chosen = await tap_for_edit(bot, user, f"fam:sw:{record.child_id}", listing)
    switched = screens.record("child chosen", chosen)
    # the switch message is protected (it names the child), so the child's record replaces it in place
    child = screens.record("child record", await tap_for_edit(bot, user, "rec:s", switched))
    screens.record("child visits", await tap_for_edit(bot, user, "rec:v:1", child))
    screens.record("child record again", await tap_for_edit(bot, user, "rec:s", child))
    screens.record("own record again", await tap_for_edit(bot, user, "fam:self", child))


async def _account(bot: RunningBot, user: EmulatedUser, screens: Screens) -> None:
    """Reminders, notices, the access log, an unknown text, erasure (declined), sign-out."""
    screens.record("reminders", *await say(bot, user, "/reminders"))
    screens.record("notices", *await say(bot, user, "/notices"))
    screens.record("access log", *await say(bot, user, "/accesslog"))
    screens.record("unknown text", *await say(bot, user, "blorptastic zzz"))
    confirm = screens.record("erasure confirmation", *await say(bot, user, "/deletemydata"))
    screens.record("erasure declined", await tap_for_edit(bot, user, KEEP_DATA, confirm))
    screens.record("logout", *await say(bot, user, "/logout"))


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_every_citizen_screen_is_shown_translated(running_bot: RunningBot, locale: str) -> None:
    bot = running_bot
    person = await citizen(bot, full_name="Trần Thị Mai")
    record = await _fill_record(bot, person.citizen_id)
    user = bot.user(700_000_900 + SUPPORTED_LOCALES.index(locale), first_name="Mai", language_code=locale)
    screens = Screens()

    await _before_sign_in(bot, user, locale, screens)
    run = await sign_in(bot, user, person)
    for number, reply in enumerate(run.replies):
        screens.record(f"login step {number + 1}", reply)
    await _record_sections(bot, user, record, screens)
    await _family(bot, user, record, screens)
    await _account(bot, user, screens)

    apology = something_went_wrong(Catalogs().get(locale)).text
    assert all(apology not in text for text in screens.shown.values())
    assert_every_screen_translated("citizen", bot.db.dialect, locale, screens)
