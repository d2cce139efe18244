"""The health record through the chat: a rich record, an empty one, and who may see it at all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.views.signin import LOGIN
from tests.e2e_record_support import (
    KHMER_FACILITY,
    RICH_NAME,
    TRICKY_FACILITY,
    RichRecord,
    audit_entries,
    button_for,
    callbacks,
    make_rich_record,
    new_user_id,
    say,
    signed_in_user,
    tap,
    tap_for_edit,
)
from tests.e2e_support import RunningBot
from tests.factories import make_account, make_citizen

pytestmark = pytest.mark.e2e

SECTION_MENU = ["rec:v:1", "rec:l:1", "rec:i", "rec:m:1", "appt:list", "ins:show"]


async def _rich(bot: RunningBot) -> RichRecord:
    async with bot.db.unit_of_work() as session:
        return await make_rich_record(session, bot.clock.now())


async def test_rich_summary_fits_one_protected_message_with_names_escaped(running_bot: RunningBot) -> None:
    rich = await _rich(running_bot)
    user, _ = await signed_in_user(running_bot, rich.citizen)
    [summary] = await say(running_bot, user, "/record")
    assert summary.protect_content
    assert len(summary.text or "") <= 4096
    assert RICH_NAME in summary.text  # shown as written: the HTML was escaped, not broken
    assert "&lt;Bình&gt; &amp; Co" in (summary.html or "")
    assert "Penicillin 0 <beta-lactam>" in summary.text
    assert "…and" in summary.text, "the long lists are cut so the summary stays one message"
    assert "Blood glucose: 8.2 mmol/L ▲ above range" in summary.text
    assert callbacks(summary) == SECTION_MENU
    [view] = await audit_entries(running_bot.db, action="view", section="record")
    assert (view.actor_citizen_id, view.subject_citizen_id) == (rich.citizen.id, rich.citizen.id)


async def test_visit_pages_edit_in_place_and_the_detail_shows_everything(running_bot: RunningBot) -> None:
    rich = await _rich(running_bot)
    user, _ = await signed_in_user(running_bot, rich.citizen)
    [message] = await say(running_bot, user, "/record")
    first = await tap_for_edit(running_bot, user, "rec:v:1", message)
    assert "page 1 of 60" in first.text
    assert "1. " in first.text and "6. " not in first.text
    for facility in ("Bệnh viện Đa khoa Cà Mau", TRICKY_FACILITY, KHMER_FACILITY):
        assert facility in first.text, "one list holds every facility's visits"
    assert "rec:v:2" in callbacks(first) and first.protect_content

    second = await tap_for_edit(running_bot, user, "rec:v:2", message)
    assert "page 2 of 60" in second.text and "6. " in second.text and "1. " not in second.text
    assert {"rec:v:1", "rec:v:3"} <= set(callbacks(second))
    back = await tap_for_edit(running_bot, user, "rec:v:1", message)
    assert "page 1 of 60" in back.text
    assert [m.message_id for m in user.messages] == [message.message_id], "no new message while paging"

    detail = await tap_for_edit(running_bot, user, f"rec:vd:{rich.detailed_visit_id}", message)
    text = detail.text or ""
    assert "Bệnh viện Đa khoa Cà Mau" in text and "BS. Trần Văn An" in text
    assert "Bacterial pneumonia, unspecified J15.9 (main)" in text  # English ICD-10 names
    assert "Essential (primary) hypertension I10" in text
    assert "Amoxicillin 500 mg — Uống 1 viên x 3 lần/ngày — quantity 21 viên" in text
    assert "Glucose: 8.2 mmol/L ▲ above range (reference 3.9–6.4)" in text
    assert "Chụp X-quang ngực thẳng — ₫150,000" in text
    assert "Total: ₫1,250,400" in text
    assert "Paid by insurance: ₫976,320" in text
    assert "Paid by the patient: ₫274,080" in text
    assert detail.protect_content


async def test_labs_with_markers_and_history_vaccinations_and_medications(running_bot: RunningBot) -> None:
    rich = await _rich(running_bot)
    user, _ = await signed_in_user(running_bot, rich.citizen)
    [message] = await say(running_bot, user, "/record")
    labs = await tap_for_edit(running_bot, user, "rec:l:1", message)
    assert "Glucose: 8.2 mmol/L ▲ above range" in labs.text
    assert "Kali máu: 3.1 mmol/L ▼ below range (reference 3.5–5.1)" in labs.text
    history = await tap_for_edit(running_bot, user, button_for(labs, "rec:lh:"), message)
    values = [line for line in history.text.splitlines() if line.startswith("•")]
    assert [v.split(": ", 1)[1].split(" mmol/L")[0] for v in values] == ["8.2", "5.5", "3.2"]
    assert "▼ below range" in values[2] and KHMER_FACILITY in values[2]

    await tap_for_edit(running_bot, user, "rec:s", message)
    vaccinations = await tap_for_edit(running_bot, user, "rec:i", message)
    assert "Sởi (2 doses)" in vaccinations.text
    assert "Viêm gan B (3 doses)" in vaccinations.text
    assert "COVID-19 (1 dose)" in vaccinations.text
    assert vaccinations.text.index("dose 1 · Engerix-B") < vaccinations.text.index("dose 3 · Engerix-B")

    await tap_for_edit(running_bot, user, "rec:s", message)
    medications = await tap_for_edit(running_bot, user, "rec:m:1", message)
    assert "Metformin 0 500 mg — currently taken" in medications.text
    assert "Uống 1 viên x 2 lần/ngày sau ăn" in medications.text
    assert medications.protect_content
    sections = {entry.section for entry in await audit_entries(running_bot.db, action="view")}
    assert {"record", "labs", "lab_history", "vaccinations", "medications"} <= sections


async def test_an_empty_record_says_so_in_every_view(running_bot: RunningBot) -> None:
    user, citizen = await signed_in_user(running_bot)
    [message] = await say(running_bot, user, "/record")
    for expected in ("No allergies recorded.", "No visits recorded.", "No vaccinations recorded."):
        assert expected in message.text
    assert citizen.full_name in message.text
    empty = {
        "rec:v:1": "No visits recorded.",
        "rec:l:1": "No lab results recorded.",
        "rec:i": "No vaccinations recorded.",
        "rec:m:1": "No medications recorded.",
        "appt:list": "You have no upcoming appointments.",
        "ins:show": "No health insurance card is recorded for you.",
    }
    for data, expected in empty.items():
        shown = await tap_for_edit(running_bot, user, data, message)
        assert expected in shown.text, data
        assert "rec:s" in callbacks(shown), "every view leads back to the record"
        await tap_for_edit(running_bot, user, "rec:s", message)
    [family] = await say(running_bot, user, "/family")
    assert "No children under 14" in family.text


async def test_without_sign_in_no_record_is_shown(running_bot: RunningBot) -> None:
    user_id = new_user_id()
    async with running_bot.db.unit_of_work() as session:
        await make_citizen(session, full_name="Không Được Xem")
        await make_account(session, user_id, language="en")  # agreed to the notice, not signed in
    user = running_bot.user(user_id, language_code="en")
    for asked in ("/record", "/appointments", "/insurance", "/family", "lịch hẹn"):
        [answer] = await say(running_bot, user, asked)
        assert "Please sign in first" in answer.text, asked
        assert callbacks(answer) == [LOGIN]
    assert await audit_entries(running_bot.db, action="view") == []


async def test_an_expired_session_asks_for_the_birth_date_again(running_bot: RunningBot) -> None:
    async with running_bot.db.unit_of_work() as session:
        citizen = await make_citizen(session, full_name="Trần Thị Hết Hạn", birth_date=date(1985, 3, 14))
    user, _ = await signed_in_user(running_bot, citizen, session_length=timedelta(days=1))
    [summary] = await say(running_bot, user, "/record")
    assert "Trần Thị Hết Hạn" in summary.text

    running_bot.clock.advance(timedelta(days=2))
    [recheck] = await say(running_bot, user, "/record")
    assert "Your session has ended" in recheck.text and "Trần Thị Hết Hạn" not in recheck.text
    await tap(running_bot, user, "rec:v:1", summary)  # a button of an old message: the same question
    [again] = await user.wait_for_messages(1)
    assert "Your session has ended" in again.text
    assert summary.edited == 0, "the old record message is not turned into fresh data"

    [welcome] = await say(running_bot, user, "14/03/1985")
    assert "signed in again" in welcome.text
    [renewed] = await say(running_bot, user, "/record")
    assert "Trần Thị Hết Hạn" in renewed.text and renewed.protect_content


async def test_rich_appointments_insurance_and_family(running_bot: RunningBot) -> None:
    rich = await _rich(running_bot)
    user, _ = await signed_in_user(running_bot, rich.citizen)
    [summary] = await say(running_bot, user, "/record")
    appointments = await tap_for_edit(running_bot, user, "appt:list", summary)
    text = appointments.text or ""
    upcoming = [f"Tái khám lần {n}" for n in range(9, 21)]
    assert [reason for reason in upcoming if reason in text] == upcoming[:10]
    assert text.index("Tái khám lần 9") < text.index("Tái khám lần 10")
    assert "…and 2 more later" in text and KHMER_FACILITY in text and TRICKY_FACILITY in text
    past = text[text.index("Past appointments") :]
    assert past.count("attended") == 5
    assert appointments.protect_content and len(text) <= 4096
    assert len(callbacks(appointments)) == 10 * 2 + 1, "cancel and calendar for each shown, then back"

    [insurance] = await say(running_bot, user, "/insurance")
    assert "Status: ✅ Valid" in insurance.text and "Employee of an enterprise" in insurance.text
    [family] = await say(running_bot, user, "/family")
    assert "No children under 14" in family.text
