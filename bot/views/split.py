"""Fitting HTML text into Telegram messages, counted the way Telegram counts.

Telegram limits a message to 4096 characters after entity parsing: tags do not count,
`&amp;` counts as one character, and characters are UTF-16 code units (an emoji outside
the Basic Multilingual Plane counts two).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.views.reply import MAX_MESSAGE_LENGTH, esc

_TAG = re.compile(r"<[^>]*>")
_ELLIPSIS = "…"


def telegram_length(text: str) -> int:
    """The length Telegram counts for HTML text: tags stripped, entities unescaped, UTF-16 units."""
    plain = html.unescape(_TAG.sub("", text))
    return len(plain.encode("utf-16-le")) // 2


def _plain_clipped(line: str, limit: int) -> str:
    """A line too long for any message, as escaped plain text cut to fit."""
    plain = html.unescape(_TAG.sub("", line))
    while telegram_length(esc(plain) + _ELLIPSIS) > limit:
        plain = plain[: max(0, len(plain) - max(1, len(plain) // 10))]
    return esc(plain) + _ELLIPSIS


def _pieces(item: str, limit: int) -> list[str]:
    """An item as it fits: whole, else cut at line ends (each line holding balanced HTML)."""
    if telegram_length(item) <= limit:
        return [item]
    pieces: list[str] = []
    current = ""
    for line in item.split("\n"):
        if telegram_length(line) > limit:
            line = _plain_clipped(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if current and telegram_length(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current:
        pieces.append(current)
    return pieces


def split_at_items(
    header: str, items: Sequence[str], limit: int = MAX_MESSAGE_LENGTH, separator: str = "\n"
) -> list[str]:
    """Messages holding the header and the items in order, each within `limit`.

    Messages are cut only between items; an item too long for a message of its own is cut
    between its lines. The header opens the first message. Every item must be balanced
    HTML (no tag left open across items or lines).
    """
    messages: list[str] = []
    current = header
    for item in items:
        for piece in _pieces(item, limit):
            candidate = f"{current}{separator}{piece}" if current else piece
            if current and telegram_length(candidate) > limit:
                messages.append(current)
                candidate = piece
            current = candidate
    if current or not messages:
        messages.append(current)
    return messages
