"""Message splitting as Telegram counts, and RFC 5545 calendar files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.i18n import Catalogs
from bot.records.appointments import AppointmentItem
from bot.records.ics import CalendarEvent, calendar_file, escape_text, fold_line
from bot.views.appointments import appointment_ics, calendar_reply
from bot.views.split import split_at_items, telegram_length


def test_length_is_counted_after_entity_parsing_in_utf16_units() -> None:
    assert telegram_length("<b>a&amp;b</b>") == 3
    assert telegram_length("&lt;tag&gt;") == 5
    assert telegram_length("😀") == 2
    assert telegram_length("ការណាត់ជួប") == len("ការណាត់ជួប")


def test_items_are_never_cut_and_every_message_fits() -> None:
    items = [f"<b>Item {n}</b> — " + "é&amp;" * 90 for n in range(100)]
    messages = split_at_items("<b>Header</b>", items, limit=1000)
    assert len(messages) > 5
    assert all(telegram_length(message) <= 1000 for message in messages)
    assert messages[0].startswith("<b>Header</b>")
    joined = "\n".join(messages)
    assert all(item in joined for item in items)
    # the order is kept
    assert joined.index("Item 10<") < joined.index("Item 11<") < joined.index("Item 99<")


def test_an_item_longer_than_a_message_is_cut_between_its_lines() -> None:
    item = "\n".join(f"<i>line {n}</i> " + "x" * 80 for n in range(40))
    messages = split_at_items("H", [item], limit=500)
    assert all(telegram_length(message) <= 500 for message in messages)
    assert all(message.count("<i>") == message.count("</i>") for message in messages)
    assert "line 39" in messages[-1]


def test_a_single_overlong_line_becomes_clipped_plain_text() -> None:
    messages = split_at_items("H", ["<b>" + "&lt;" * 3000 + "</b>"], limit=200)
    assert all(telegram_length(message) <= 200 for message in messages)
    assert messages[-1].endswith("…")
    assert "<b>" not in messages[-1]


def test_no_items_gives_the_header_alone() -> None:
    assert split_at_items("Only header", []) == ["Only header"]


def test_text_values_are_escaped_as_rfc5545_says() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + "Nhịn ăn sáng trước khi khám; mang thẻ BHYT. " * 10
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if index else part for index, part in enumerate(parts)) == line


def _appointment(**overrides: object) -> AppointmentItem:
    values: dict[str, object] = {
        "appointment_id": 7,
        "status": "booked",
        "start": datetime(2026, 12, 1, 1, 30, tzinfo=UTC),
        "end": None,
        "facility": "Bệnh viện Đa khoa Cà Mau, cơ sở 2",
        "address": "16 Hải Thượng Lãn Ông; Phường 6",
        "department": "Khoa Nội",
        "practitioner": "BS. An",
        "reason": "Tái khám",
        "instructions": "Nhịn ăn sáng\nMang thẻ BHYT, sổ khám",
        "cancelled_at": None,
    }
    values.update(overrides)
    return AppointmentItem(**values)  # type: ignore[arg-type]


def _unfold(content: bytes) -> list[str]:
    return content.decode().replace("\r\n ", "").split("\r\n")


def test_appointment_calendar_file() -> None:
    t = Catalogs().get("vi")
    stamp = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    content = appointment_ics(t, _appointment(), stamp)
    assert content.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert content.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    lines = _unfold(content)
    assert "UID:appointment-7@healthbot.camau.gov.vn" in lines
    assert "DTSTAMP:20261126T030000Z" in lines
    assert "DTSTART:20261201T013000Z" in lines
    assert "DTEND:20261201T020000Z" in lines  # 30 minutes when no end is recorded
    assert (
        "LOCATION:Bệnh viện Đa khoa Cà Mau\\, cơ sở 2\\, 16 Hải Thượng Lãn Ông\\; Phường 6" in lines
    )
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Nhịn ăn sáng\\nMang thẻ BHYT\\, sổ khám" in description
    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert "Bệnh viện Đa khoa Cà Mau\\, cơ sở 2" in summary


def test_calendar_reply_is_a_document_named_by_local_time() -> None:
    t = Catalogs().get("en")
    reply = calendar_reply(
        t, _appointment(end=datetime(2026, 12, 1, 2, 15, tzinfo=UTC)), datetime.now(UTC)
    )
    assert reply.document is not None
    filename, content = reply.document
    assert filename == "appointment-20261201-0830.ics"
    assert "DTEND:20261201T021500Z" in _unfold(content)


def test_calendar_times_must_be_aware() -> None:
    naive = datetime(2026, 1, 1)
    event = CalendarEvent("u", naive, naive, naive + timedelta(hours=1), "s")
    try:
        calendar_file(event)
    except ValueError:
        return
    raise AssertionError("a naive time was accepted")
