"""Small text clean-ups shared by the identifier parsers."""

from __future__ import annotations

import re
import unicodedata

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign: all typed as "-".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH_TABLE = str.maketrans({dash: "-" for dash in _DASHES})
_SEPARATORS = re.compile(r"[\s.\-]+")


def ascii_digits(text: str) -> str:
    """Digits of any script (Khmer, Bengali, full-width...) as 0-9, and every dash as `-`."""
    converted = []
    for char in text:
        value = unicodedata.decimal(char, None) if not char.isascii() else None
        converted.append(str(value) if value is not None else char)
    return "".join(converted).translate(_DASH_TABLE)


def without_separators(text: str) -> str:
    """Digits typed in groups ("079 123.456-789") joined together, other characters kept."""
    return _SEPARATORS.sub("", ascii_digits(text))
