"""Reading a CSV of CCCD numbers (close contacts or a target list); bad rows are reported."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.identity.cccd import Cccd, mask_id, parse_cccd

MAX_FILE_BYTES = 2_000_000
MAX_CONTACTS = 50_000
_HEADER_NAMES = {"cccd", "so_cccd", "socccd", "số cccd", "so cccd", "national_id", "id", "cmnd"}


class RowProblem(StrEnum):
    """Why a row was skipped."""

    NOT_A_CCCD = "not_a_cccd"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class BadRow:
    """A skipped row: its line number, the value masked, and why."""

    line: int
    value: str
    problem: RowProblem


@dataclass
class ContactList:
    """The valid CCCD numbers in file order, and the rows that were skipped."""

    national_ids: list[str] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)


class ContactFileError(ValueError):
    """The file as a whole cannot be read (too big, not text, no usable column)."""


def mask(value: str) -> str:
    """A value from the file with all but its last four characters hidden."""
    return mask_id(value) if value.strip() else "(empty)"


def normalize_cccd(raw: str, today: date) -> str | None:
    """A 12-digit CCCD, restoring zeros a spreadsheet dropped; None if impossible."""
    digits = re.sub(r"[\s.\-']", "", raw)
    if digits.isascii() and digits.isdigit() and 10 <= len(digits) <= 11:
        digits = digits.zfill(12)  # province codes start with 0; spreadsheets drop it
    checked = parse_cccd(digits, today)
    return checked.number if isinstance(checked, Cccd) else None


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ContactFileError("file too large")
    encoding = (
        "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    )  # Excel's "Unicode text"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise ContactFileError("not a UTF-8 or UTF-16 text file") from None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise ContactFileError("not a text file")
    return text


def _column(header: list[str]) -> int | None:
    for index, name in enumerate(header):
        if name.strip().casefold() in _HEADER_NAMES:
            return index
    return None


def _guess_column(sample: list[list[str]], today: date) -> int | None:
    hits: dict[int, int] = {}
    for row in sample:
        for index, cell in enumerate(row):
            if normalize_cccd(cell.strip(), today):
                hits[index] = hits.get(index, 0) + 1
    return max(hits, key=lambda index: (hits[index], -index)) if hits else None


def parse_contacts(data: bytes, today: date) -> ContactList:
    """Read CCCD numbers from the named column (cccd, so_cccd, ...) or a guessed one."""
    text = _decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    result = ContactList()
    if not rows:
        return result
    column = _column(rows[0])
    start = 1
    if column is None:
        guessed = _guess_column(rows[:20], today)
        column = guessed or 0
        first_is_data = column < len(rows[0]) and normalize_cccd(rows[0][column].strip(), today)
        start = 0 if guessed is None or first_is_data else 1
    seen: set[str] = set()
    for line, row in enumerate(rows[start:], start=start + 1):
        if not row or not any(cell.strip() for cell in row):
            continue
        raw = row[column].strip() if column < len(row) else ""
        national_id = normalize_cccd(raw, today)
        if national_id is None:
            result.bad_rows.append(BadRow(line, mask(raw), RowProblem.NOT_A_CCCD))
        elif national_id in seen:
            result.bad_rows.append(BadRow(line, mask(national_id), RowProblem.DUPLICATE))
        else:
            seen.add(national_id)
            result.national_ids.append(national_id)
    if len(result.national_ids) > MAX_CONTACTS:
        raise ContactFileError("too many rows")
    return result
