"""Telegram's HTML parse mode: text and MessageEntity list, with tdlib's error messages and byte offsets.

Behaviour follows tdlib's `parse_html` (the code behind the Bot API server): tags are matched by name
only, attribute values may be quoted or bare name tokens, offsets are UTF-16 code units, byte offsets in
errors count UTF-8 bytes of the text as sent. One deliberate difference: tdlib keeps an `&` that does not
start an entity as literal text, while the emulator rejects it, because the Bot API documentation
requires `&amp;`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.emulator.html_references import decode_entity_reference, link_entity

SUPPORTED_TAGS = frozenset(
    ("a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "span", "tg-spoiler")
    + ("tg-emoji", "tg-time", "pre", "code", "blockquote")
)
_TAGS_OF_ENTITY_TYPE = (
    ("bold", "b strong"),
    ("italic", "i em"),
    ("underline", "u ins"),
    ("strikethrough", "s strike del"),
    ("spoiler", "tg-spoiler span"),
)
_SIMPLE_TAG_TYPES = {tag: kind for kind, tags in _TAGS_OF_ENTITY_TYPE for tag in tags.split()}
_SPACES = frozenset(b" \t\r\n\v\0")
_TYPE_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "date_time": 30,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


class EntityParseError(Exception):
    """The text cannot be parsed; the message is what follows `can't parse entities: `."""


@dataclass(frozen=True)
class FormattedText:
    """Plain text and its entities (Bot API MessageEntity dictionaries, offsets in UTF-16 code units)."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()


@dataclass
class _OpenTag:
    name: str
    argument: str
    unix_time: int
    utf16_offset: int
    output_position: int


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict[str, Any] = field(default_factory=dict)
    code_language: str = ""


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, the unit Telegram uses for offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> FormattedText:
    """Parse Telegram HTML into plain text and entities.

    Raises:
        EntityParseError: with tdlib's wording, e.g. `Unsupported start tag "br" at byte offset 5`.
    """
    return _HtmlParser(source.encode("utf-8")).run()


