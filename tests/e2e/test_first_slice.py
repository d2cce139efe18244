"""The first feature slice end to end: /start, /help, unknown input, language, menu, errors."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from tests.e2e.signin_steps import agree
from tests.e2e_support import RunningBot

pytestmark = pytest.mark.e2e


async def test_start_greets_in_the_users_language(running_bot: RunningBot) -> None:
    vietnamese = running_bot.user(2001, first_name="Lan", language_code="vi")
    english = running_bot.user(2002, first_name="Tom", language_code="en")
    [greeting_vi] = await running_bot.ask(vietnamese, "/start")
    [greeting_en] = await running_bot.ask(english, "/start")
    assert "Lan" in greeting_vi.text
    assert "Tom" in greeting_en.text
    assert greeting_en.text != greeting_vi.text
    assert greeting_en.inline_buttons


async def test_help_lists_commands_and_unknown_input_gets_the_menu(running_bot: RunningBot) -> None:
    user = running_bot.user(2003, language_code="en")
    await agree(running_bot, user)
    [help_message] = await running_bot.ask(user, "/help")
    assert "/start" in help_message.text and "/language" in help_message.text
    [answer] = await running_bot.ask(user, "qwerty zzz")
    assert answer.inline_buttons, "unknown input must lead back to the menu, not a dead end"


async def test_language_choice_is_stored_and_used(running_bot: RunningBot) -> None:
    user = running_bot.user(2004, language_code="vi")
    await agree(running_bot, user)
    [picker] = await running_bot.ask(user, "/language")
    labels = [button.text for button in picker.inline_buttons]
    assert labels == ["Tiếng Việt", "English", "ភាសាខ្មែរ", "বাংলা"]
    await user.press("lang:en")
    edited = await user.wait_for_edit(picker.message_id)
    assert "English" in edited.text
    [greeting] = await running_bot.ask(user, "/start")
    assert greeting.text.startswith("Hello")


async def test_command_menu_is_set_per_language(running_bot: RunningBot) -> None:
    khmer = running_bot.user(2005, language_code="km")
    english = running_bot.user(2006, language_code="en")
    await agree(running_bot, khmer)
    await agree(running_bot, english)
    names = [command["command"] for command in english.visible_commands()]
    assert names[:3] == ["start", "record", "appointments"]
    assert len(khmer.visible_commands()) == len(english.visible_commands())


async def test_failure_is_logged_with_context_and_answered_politely(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot.db.engine.begin() as connection:  # the database loses a table
        await connection.execute(text("ALTER TABLE telegram_accounts RENAME TO accounts_away"))
    user = running_bot.user(2007, language_code="en")
    try:
        with caplog.at_level(logging.ERROR):
            [apology] = await running_bot.ask(user, "/start 079912345678")
    finally:
        async with running_bot.db.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE accounts_away RENAME TO telegram_accounts"))
    assert "something went wrong" in apology.text.lower()
    failures = [record for record in caplog.records if "handler failed" in record.getMessage()]
    assert failures and "update" in failures[0].getMessage()
    assert "079912345678" not in caplog.text
