"""setMyCommands, getMyCommands and deleteMyCommands, per scope and language, and what a user sees."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import td_error
from bot.emulator.methods.base import Handler, MethodCall
from bot.emulator.state import BotAccount, Chat

MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_DESCRIPTION_LENGTH = 256
_COMMAND = re.compile(r"^[a-z0-9_]+$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
_GLOBAL_SCOPES = frozenset({"default", "all_private_chats", "all_group_chats", "all_chat_administrators"})
_CHAT_SCOPES = frozenset({"chat", "chat_administrators", "chat_member"})


def _scope_key(call: MethodCall) -> str:
    scope: dict[str, Any] = call.params.get("scope") or {"type": "default"}
    scope_type = scope.get("type")
    if scope_type in _GLOBAL_SCOPES:
        return str(scope_type)
    if scope_type not in _CHAT_SCOPES:
        raise td_error("Can't parse BotCommandScope: Unsupported type specified")
    if scope.get("chat_id") in (None, ""):
        raise td_error("Can't parse BotCommandScope: Empty chat_id specified")
    chat = call.world.chat_for_bot(call.bot, scope["chat_id"], writing=False)
    if scope_type == "chat":
        return f"chat:{chat.id}"
    if chat.type == "private":
        raise td_error("Can't use specified scope in private chats")
    if scope_type == "chat_administrators":
        return f"chat_administrators:{chat.id}"
    user_id = scope.get("user_id")
    if not isinstance(user_id, int) or user_id <= 0:
        raise td_error("Can't parse BotCommandScope: Invalid user_id specified")
    return f"chat_member:{chat.id}:{user_id}"


def _language_code(call: MethodCall) -> str:
    language_code = str(call.params.get("language_code", ""))
    if language_code and not _LANGUAGE_CODE.match(language_code):
        raise td_error("Invalid language code specified")
    return language_code


def _checked_command(item: Any) -> dict[str, str]:
    if not isinstance(item, dict):
        raise td_error("Can't parse BotCommand: expected an Object")
    for name in ("command", "description"):
        if not isinstance(item.get(name), str):
            raise td_error(f'Can\'t parse BotCommand: Field "{name}" must be of type String')
    command = item["command"].strip().removeprefix("/")
    description = item["description"].strip()
    if not command:
        raise td_error("Command must be non-empty")
    if len(command) > MAX_COMMAND_LENGTH:
        raise td_error(f"Command length must not exceed {MAX_COMMAND_LENGTH}")
    if not description:
        raise td_error("Command description must be non-empty")
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise td_error(f"Command description length must not exceed {MAX_DESCRIPTION_LENGTH}")
    if not _COMMAND.match(command):
        raise td_error("BOT_COMMAND_INVALID")
    return {"command": command, "description": description}


async def set_my_commands(call: MethodCall) -> bool:
    """setMyCommands: an empty list deletes the commands of the scope and language."""
    key = (_scope_key(call), _language_code(call))
    commands = [_checked_command(item) for item in call.params["commands"]]
    if len(commands) > MAX_COMMANDS:
        raise td_error("BOT_COMMANDS_TOO_MUCH")
    if commands:
        call.bot.commands[key] = commands
    else:
        call.bot.commands.pop(key, None)
    return True


async def get_my_commands(call: MethodCall) -> list[dict[str, str]]:
    """getMyCommands: exactly the scope and language asked for, no fallback."""
    return list(call.bot.commands.get((_scope_key(call), _language_code(call)), []))


async def delete_my_commands(call: MethodCall) -> bool:
    """deleteMyCommands."""
    call.bot.commands.pop((_scope_key(call), _language_code(call)), None)
    return True


def visible_commands(bot: BotAccount, chat: Chat, language_code: str | None) -> list[dict[str, str]]:
    """Return the commands a Telegram client shows in `chat`, resolving scopes and languages like Telegram."""
    scopes = [
        f"chat:{chat.id}",
        "all_private_chats" if chat.type == "private" else "all_group_chats",
        "default",
    ]
    languages = [language_code or "", ""] if language_code else [""]
    for scope in scopes:
        for language in languages:
            commands = bot.commands.get((scope, language))
            if commands:
                return list(commands)
    return []


HANDLERS: dict[str, Handler] = {
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
}
