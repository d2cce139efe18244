"""Pieces of Telegram HTML that are not tags: character references and link targets."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})


def decode_entity_reference(data: bytes, position: int) -> tuple[int, int]:
    """Decode the character reference starting at `data[position] == '&'`.

    Returns:
        (code point, position after the reference); the code point is 0 if this is no valid reference.
    """
    end = position + 1
    code = 0
    if data[end : end + 1] == b"#":
        end += 1
        hexadecimal = data[end : end + 1] == b"x"
        end += 1 if hexadecimal else 0
        digits = b"0123456789abcdefABCDEF" if hexadecimal else b"0123456789"
        while end < len(data) and data[end] in digits:
            code = code * (16 if hexadecimal else 10) + int(chr(data[end]), 16)
            end += 1
        if code == 0 or code >= 0x10FFFF or end - position >= 10 or 0xD800 <= code <= 0xDFFF:
            return 0, position
    else:
        while end < len(data) and chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(data[position + 1 : end])
        if named is None:
            return 0, position
        code = ord(named)
    if data[end : end + 1] == b";":
        end += 1
    return code, end


def link_entity(url: str) -> tuple[str, dict[str, Any]] | None:
    """Return the entity type and fields for a link target, or None if Telegram would drop the link."""
    url = url.strip()
    if not url or any(character.isspace() for character in url):
        return None
    if "://" not in url and not url.startswith("tg:"):
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    if parts.scheme.lower() == "tg" and parts.netloc == "user":
        user_ids = parse_qs(parts.query).get("id", [""])
        if user_ids[0].isdigit():
            user = {"id": int(user_ids[0]), "is_bot": False, "first_name": ""}
            return "text_mention", {"user": user}
    if (
        parts.scheme.lower() in ("http", "https")
        and "." not in parts.netloc
        and parts.hostname != "localhost"
    ):
        return None
    return "text_link", {"url": url}
