"""What the sender needs from the Bot API, without naming Telegram's library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class ResultKind(StrEnum):
    """How a Bot API call ended, as far as delivery is concerned."""

    DELIVERED = "delivered"
    RATE_LIMITED = "rate_limited"  # 429: wait retry_after seconds, then send again
    BLOCKED = "blocked"  # 403: the user blocked the bot or deactivated
    CHAT_NOT_FOUND = "chat_not_found"  # 400 chat not found
    TRANSIENT = "transient"  # network trouble, timeouts, 5xx: retry with back-off
    PERMANENT = "permanent"  # any other 4xx: retrying will not help


@dataclass(frozen=True)
class CallResult:
    """The outcome of one call; `error` is the server's description, never personal data."""

    kind: ResultKind
    message_id: int | None = None
    retry_after: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """An HTML message with inline buttons given as (label, callback data)."""

    chat_id: int
    text: str
    buttons: Sequence[Sequence[tuple[str, str]]] = field(default_factory=tuple)
    paid_broadcast: bool = False


class Transport(Protocol):
    """Sends and edits messages and sets a chat's command menu."""

    async def send(self, message: OutgoingMessage) -> CallResult:
        """Send one message."""
        ...

    async def edit(
        self, chat_id: int, message_id: int, text: str, buttons: Sequence[Sequence[tuple[str, str]]]
    ) -> CallResult:
        """Replace the text and buttons of a message the bot sent."""
        ...

    async def set_chat_commands(
        self, chat_id: int, commands: Sequence[tuple[str, str]]
    ) -> CallResult:
        """Show these commands (name, description) in one chat's menu only."""
        ...

    async def delete_chat_commands(self, chat_id: int) -> CallResult:
        """Remove a chat's own command menu, leaving the default one."""
        ...
