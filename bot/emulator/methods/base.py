"""What every Bot API method handler receives and may return."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.emulator.errors import ApiError
from bot.emulator.state import BotAccount, Chat

if TYPE_CHECKING:
    from bot.emulator.webhook import WebhookDispatcher
    from bot.emulator.world import TelegramWorld


@dataclass(frozen=True)
class MethodCall:
    """One validated Bot API request: the bot that made it and its parameters as Python values."""

    world: TelegramWorld
    webhooks: WebhookDispatcher
    bot: BotAccount
    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Answer:
    """A successful result with the optional `description` Telegram adds (e.g. `Webhook was set`)."""

    result: Any
    description: str | None = None


Handler = Callable[[MethodCall], Awaitable[Any]]


def check_can_send(call: MethodCall, chat: Chat) -> None:
    """Apply forced failures and flood control to one message about to be sent to `chat`.

    Raises:
        ApiError: 429 when a limit is exceeded or a test forced it.
    """
    forced: ApiError | None = call.world.faults.take_send_failure(call.bot.id, chat.id)
    if forced is not None:
        raise forced
    paid = call.params.get("allow_paid_broadcast") is True
    call.world.flood.check(call.bot.id, chat.id, chat.type, paid)


def record_sent(call: MethodCall, chat: Chat) -> None:
    """Count one message sent to `chat` for flood control and the bot's counters."""
    call.world.flood.record(call.bot.id, chat.id, chat.type)
    if call.params.get("allow_paid_broadcast") is True:
        call.bot.counters.paid_broadcast_messages += 1


def clamp(value: int, lowest: int, highest: int) -> int:
    """Return `value` limited to [lowest, highest], as the Bot API server does for integer arguments."""
    return max(lowest, min(highest, value))
