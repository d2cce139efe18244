"""getMe, getChat, chat menu buttons, logOut and close."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import td_error
from bot.emulator.methods.base import Handler, MethodCall

_MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


async def get_me(call: MethodCall) -> dict[str, Any]:
    """getMe: the bot's id is the number before the colon of its token."""
    return call.bot.to_api()


async def get_chat(call: MethodCall) -> dict[str, Any]:
    """getChat: the ChatFullInfo of a chat the bot knows."""
    chat = call.world.chat_for_bot(call.bot, call.params["chat_id"], writing=False)
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict(_NO_GIFTS),
    }


def _checked_menu_button(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise td_error("Can't parse menu button: MenuButton must be an Object")
    if raw.get("type") not in _MENU_BUTTON_TYPES:
        raise td_error("Can't parse menu button: MenuButton has unsupported type")
    if raw["type"] != "web_app":
        return {"type": raw["type"]}
    web_app = raw.get("web_app")
    if (
        not isinstance(raw.get("text"), str)
        or not isinstance(web_app, dict)
        or not isinstance(web_app.get("url"), str)
    ):
        raise td_error('Can\'t parse menu button: Field "text" must be of type String')
    return {"type": "web_app", "text": raw["text"], "web_app": {"url": web_app["url"]}}


async def set_chat_menu_button(call: MethodCall) -> bool:
    """setChatMenuButton for one private chat, or the default when chat_id is absent."""
    button = _checked_menu_button(call.params.get("menu_button", {"type": "default"}))
    if "chat_id" not in call.params:
        call.bot.default_menu_button = button if button["type"] != "default" else {"type": "commands"}
        return True
    chat = call.world.chat_for_bot(call.bot, call.params["chat_id"], writing=False)
    chat.menu_button = None if button["type"] == "default" else button
    return True


async def get_chat_menu_button(call: MethodCall) -> dict[str, Any]:
    """getChatMenuButton."""
    if "chat_id" not in call.params:
        return dict(call.bot.default_menu_button)
    chat = call.world.chat_for_bot(call.bot, call.params["chat_id"], writing=False)
    return dict(chat.menu_button or call.bot.default_menu_button)


async def log_out(call: MethodCall) -> bool:
    """logOut: accepted; the emulator has no cloud server to log out from."""
    return True


async def close(call: MethodCall) -> bool:
    """close: accepted; the emulator keeps serving the bot."""
    return True


HANDLERS: dict[str, Handler] = {
    "getme": get_me,
    "getchat": get_chat,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "logout": log_out,
    "close": close,
}
