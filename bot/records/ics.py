"""A one-event iCalendar file (RFC 5545): escaping, UTC times and line folding at 75 octets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PRODUCT_ID = "-//Ca Mau Department of Health//healthbot//EN"
MAX_LINE_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarEvent:
    """The fields of a VEVENT; times are aware datetimes (written in UTC)."""

    uid: str
    stamp: datetime
    start: datetime
    end: datetime
    summary: str
    location: str | None = None
    description: str | None = None


def escape_text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20261126T013000Z."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold_line(line: str) -> str:
    """A content line folded into chunks of at most 75 octets, never inside a UTF-8 character."""
    chunks: list[str] = []
    current, size, limit = "", 0, MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            chunks.append(current)
            current, size, limit = (
                "",
                0,
                MAX_LINE_OCTETS - 1,
            )  # continuation lines start with a space
        current += char
        size += width
    chunks.append(current)
    return (CRLF + " ").join(chunks)


def calendar_file(event: CalendarEvent) -> bytes:
    """The VCALENDAR with one VEVENT, UTF-8 with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(event.end)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold_line(line) + CRLF for line in lines).encode()
