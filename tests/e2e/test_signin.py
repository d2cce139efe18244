"""/login end to end: three factors in order, one answer for every failure, hygiene, restarts."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import select

from bot.db.models import ConversationState, TelegramAccount
from bot.i18n import Catalogs
from bot.identity.birthdate import BirthdateProblem
from bot.identity.cccd import CccdProblem
from bot.views.signin import birthdate_problem, id_problem
from tests.e2e.signin_steps import PAUSE, WAIT, agree, citizen, say, share, sign_in, tap
from tests.e2e_support import RunningBot
from tests.factories import cccd_for

pytestmark = pytest.mark.e2e
ENGLISH = Catalogs().get("en")


async def _linked_citizen(bot: RunningBot, telegram_user_id: int) -> int | None:
    async with bot.db.unit_of_work() as session:
        account = await session.get(TelegramAccount, telegram_user_id)
        return account.citizen_id if account is not None else None


async def test_success_greets_by_full_name_with_the_main_menu(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    person = await citizen(running_bot, full_name="Trần Thị Mỹ Hạnh")
    user = running_bot.user(700000201, first_name="Hạnh", language_code="en")
    await agree(running_bot, user)
    with caplog.at_level(logging.INFO):
        run = await sign_in(running_bot, user, person)
    ask_id, ask_phone, ask_birthdate, greeting = run.replies
    assert "12-digit" in ask_id.text
    assert person.national_id[-4:] in ask_phone.text and person.national_id not in ask_phone.text
    assert ask_phone.reply_markup is not None and ask_phone.reply_markup.kind == "keyboard"
    assert ask_phone.reply_markup.keyboard_rows[0][0].request_contact
    assert ask_birthdate.reply_markup is not None
    assert ask_birthdate.reply_markup.kind == "remove_keyboard", "the contact keyboard goes away"
    assert user.reply_keyboard is None
    assert "Trần Thị Mỹ Hạnh" in greeting.text
    assert greeting.protect_content, "the greeting names the citizen: it cannot be forwarded"
    assert [b.callback_data for b in greeting.inline_buttons] == ["rec:s", "appt:list", "ins:show", "help", "lang"]
    assert await _linked_citizen(running_bot, user.id) == person.citizen_id
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (person.national_id, person.phone, person.phone.lstrip("+"), person.birth_text):
        assert secret not in logged


async def test_id_with_separators_and_birth_date_in_another_form(running_bot: RunningBot) -> None:
    person = await citizen(running_bot, born=date(1990, 7, 5))
    user = running_bot.user(700000202, language_code="en")
    await agree(running_bot, user)
    number = person.national_id
    spaced = f"{number[:3]} {number[3:6]}.{number[6:9]}-{number[9:]}"
    run = await sign_in(running_bot, user, person, national_id=spaced, birth_text="1990-07-05")
    assert run.answer.text.startswith("Welcome")


async def test_the_id_and_birth_date_messages_are_deleted_once_read(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000203, language_code="en")
    await agree(running_bot, user)
    run = await sign_in(running_bot, user, person)
    await user.wait_for_deletion(run.id_message.message_id, timeout=WAIT)
    await user.wait_for_deletion(run.birthdate_message.message_id, timeout=WAIT)
    assert {run.id_message.message_id, run.birthdate_message.message_id} <= set(user.deleted_user_messages)


async def test_wrong_birth_date_wrong_phone_and_unknown_id_get_one_same_answer(
    running_bot: RunningBot,
) -> None:
    person = await citizen(running_bot)
    unknown_id = cccd_for(date(1985, 3, 14), serial=999_999)
    attempts = {
        "birth date": {"birth_text": "15/03/1985"},
        "phone": {"phone": "+84987654321"},
        "unknown id": {"national_id": unknown_id},
    }
    answers = {}
    for number, (what, wrong) in enumerate(attempts.items()):
        user = running_bot.user(700000210 + number, language_code="en")
        await agree(running_bot, user)
        run = await sign_in(running_bot, user, person, **wrong)  # type: ignore[arg-type]
        answers[what] = run.answer.text
        assert await _linked_citizen(running_bot, user.id) is None
        assert run.answer.inline_buttons[0].callback_data == "login", "trying again is one tap"
    assert len(set(answers.values())) == 1, answers
    assert "do not match" in answers["unknown id"]


async def test_someone_elses_contact_and_a_typed_phone_are_refused(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000204, language_code="en")
    await agree(running_bot, user)
    await say(running_bot, user, "/login")
    await say(running_bot, user, person.national_id)
    refused = await share(running_bot, user, person.phone, own=False)
    assert "someone else" in refused.text
    assert refused.reply_markup is not None and refused.reply_markup.kind == "keyboard"
    running_bot.emulator.clock.advance(PAUSE)
    typed = await user.send(person.phone)
    [refused_typed] = await user.wait_for_messages(1, timeout=WAIT)
    assert "typed phone number" in refused_typed.text
    assert user.reply_keyboard is not None, "the share button is offered again"
    await user.wait_for_deletion(typed.message_id, timeout=WAIT)
    asked = await share(running_bot, user, person.phone)
    assert "date of birth" in asked.text
    [greeting] = await say(running_bot, user, person.birth_text)
    assert greeting.text.startswith("Welcome")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("- . -", CccdProblem.EMPTY),
        ("09618500000A", CccdProblem.NOT_DIGITS),
        ("381 234 567", CccdProblem.OLD_CMND),
        ("0961850000", CccdProblem.WRONG_LENGTH),
        ("000185000001", CccdProblem.UNKNOWN_PROVINCE),
        ("096485000001", CccdProblem.BAD_CENTURY_DIGIT),
        ("096299000001", CccdProblem.BIRTH_YEAR_IN_FUTURE),
    ],
)
async def test_an_impossible_id_is_explained_at_once(
    running_bot: RunningBot, typed: str, problem: CccdProblem
) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000205, language_code="en")
    await agree(running_bot, user)
    await say(running_bot, user, "/login")
    running_bot.emulator.clock.advance(PAUSE)
    sent = await user.send(typed)
    [explained] = await user.wait_for_messages(1, timeout=WAIT)
    assert id_problem(ENGLISH, problem) in explained.text
    await user.wait_for_deletion(sent.message_id, timeout=WAIT)
    [next_step] = await say(running_bot, user, person.national_id)
    assert "step 2 of 3" in next_step.text, "the flow still waited for the ID"


def test_each_id_and_birth_date_problem_has_its_own_sentence() -> None:
    id_sentences = {id_problem(ENGLISH, problem) for problem in CccdProblem}
    assert len(id_sentences) == len(CccdProblem)
    assert "CMND" in id_problem(ENGLISH, CccdProblem.OLD_CMND)
    date_sentences = {birthdate_problem(ENGLISH, problem) for problem in BirthdateProblem}
    assert len(date_sentences) == len(BirthdateProblem)


async def test_a_birth_year_that_differs_from_the_id_is_explained(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000206, language_code="en")
    await agree(running_bot, user)
    await say(running_bot, user, "/login")
    await say(running_bot, user, person.national_id)
    await share(running_bot, user, person.phone)
    [explained] = await say(running_bot, user, "14/03/1986")
    assert "does not match your citizen ID" in explained.text
    [unreadable] = await say(running_bot, user, "yesterday")
    assert "could not read" in unreadable.text
    [greeting] = await say(running_bot, user, person.birth_text)
    assert greeting.text.startswith("Welcome")


async def test_a_login_survives_restarts_between_steps(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000207, language_code="en")
    await agree(running_bot, user)
    await say(running_bot, user, "/login")
    await say(running_bot, user, person.national_id)
    await running_bot.restart()
    asked = await share(running_bot, user, person.phone)
    assert "step 3 of 3" in asked.text
    await running_bot.restart()
    [greeting] = await say(running_bot, user, person.birth_text)
    assert greeting.text.startswith("Welcome")


async def test_cancel_leaves_the_sign_in_and_forgets_the_id(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000208, language_code="en")
    await agree(running_bot, user)
    await say(running_bot, user, "/login")
    await say(running_bot, user, person.national_id)
    assert user.reply_keyboard is not None
    [cancelled] = await say(running_bot, user, "/cancel")
    assert "Cancelled" in cancelled.text
    assert user.reply_keyboard is None, "the share-phone keyboard is removed"
    async with running_bot.db.unit_of_work() as session:
        assert list(await session.scalars(select(ConversationState))) == []
    [not_a_step] = await say(running_bot, user, person.birth_text)
    assert "did not understand" in not_a_step.text
    [nothing] = await say(running_bot, user, "/cancel")
    assert "nothing to cancel" in nothing.text
    await say(running_bot, user, "/login")
    [cancelled_by_button] = await tap(running_bot, user, "cancel")
    assert "Cancelled" in cancelled_by_button.text
    assert await _linked_citizen(running_bot, user.id) is None
