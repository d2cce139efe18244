"""Handlers of the Bot API methods the emulator really implements, keyed by lower-case method name."""

from __future__ import annotations

from bot.emulator.methods import bot_info, commands, files, messages, polling
from bot.emulator.methods.base import Answer, Handler, MethodCall

HANDLERS: dict[str, Handler] = {
    **bot_info.HANDLERS,
    **commands.HANDLERS,
    **files.HANDLERS,
    **messages.HANDLERS,
    **polling.HANDLERS,
}


async def accept_without_effect(call: MethodCall) -> bool:
    """Answer True to a valid call of a method the emulator does not model (e.g. setMyDescription)."""
    return True


__all__ = ["HANDLERS", "Answer", "Handler", "MethodCall", "accept_without_effect"]
