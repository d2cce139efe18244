"""setMyCommands / getMyCommands / deleteMyCommands per scope and language, and the menu a user sees."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.emulator import BotApiEmulator, EmulatedUser
from tests.emulator.conftest import RawApi

VI = [{"command": "hoso", "description": "Hồ sơ sức khỏe"}, {"command": "lichhen", "description": "Lịch hẹn"}]
EN = [{"command": "record", "description": "Health record"}]
KM = [{"command": "record", "description": "កំណត់ត្រាសុខភាព"}]


async def test_commands_are_kept_per_language(api: RawApi) -> None:
    assert await api.ok("setMyCommands", commands=VI, language_code="vi") is True
    assert await api.ok("setMyCommands", commands=EN) is True
    assert await api.ok("getMyCommands", language_code="vi") == VI
    assert await api.ok("getMyCommands") == EN
    assert await api.ok("getMyCommands", language_code="km") == [], "getMyCommands does not fall back"
    assert await api.ok("deleteMyCommands", language_code="vi") is True
    assert await api.ok("getMyCommands", language_code="vi") == []


async def test_commands_are_kept_per_scope(api: RawApi, lan: EmulatedUser) -> None:
    private = {"type": "all_private_chats"}
    one_chat = {"type": "chat", "chat_id": lan.id}
    await api.ok("setMyCommands", commands=EN, scope=private)
    await api.ok("setMyCommands", commands=KM, scope=one_chat, language_code="km")
    assert await api.ok("getMyCommands", scope=private) == EN
    assert await api.ok("getMyCommands", scope=one_chat, language_code="km") == KM
    assert await api.ok("getMyCommands") == []
    await api.ok("setMyCommands", commands=[], scope=private)
    assert await api.ok("getMyCommands", scope=private) == []


async def test_visible_menu_resolves_scope_then_language(
    emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser
) -> None:
    await api.ok("setMyCommands", commands=EN)
    assert lan.visible_commands() == EN
    await api.ok("setMyCommands", commands=VI, language_code="vi")
    assert lan.visible_commands() == VI
    await api.ok("setMyCommands", commands=KM, scope={"type": "all_private_chats"})
    assert lan.visible_commands() == KM, "a narrower scope in any language wins over the default scope"
    await api.ok("setMyCommands", commands=EN, scope={"type": "chat", "chat_id": lan.id}, language_code="vi")
    assert lan.visible_commands() == EN


def command(name: str, description: str = "Mô tả") -> dict[str, str]:
    return {"command": name, "description": description}


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"commands": [command("Start")]}, "Bad Request: BOT_COMMAND_INVALID"),
        ({"commands": [command("lịch")]}, "Bad Request: BOT_COMMAND_INVALID"),
        ({"commands": [command("a" * 33)]}, "Bad Request: command length must not exceed 32"),
        ({"commands": [command("  ")]}, "Bad Request: command must be non-empty"),
        ({"commands": [command("ok", " ")]}, "Bad Request: command description must be non-empty"),
        (
            {"commands": [command("ok", "x" * 257)]},
            "Bad Request: command description length must not exceed 256",
        ),
        ({"commands": [command(f"c{n}") for n in range(101)]}, "Bad Request: BOT_COMMANDS_TOO_MUCH"),
        (
            {"commands": [{"command": "ok"}]},
            'Bad Request: can\'t parse BotCommand: Field "description" must be of type String',
        ),
        (
            {"commands": [command("ok")], "language_code": "vie"},
            "Bad Request: invalid language code specified",
        ),
        (
            {"commands": [command("ok")], "scope": {"type": "planet"}},
            "Bad Request: can't parse BotCommandScope: Unsupported type specified",
        ),
        (
            {"commands": [command("ok")], "scope": {"type": "chat", "chat_id": 777}},
            "Bad Request: chat not found",
        ),
        (
            {"commands": [command("ok")], "scope": {"type": "chat"}},
            "Bad Request: can't parse BotCommandScope: Empty chat_id specified",
        ),
    ],
)
async def test_invalid_commands_are_refused(api: RawApi, params: dict[str, Any], description: str) -> None:
    status, body = await api.call("setMyCommands", **params)
    assert (status, body["description"]) == (400, description)


async def test_boundaries_are_accepted(api: RawApi) -> None:
    commands = [command("a" * 32, "d" * 256)] + [command(f"c_{n}") for n in range(99)]
    assert await api.ok("setMyCommands", commands=commands) is True
    assert len(await api.ok("getMyCommands")) == 100


async def test_python_telegram_bot_sets_and_reads_commands(ptb_bot: Bot, lan: EmulatedUser) -> None:
    await ptb_bot.set_my_commands(
        [BotCommand("hoso", "Hồ sơ")], scope=BotCommandScopeAllPrivateChats(), language_code="vi"
    )
    await ptb_bot.set_my_commands([BotCommand("start", "Bắt đầu")], scope=BotCommandScopeChat(lan.id))
    assert await ptb_bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="vi") == (
        BotCommand("hoso", "Hồ sơ"),
    )
    assert lan.visible_commands() == [{"command": "start", "description": "Bắt đầu"}]
