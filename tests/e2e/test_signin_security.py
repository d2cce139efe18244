"""Throttling, warnings to the owner of an ID, takeover by another account, session expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db.models import TelegramAccount
from bot.i18n import Catalogs
from tests.e2e.signin_steps import WAIT, agree, citizen, say, sign_in, tap
from tests.e2e_support import RunningBot

pytestmark = pytest.mark.e2e
CATALOGS = Catalogs()
FIRST_LOCK = timedelta(minutes=15)


async def _citizen_of(bot: RunningBot, telegram_user_id: int) -> int | None:
    async with bot.db.unit_of_work() as session:
        account = await session.get(TelegramAccount, telegram_user_id)
        return account.citizen_id if account is not None else None


async def test_a_lockout_says_when_to_retry_and_ends_after_the_back_off(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000301, language_code="en")
    await agree(running_bot, user)
    for _ in range(4):
        run = await sign_in(running_bot, user, person, birth_text="15/03/1985")
        assert "try again after" not in run.answer.text
    run = await sign_in(running_bot, user, person, birth_text="15/03/1985")
    until = running_bot.clock.now() + FIRST_LOCK
    english = CATALOGS.get("en")
    assert english.format_time(until) in run.answer.text, run.answer.text
    assert "in 15 minutes" in run.answer.text
    [locked] = await say(running_bot, user, "/login")
    assert "Too many unsuccessful" in locked.text and english.format_time(until) in locked.text
    running_bot.clock.advance(FIRST_LOCK - timedelta(minutes=1))
    [still_locked] = await say(running_bot, user, "/login")
    assert "in 1 minute" in still_locked.text
    running_bot.clock.advance(timedelta(minutes=1, seconds=1))
    run = await sign_in(running_bot, user, person)
    assert run.answer.text.startswith("Welcome")


async def test_the_owner_is_warned_in_their_language_and_the_failing_user_is_not(
    running_bot: RunningBot,
) -> None:
    person = await citizen(running_bot)
    owner = running_bot.user(700000302, language_code="vi")
    await agree(running_bot, owner)
    [picker] = await say(running_bot, owner, "/language")
    await owner.press("lang:en")
    await owner.wait_for_edit(picker.message_id)
    await sign_in(running_bot, owner, person)
    intruder = running_bot.user(700000303, language_code="en")
    await agree(running_bot, intruder)
    run = await sign_in(running_bot, intruder, person, phone="+84987654321")
    [warning] = await owner.wait_for_messages(1, timeout=WAIT)
    now = running_bot.clock.now()
    assert "Security notice" in warning.text
    assert CATALOGS.get("en").format_datetime(now) in warning.text, "in the owner's chosen language"
    assert CATALOGS.get("vi").format_date(now) not in warning.text
    assert "Security notice" not in run.answer.text and "do not match" in run.answer.text
    assert intruder.messages[-1].message_id == run.answer.message_id, "nothing more for the intruder"
    assert await _citizen_of(running_bot, owner.id) == person.citizen_id, "the owner stays signed in"


async def test_signing_in_from_a_new_account_signs_the_old_one_out_and_tells_it(
    running_bot: RunningBot,
) -> None:
    person = await citizen(running_bot)
    old = running_bot.user(700000304, language_code="km")
    await agree(running_bot, old)
    await sign_in(running_bot, old, person)
    new = running_bot.user(700000305, language_code="en")
    await agree(running_bot, new)
    run = await sign_in(running_bot, new, person)
    assert run.answer.text.startswith("Welcome")
    [told] = await old.wait_for_messages(1, timeout=WAIT)
    assert told.text.startswith("🔐") and "signed out" not in told.text, "told in Khmer, not English"
    assert CATALOGS.get("km").format_datetime(running_bot.clock.now()) in told.text
    assert await _citizen_of(running_bot, old.id) is None
    assert await _citizen_of(running_bot, new.id) == person.citizen_id
    [asked] = await say(running_bot, old, "/accesslog")
    assert asked.inline_buttons[0].callback_data == "login"


async def test_an_expired_session_asks_for_the_birth_date_again(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000306, language_code="en")
    await agree(running_bot, user)
    await sign_in(running_bot, user, person)
    running_bot.clock.advance(timedelta(days=29))
    [log] = await say(running_bot, user, "/accesslog")
    assert "Access log" in log.text and log.protect_content
    running_bot.clock.advance(timedelta(days=1, minutes=1))
    [asked] = await say(running_bot, user, "/accesslog")
    assert "session has ended" in asked.text and "date of birth" in asked.text
    [wrong] = await say(running_bot, user, "15/03/1985")
    assert "do not match" in wrong.text
    [asked_again] = await say(running_bot, user, "/accesslog")
    assert "session has ended" in asked_again.text
    running_bot.emulator.clock.advance(2)
    typed = await user.send(person.birth_text)
    [greeting] = await user.wait_for_messages(1, timeout=WAIT)
    assert greeting.text.startswith("Welcome back") and greeting.protect_content
    assert [b.callback_data for b in greeting.inline_buttons] == ["rec:s", "appt:list", "ins:show", "help", "lang"], "the main menu"
    await user.wait_for_deletion(typed.message_id, timeout=WAIT)
    [log] = await say(running_bot, user, "/accesslog")
    assert log.protect_content and "session has ended" not in log.text


async def test_a_re_check_can_be_cancelled(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000307, language_code="en")
    await agree(running_bot, user)
    await sign_in(running_bot, user, person)
    running_bot.clock.advance(timedelta(days=31))
    await say(running_bot, user, "/accesslog")
    [cancelled] = await tap(running_bot, user, "cancel")
    assert "Cancelled" in cancelled.text
    [not_a_step] = await say(running_bot, user, person.birth_text)
    assert "did not understand" in not_a_step.text