class _HtmlParser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.out = bytearray()
        self.utf16_offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[_Entity] = []

    def at(self, index: int) -> int:
        return self.data[index] if index < len(self.data) else 0

    def run(self) -> FormattedText:
        position = 0
        while position < len(self.data):
            byte = self.data[position]
            if byte == ord("&"):
                position = self._append_entity_reference(position)
            elif byte != ord("<"):
                self.out.append(byte)
                if byte & 0xC0 != 0x80:
                    self.utf16_offset += 2 if byte >= 0xF0 else 1
                position += 1
            elif self.at(position + 1) == ord("/"):
                position = self._close_tag(position)
            else:
                position = self._open_tag(position)
        if self.stack:
            name = self.stack[-1].name
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        return FormattedText(self.out.decode("utf-8"), tuple(self._finished_entities()))

    def _append_entity_reference(self, position: int) -> int:
        code, end = self._decode_reference(position)
        self.out += chr(code).encode("utf-8")
        self.utf16_offset += 2 if code > 0xFFFF else 1
        return end

    def _decode_reference(self, position: int) -> tuple[int, int]:
        code, end = decode_entity_reference(self.data, position)
        if code == 0:
            raise EntityParseError(
                f'Unescaped "&" at byte offset {position}; '
                'the emulator requires "&amp;" like the Bot API documentation'
            )
        return code, end

    def _open_tag(self, begin: int) -> int:
        position = begin + 1
        while self.at(position) not in _SPACES and self.at(position) != ord(">"):
            position += 1
        if self.at(position) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        tag = self.data[begin + 1 : position].decode("utf-8", "replace").lower()
        if tag not in SUPPORTED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument, unix_time, position = self._read_attributes(tag, begin, position)
        if tag == "span" and argument != "spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(_OpenTag(tag, argument, unix_time, self.utf16_offset, len(self.out)))
        return position + 1

    def _read_attributes(self, tag: str, begin: int, position: int) -> tuple[str, int, int]:
        argument, unix_time = "", 0
        while self.at(position) != ord(">"):
            position = self._skip_spaces(position)
            if self.at(position) == ord(">"):
                break
            name_begin = position
            while self.at(position) not in _SPACES and self.at(position) not in b"=>/\"'":
                position += 1
            name = self.data[name_begin:position].decode("utf-8", "replace")
            if not name:
                raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
            position = self._skip_spaces(position)
            if self.at(position) != ord("="):
                if self.at(position) == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if tag == "blockquote" and name == "expandable":
                    argument = "1"
                continue
            position = self._skip_spaces(position + 1)
            if self.at(position) == 0:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            value, position = self._read_attribute_value(position)
            if self.at(position) == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            argument, unix_time = _apply_attribute(tag, name, value, argument, unix_time)
        return argument, unix_time, position

    def _skip_spaces(self, position: int) -> int:
        while self.at(position) != 0 and self.at(position) in _SPACES:
            position += 1
        return position

    def _read_attribute_value(self, position: int) -> tuple[str, int]:
        quote = self.at(position)
        if quote not in b"\"'":
            token_begin = position
            while chr(self.at(position)).isascii() and (
                chr(self.at(position)).isalnum() or self.at(position) in b".-"
            ):
                position += 1
            if self.at(position) not in _SPACES and self.at(position) != ord(">"):
                raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
            return self.data[token_begin:position].decode("utf-8").lower(), position
        position += 1
        value = bytearray()
        while self.at(position) != quote and self.at(position) != 0:
            if self.at(position) == ord("&"):
                code, position = self._decode_reference(position)
                value += chr(code).encode("utf-8")
                continue
            value.append(self.at(position))
            position += 1
        if self.at(position) == quote:
            position += 1
        return value.decode("utf-8", "replace"), position

    def _close_tag(self, begin: int) -> int:
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        position = begin + 1
        while self.at(position) not in _SPACES and self.at(position) != ord(">"):
            position += 1
        end_name = self.data[begin + 2 : position].decode("utf-8", "replace").lower()
        position = self._skip_spaces(position)
        if self.at(position) != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        opened = self.stack[-1]
        if end_name and end_name != opened.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {begin}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        if self.utf16_offset > opened.utf16_offset:
            self._add_entity(opened, self.utf16_offset - opened.utf16_offset)
        self.stack.pop()
        return position + 1

    def _add_entity(self, opened: _OpenTag, length: int) -> None:
        offset, tag = opened.utf16_offset, opened.name
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and last.offset == offset and last.length == length
        if tag in _SIMPLE_TAG_TYPES:
            self.entities.append(_Entity(_SIMPLE_TAG_TYPES[tag], offset, length))
        elif tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0 or int(opened.argument) >= 2**63:
                raise EntityParseError("Invalid custom emoji identifier specified")
            self.entities.append(
                _Entity("custom_emoji", offset, length, {"custom_emoji_id": opened.argument})
            )
        elif tag == "tg-time":
            if opened.unix_time > 0:
                extra: dict[str, Any] = {"unix_time": opened.unix_time}
                if opened.argument:
                    extra["date_time_format"] = opened.argument
                self.entities.append(_Entity("date_time", offset, length, extra))
        elif tag == "a":
            url = opened.argument or self.out[opened.output_position :].decode("utf-8", "replace")
            link = link_entity(url)
            if link is not None:
                self.entities.append(_Entity(link[0], offset, length, link[1]))
        elif tag == "pre":
            if same_span and last is not None and last.type == "code" and last.code_language:
                last.type, last.extra = "pre", {"language": last.code_language}
            else:
                self.entities.append(_Entity("pre", offset, length))
        elif tag == "code":
            if same_span and last is not None and last.type == "pre" and opened.argument:
                last.extra = {"language": opened.argument}
            else:
                self.entities.append(_Entity("code", offset, length, code_language=opened.argument))
        else:
            kind = "expandable_blockquote" if opened.argument else "blockquote"
            self.entities.append(_Entity(kind, offset, length))

    def _finished_entities(self) -> list[dict[str, Any]]:
        ordered = sorted(
            self.entities,
            key=lambda entity: (entity.offset, -entity.length, _TYPE_PRIORITY.get(entity.type, 50)),
        )
        return [{"type": e.type, "offset": e.offset, "length": e.length, **e.extra} for e in ordered]


def _apply_attribute(tag: str, name: str, value: str, argument: str, unix_time: int) -> tuple[str, int]:
    if tag == "a" and name == "href":
        return value, unix_time
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value.removeprefix("language-"), unix_time
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-"), unix_time
    if (tag == "tg-emoji" and name == "emoji-id") or (tag == "tg-time" and name == "format"):
        return value, unix_time
    if tag == "blockquote" and name == "expandable":
        return "1", unix_time
    if tag == "tg-time" and name == "unix":
        return argument, int(value) if value.isdigit() else 0
    return argument, unix_time
