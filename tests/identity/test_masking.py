"""Identifiers, phones and birth dates never reach a log line whole."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.identity.masking import PersonalDataFilter, install_log_masking, mask_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id 096185005678", "id ••••••••5678"),
        ("id 096 185 005 678.", "id ••••••••5678."),
        ("id 0961.8500.5678", "id ••••••••5678"),
        ("cmnd 381234567", "cmnd •••••4567"),
        ("phone 0912345678", "phone +84•••••5678"),
        ("phone 0912 345 678", "phone +84•••••5678"),
        ("phone 0912.345.678", "phone +84•••••5678"),
        ("phone 84912345678", "phone +84•••••5678"),
        ("phone +84 912-345-678", "phone +84•••••5678"),
        ("landline 0290 3831 234", "landline +84••••••1234"),
        ("born 05/09/1985", "born ••/••/••••"),
        ("born 5-9-1985", "born ••/••/••••"),
        ("born 05.09.1985", "born ••/••/••••"),
        ("born 05 / 09 / 1985", "born ••/••/••••"),
        ("born 1985-09-05", "born ••/••/••••"),
        ("born 05091985", "born ••/••/••••"),
    ],
)
def test_mask_text(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "5 attempts in 15 minutes",
        "sent 1200 of 25000 messages",
        "at 2026-03-01 10:15:00",
        "at 2026-03-01T10:15:00+00:00",
        "version 2026-01",
        "update 12345678",
    ],
)
def test_ordinary_numbers_and_timestamps_stay(text: str) -> None:
    assert mask_text(text) == text


def test_several_identifiers_in_one_line() -> None:
    masked = mask_text("096185005678 0912345678 05/09/1985 381234567")
    assert masked == "••••••••5678 +84•••••5678 ••/••/•••• •••••4567"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    logger = logging.getLogger("healthbot.test.masking")
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield logger, stream
    finally:
        logger.setLevel(previous_level)
        root.removeHandler(handler)
        for remaining in root.handlers:
            for found in list(remaining.filters):
                if isinstance(found, PersonalDataFilter):
                    remaining.removeFilter(found)


def test_root_handler_filter_masks_messages_of_child_loggers(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    install_log_masking()
    logger.info(
        "sign-in by %s with phone %s born %s", "096185005678", "+84 912 345 678", "05/09/1985"
    )
    logger.info("numeric id %d", 196185005678)
    logger.info("already formatted: 0912345678 / 1985-09-05")
    output = stream.getvalue()
    assert "sign-in by ••••••••5678 with phone +84•••••5678 born ••/••/••••" in output
    assert "numeric id ••••••••5678" in output
    assert "already formatted: +84•••••5678 / ••/••/••••" in output
    for secret in (
        "096185005678",
        "196185005678",
        "912 345 678",
        "0912345678",
        "05/09/1985",
        "1985-09-05",
    ):
        assert secret not in output


def test_exception_text_is_masked(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    install_log_masking()
    try:
        raise ValueError("duplicate national_id 096185005678")
    except ValueError:
        logger.exception("import failed for %s", "0912345678")
    output = stream.getvalue()
    assert "ValueError: duplicate national_id ••••••••5678" in output
    assert "import failed for +84•••••5678" in output
    assert "096185005678" not in output
    assert "0912345678" not in output


def test_install_is_idempotent(captured: tuple[logging.Logger, io.StringIO]) -> None:
    first = install_log_masking()
    second = install_log_masking()
    assert first is second
    for handler in logging.getLogger().handlers:
        assert sum(isinstance(found, PersonalDataFilter) for found in handler.filters) == 1


def test_filter_keeps_every_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s", ("096185005678",), None)
    assert PersonalDataFilter().filter(record) is True
    assert record.getMessage() == "id ••••••••5678"


def test_arguments_that_do_not_fit_the_format_are_masked_not_raised(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    install_log_masking()
    logger.info("id %s and %s", "096185005678")
    output = stream.getvalue()
    assert "id %s and %s ('••••••••5678',)" in output
    assert "096185005678" not in output
