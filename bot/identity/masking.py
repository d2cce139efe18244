"""Hide personal identifiers in free text and in log records.

Masked: 12-digit CCCD numbers, 9-digit CMND numbers (both keep their last four digits),
Vietnamese phone numbers in +84 / 84 / 0 forms with optional spaces, dots or dashes (country
code and last four digits kept), and dates shaped like birth dates (dd/mm/yyyy, d-m-yyyy,
d.m.yyyy, yyyy-mm-dd, ddmmyyyy; replaced whole). A date followed by a time of day is a
timestamp, not a birth date, and is left alone.

Any other 9- or 12-digit number (a Telegram user id of nine digits, for example) is masked
too: the patterns cannot tell them apart, and hiding too much is the safe mistake.
"""

from __future__ import annotations

import logging
import re

from bot.identity.cccd import mask_id
from bot.identity.phone import mask_phone

DATE_MASK = "••/••/••••"
_SEP = r"[ .\-]"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_NOT_A_TIME = r"(?![T ]\d{1,2}:)"

_TWELVE_DIGITS = re.compile(
    r"(?<!\d)(?:\d{12}|\d{3}([ .\-])\d{3}\1\d{3}\1\d{3}|\d{4}([ .\-])\d{4}\2\d{4})(?!\d)"
)
_PHONE = re.compile(rf"(?<![\d+])(?:\+84|84|0){_SEP}?\d(?:{_SEP}?\d){{8,9}}(?!\d)")
_NINE_DIGITS = re.compile(r"(?<!\d)(?:\d{9}|\d{3}([ .\-])\d{3}\1\d{3})(?!\d)")
_DATES = (
    re.compile(rf"(?<!\d){_DAY}\s*([/.\-])\s*{_MONTH}\s*\1\s*{_YEAR}(?!\d){_NOT_A_TIME}"),
    re.compile(rf"(?<!\d){_YEAR}([/.\-]){_MONTH}\1{_DAY}(?!\d){_NOT_A_TIME}"),
    re.compile(rf"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2]){_YEAR}(?!\d)"),
)


def _mask_match_id(match: re.Match[str]) -> str:
    return mask_id(match.group(0))


def _mask_match_phone(match: re.Match[str]) -> str:
    return mask_phone(match.group(0))


def mask_text(text: str) -> str:
    """The text with every ID, phone number and birth-date-like date masked."""
    text = _TWELVE_DIGITS.sub(_mask_match_id, text)
    text = _PHONE.sub(_mask_match_phone, text)
    text = _NINE_DIGITS.sub(_mask_match_id, text)
    for pattern in _DATES:
        text = pattern.sub(DATE_MASK, text)
    return text


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks identifiers in the message, its arguments and exception text.

    The message is formatted with its arguments first, so an ID passed as `%s` or `%d` is caught;
    the record then carries the masked text and no arguments. Records are never dropped.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place and keep it."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: keep both
            message = f"{record.msg} {record.args!r}"
        record.msg = mask_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def install_log_masking(logger: logging.Logger | None = None) -> PersonalDataFilter:
    """Add one `PersonalDataFilter` to every handler of `logger` (the root logger by default).

    Handler filters see records propagated from every child logger, which logger filters do not.
    Call it after the handlers are configured; calling it again only covers new handlers.
    """
    target = logger if logger is not None else logging.getLogger()
    existing = [
        found
        for handler in target.handlers
        for found in handler.filters
        if isinstance(found, PersonalDataFilter)
    ]
    masking = existing[0] if existing else PersonalDataFilter()
    for handler in target.handlers:
        if not any(isinstance(found, PersonalDataFilter) for found in handler.filters):
            handler.addFilter(masking)
    return masking
