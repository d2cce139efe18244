"""Reading CSV files of CCCD numbers: bad rows are reported with masked values and never fatal."""

from __future__ import annotations

import pytest

from bot.broadcast.contacts_csv import ContactFileError, RowProblem, parse_contacts
from tests.broadcast.support import TODAY

GOOD = ["096185000001", "001090000002", "079304000003"]


def test_named_column_with_semicolons_and_bad_rows() -> None:
    data = (
        "Họ tên;Số CCCD;Ghi chú\n"
        f"Lan;{GOOD[0]};\n"
        "Tú;12345;typo\n"
        f"Hòa;{GOOD[1]};\n"
        f"Lan again;{GOOD[0]};\n"
        "\n"
        f"Minh;{GOOD[2]};\n"
    ).encode()
    contacts = parse_contacts(data, TODAY)
    assert contacts.national_ids == GOOD
    assert [(row.line, row.problem) for row in contacts.bad_rows] == [
        (3, RowProblem.NOT_A_CCCD),
        (5, RowProblem.DUPLICATE),
    ]
    assert all(GOOD[0] not in row.value for row in contacts.bad_rows), "values are masked"
    assert contacts.bad_rows[1].value.endswith("0001")


def test_no_header_first_column_and_spreadsheet_dropped_zeros() -> None:
    data = "\ufeff96185000001\n1090000002\n079 304 000 003\n".encode("utf-8")
    assert parse_contacts(data, TODAY).national_ids == GOOD


def test_unknown_header_guesses_the_column_that_holds_numbers() -> None:
    data = f"name,phone,id_card\nLan,0912345678,{GOOD[0]}\nTú,0987654321,{GOOD[1]}\n".encode()
    contacts = parse_contacts(data, TODAY)
    assert contacts.national_ids == GOOD[:2] and contacts.bad_rows == []


def test_impossible_numbers_are_rejected() -> None:
    future_birth = "096299000001"  # born in 2099
    unknown_province = "099185000001"
    data = f"cccd\n{future_birth}\n{unknown_province}\n{GOOD[0]}\n".encode()
    contacts = parse_contacts(data, TODAY)
    assert contacts.national_ids == [GOOD[0]]
    assert [row.line for row in contacts.bad_rows] == [2, 3]


def test_utf16_from_excel_is_read() -> None:
    data = f"cccd\t\n{GOOD[0]}\t\n".encode("utf-16")
    assert parse_contacts(data, TODAY).national_ids == [GOOD[0]]


def test_a_file_with_no_number_reports_every_row() -> None:
    contacts = parse_contacts(b"hello\nworld\n", TODAY)
    assert contacts.national_ids == []
    assert [row.line for row in contacts.bad_rows] == [1, 2]


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff\xfe\x00binary", b"x" * 2_000_001])
def test_unreadable_files_are_refused_as_a_whole(data: bytes) -> None:
    with pytest.raises(ContactFileError):
        parse_contacts(data, TODAY)
