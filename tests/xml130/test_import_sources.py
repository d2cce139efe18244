"""Where submissions come from (files, folders, zips, byte-order marks) and the command line."""

from __future__ import annotations

import argparse
import io
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.db.models import Citizen, Visit
from bot.db.session import Database
from bot.ingest.xml130 import cli
from bot.ingest.xml130.progress import ProgressMeter
from tests.xml130.helpers import BUILT, all_rows, run_import


async def test_byte_order_marks_on_envelope_and_table(db: Database) -> None:
    report = await run_import(db, "bom.xml")
    assert report.ok and report.hoso_imported == 1
    (citizen,) = await all_rows(db, Citizen)
    assert citizen.full_name == "Kim Sóc Phol"


async def test_zip_archive(db: Database) -> None:
    report = await run_import(db, "archive.zip")
    assert report.ok and report.files == 2
    assert sorted(v.source_key for v in await all_rows(db, Visit)) == [
        "xml130:96005:LKZ0001",
        "xml130:96005:LKZ0002",
    ]


async def test_folder_searched_recursively(db: Database) -> None:
    report = await run_import(db, "folder")
    assert report.ok and report.files == 2
    assert sorted(v.source_key for v in await all_rows(db, Visit)) == [
        "xml130:96004:LKF0001",
        "xml130:96004:LKF0002",
    ]


async def test_unreadable_inputs_are_reported_and_the_rest_imported(
    db: Database, tmp_path: Path
) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "notes.xml").write_text("<html><body>not a submission</body></html>")
    report = await run_import(db, tmp_path / "missing.xml", tmp_path, "bom.xml")
    assert report.hoso_imported == 1 and not report.ok
    assert [(r.file, r.hoso) for r in report.rejections] == [
        (str(tmp_path / "missing.xml"), None),
        (str(tmp_path / "broken.zip"), None),
        (str(tmp_path / "notes.xml"), None),
    ]
    assert report.rejections[0].reason == "no such file or folder"
    assert report.rejections[2].reason == "not a GIAMDINHHS submission (root element html)"
    assert report.files_rejected == 3


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """The command configures the root logger; put pytest's handlers back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers())
    args = parser.parse_args(["xml130", *argv])
    return int(args.handler(args))


def test_command_exits_1_when_anything_was_rejected(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    assert run_command(["--no-progress", str(BUILT / "full_visit.xml")]) == 0
    out = capsys.readouterr().out
    assert "healthbot import xml130: HOSO: 2 read, 2 imported, 0 rejected" in out
    assert "healthbot import xml130: XML6 (HIV/AIDS) tables skipped unread: 1" in out
    assert run_command(["--no-progress", str(BUILT / "bad_hosos.xml")]) == 1
    out = capsys.readouterr().out
    assert "HOSO 2 (MA_LK LKBAD0002): XML2 field NOIDUNGFILE: undecodable base64" in out


class TerminalStream(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal() -> None:
    stream = TerminalStream()
    meter = ProgressMeter(1000, stream=stream)
    meter.finish(500, 7, 1)
    assert stream.getvalue().startswith(
        "\r[###############...............]  50%  7 HOSO  1 rejected"
    )
    assert stream.getvalue().endswith("\n")


def test_progress_is_logged_when_not_on_a_terminal(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.ingest.xml130.progress")
    stream = io.StringIO()
    meter = ProgressMeter(1000, stream=stream, log_interval=0.0)
    meter.update(250, 3, 0)
    assert stream.getvalue() == ""
    assert "xml130 import: 25% read, 3 HOSO, 0 rejected" in caplog.text


def test_no_progress_when_disabled(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    stream = TerminalStream()
    meter = ProgressMeter(1000, stream=stream, enabled=False, log_interval=0.0)
    meter.update(250, 3, 0)
    meter.finish(1000, 4, 0)
    assert stream.getvalue() == "" and caplog.text == ""


async def test_wrong_declared_count_is_logged(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "short.xml"
    data = (BUILT / "bom.xml").read_bytes()
    path.write_bytes(data.replace(b"<SOLUONGHOSO>1<", b"<SOLUONGHOSO>3<"))
    report = await run_import(db, path)
    assert report.ok
    assert f"{path} declares 3 HOSO in SOLUONGHOSO but holds 1" in caplog.text


async def test_corrupt_zip_member_is_rejected_and_the_next_file_imported(
    db: Database, tmp_path: Path
) -> None:
    archive = tmp_path / "corrupt.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("a.xml", (BUILT / "full_visit.xml").read_bytes())
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    archive.write_bytes(bytes(data))
    report = await run_import(db, archive, "bom.xml")
    (rejection,) = report.rejections
    assert rejection.file == f"{archive}!a.xml" and rejection.hoso is None
    assert rejection.reason.startswith("cannot be read")
    assert report.hoso_imported >= 1  # bom.xml, and whatever came before the damage


async def test_a_failing_database_stops_the_run(tmp_path: Path) -> None:
    unmigrated = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        with pytest.raises(OperationalError, match="no such table"):
            await run_import(unmigrated, "bom.xml")
    finally:
        await unmigrated.dispose()
