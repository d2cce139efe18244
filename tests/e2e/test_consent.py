"""Consent first: the privacy notice answers everything until the user agrees (Law 91/2025/QH15)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.audit.log import Action
from bot.db.models import AuditEntry, TelegramAccount
from bot.views.consent import ACCEPT, ASK_ERASURE, DECLINE, NOTICE_VERSION
from tests.e2e.signin_steps import agree, say, tap
from tests.e2e_support import RunningBot

pytestmark = pytest.mark.e2e


async def _account(bot: RunningBot, telegram_user_id: int) -> TelegramAccount | None:
    async with bot.db.unit_of_work() as session:
        return await session.get(TelegramAccount, telegram_user_id)


async def test_every_command_before_consent_gets_the_notice(running_bot: RunningBot) -> None:
    user = running_bot.user(700000101, first_name="Lan", language_code="en")
    answers = []
    for text in ("/start", "/help", "/login", "/accesslog", "/deletemydata", "/logout", "hello"):
        answers += await say(running_bot, user, text)
    notice = answers[0]
    assert "Privacy notice" in notice.text and "Sở Y tế Cà Mau" in notice.text
    assert "91/2025/QH15" in notice.text
    for right in ("/accesslog", "/deletemydata", "/privacy"):
        assert right in notice.text, "the notice names the user's rights and how to use them"
    assert [b.callback_data for b in notice.inline_buttons] == [ACCEPT, DECLINE, "lang"]
    assert all(answer.text == notice.text for answer in answers)
    assert await _account(running_bot, user.id) is None, "nothing is stored before consent"


async def test_buttons_of_other_features_are_stopped_too(running_bot: RunningBot) -> None:
    user = running_bot.user(700000102, first_name="Lan", language_code="en")
    [notice] = await say(running_bot, user, "/language")
    assert "Tiếng Việt" in [b.text for b in notice.inline_buttons], "/language passes the gate"
    await user.press("lang:en")
    await user.wait_for_edit(notice.message_id)
    [menu_notice] = await say(running_bot, user, "/start")
    query = await user.press("help")
    [again] = await user.wait_for_messages(1)
    assert again.text == menu_notice.text
    assert (await user.wait_for_answer(query)) is not None, "the pressed button is answered"


async def test_first_button_accepts_and_is_recorded(running_bot: RunningBot) -> None:
    user = running_bot.user(700000103, first_name="Minh", language_code="en")
    thanks = await agree(running_bot, user)
    assert "Minh" in thanks.text
    assert thanks.inline_buttons[0].callback_data == "login", "Sign in is the first, big button"
    notice = user.messages[-2]
    assert notice.inline_buttons == [], "the accepted notice keeps its text and loses its buttons"
    account = await _account(running_bot, user.id)
    assert account is not None and account.consented_at == running_bot.clock.now()
    assert account.consent_version == NOTICE_VERSION
    assert account.telegram_language_code == "en"
    async with running_bot.db.unit_of_work() as session:
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert actions == [Action.CONSENT_GIVEN], "consent is recorded and provable"
    [welcome] = await say(running_bot, user, "/start")
    assert "Privacy notice" not in welcome.text and "Minh" in welcome.text
    assert welcome.inline_buttons[0].callback_data == "login"


async def test_not_now_keeps_nothing_and_the_notice_can_still_be_accepted(
    running_bot: RunningBot,
) -> None:
    user = running_bot.user(700000104, first_name="Lan", language_code="en")
    [notice] = await say(running_bot, user, "/start")
    [declined] = await tap(running_bot, user, DECLINE)
    assert "/privacy" in declined.text
    assert await _account(running_bot, user.id) is None
    [again] = await say(running_bot, user, "/accesslog")
    assert again.text == notice.text
    [privacy] = await say(running_bot, user, "/privacy")
    assert privacy.inline_buttons[0].callback_data == ACCEPT
    await tap(running_bot, user, ACCEPT)
    account = await _account(running_bot, user.id)
    assert account is not None and account.consented_at is not None


async def test_privacy_after_consent_shows_when_and_how_to_withdraw(running_bot: RunningBot) -> None:
    user = running_bot.user(700000105, first_name="Lan", language_code="en")
    [older_notice] = await say(running_bot, user, "/help")
    await agree(running_bot, user)
    [privacy] = await say(running_bot, user, "/privacy")
    assert "Privacy notice" in privacy.text and "You agreed on" in privacy.text
    assert "/deletemydata" in privacy.text
    assert [b.callback_data for b in privacy.inline_buttons] == [ASK_ERASURE]
    query = await user.press(ACCEPT, older_notice)
    assert (await user.wait_for_answer(query)).text == "You have already agreed."
    query = await user.press(DECLINE, older_notice)
    assert "/deletemydata" in ((await user.wait_for_answer(query)).text or "")
    async with running_bot.db.unit_of_work() as session:
        given = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == Action.CONSENT_GIVEN))
        )
    assert len(given) == 1, "pressing the old button again records nothing new"


async def test_an_older_consent_version_is_asked_again(running_bot: RunningBot) -> None:
    user = running_bot.user(700000106, first_name="Lan", language_code="en")
    await agree(running_bot, user)
    async with running_bot.db.unit_of_work() as session:
        account = await session.get(TelegramAccount, user.id)
        assert account is not None
        account.consent_version = "0"
    [notice] = await say(running_bot, user, "/start")
    assert notice.inline_buttons[0].callback_data == ACCEPT
