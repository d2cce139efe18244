"""Message texts and captions as Telegram stores them: parsed, trimmed, limited and with detected commands."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.html_parser import EntityParseError, FormattedText, parse_html, utf16_length

MESSAGE_TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
RAW_TEXT_BYTE_LIMIT = 1 << 15
_BOT_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_LEFT_TRIMMED = " \n"


def format_message_text(text: str, parse_mode: str | None, entities: list[Any] | None) -> FormattedText:
    """Return the text of a message to send or edit, checked like Telegram checks it.

    Raises:
        ApiError: 400 for an empty text, a parse error or a text longer than 4096 UTF-16 code units.
    """
    if not text:
        raise bad_request("message text is empty")
    formatted = _format(text, parse_mode, entities)
    if not formatted.text:
        raise bad_request("text must be non-empty")
    if utf16_length(formatted.text) > MESSAGE_TEXT_LIMIT:
        raise bad_request("message is too long")
    return formatted


def format_caption(caption: str | None, parse_mode: str | None, entities: list[Any] | None) -> FormattedText:
    """Return a media caption (may be empty), checked like Telegram checks it.

    Raises:
        ApiError: 400 for a parse error or a caption longer than 1024 UTF-16 code units.
    """
    if not caption:
        return FormattedText("")
    formatted = _format(caption, parse_mode, entities)
    if utf16_length(formatted.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return formatted


def user_text(text: str) -> FormattedText:
    """Return a text typed by a user with the `bot_command` entities a Telegram client would attach."""
    entities = []
    for match in _BOT_COMMAND.finditer(text):
        entities.append(
            {
                "type": "bot_command",
                "offset": utf16_length(text[: match.start()]),
                "length": utf16_length(match.group()),
            }
        )
    return FormattedText(text, tuple(entities))


def _format(text: str, parse_mode: str | None, entities: list[Any] | None) -> FormattedText:
    if len(text.encode("utf-8")) > RAW_TEXT_BYTE_LIMIT:
        raise bad_request("text is too long")
    mode = (parse_mode or "").lower()
    if mode in ("", "none"):
        parsed = FormattedText(text, _checked_entities(entities or [], utf16_length(text)))
    elif mode == "html":
        try:
            parsed = parse_html(text)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("markdown", "markdownv2"):
        raise bad_request(
            f"can't parse entities: parse_mode {parse_mode} is not supported by the emulator; use HTML"
        )
    else:
        raise bad_request("unsupported parse_mode")
    return _trimmed(parsed)


def _checked_entities(entities: list[Any], text_length: int) -> tuple[dict[str, Any], ...]:
    checked = []
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise bad_request("can't parse entities JSON object")
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not 0 <= offset <= 1_000_000:
            raise bad_request(f"receive an entity with incorrect offset {offset}")
        if not isinstance(length, int) or not 0 <= length <= 1_000_000:
            raise bad_request(f"receive an entity with incorrect length {length}")
        length = min(length, text_length - offset)
        if length > 0:
            checked.append({**entity, "length": length})
    checked.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return tuple(checked)


def _trimmed(formatted: FormattedText) -> FormattedText:
    """Strip trailing whitespace, and leading spaces and newlines before the first entity, like tdlib."""
    text = formatted.text.rstrip()
    end = utf16_length(text)
    entities = []
    for entity in formatted.entities:
        if entity["offset"] >= end:
            continue
        entities.append({**entity, "length": min(entity["length"], end - entity["offset"])})
    first_entity = min((entity["offset"] for entity in entities), default=end)
    cut = 0
    while cut < first_entity and text[cut] in _LEFT_TRIMMED:
        cut += 1
    if cut:
        text = text[cut:]
        entities = [{**entity, "offset": entity["offset"] - cut} for entity in entities]
    return FormattedText(text, tuple(entities))
