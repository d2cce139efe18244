"""A chat reply described without Telegram: HTML text, buttons and keyboard hints."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_BYTES = 64


def esc(value: object) -> str:
    """Escape a data value for Telegram HTML."""
    return escape(str(value), quote=False)


@dataclass(frozen=True)
class Button:
    """An inline button; `data` is short, typed, language-free callback data."""

    label: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if self.data is not None and not 1 <= len(self.data.encode()) <= MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data must be 1-64 bytes: {self.data!r}")


@dataclass(frozen=True)
class Reply:
    """What the bot answers: HTML text, inline button rows, and an optional reply keyboard."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    protect: bool = False
    contact_request: str | None = None
    remove_keyboard: bool = False
    document: tuple[str, bytes] | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a reply needs text")
