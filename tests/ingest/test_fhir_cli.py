"""`healthbot import fhir`: exit codes, summary table, rejections, progress display."""

from __future__ import annotations

import argparse
import gc
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.support import BULK_GC_THRESHOLDS
from bot.ingest.fhir import cli
from bot.ingest.fhir.progress import Progress
from tests.ingest.fhir_factories import bundle, encounter, patient, write_json


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """The command configures the root logger; put pytest's handlers back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="healthbot import")
    cli.add_parser(parser.add_subparsers(dest="format"))
    return parser.parse_args(["fhir", *argv])


def test_the_command_migrates_imports_and_exits_0(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db' / 'hb.sqlite3'}")
    args = parse(
        "--no-progress", str(write_json(tmp_path / "in" / "b.json", bundle(patient("p1"))))
    )
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "resource",
        "type",
        "imported",
        "updated",
        "unchanged",
        "skipped",
        "rejected",
    ]
    assert "Patient" in out and "1 files, 1 batches loaded, 0 rejected" in out


def test_the_command_exits_1_and_names_what_it_rejected(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'hb.sqlite3'}")
    bad = write_json(
        tmp_path / "bad.json", bundle(patient("p1"), patient("p2"), encounter("e1", None))
    )
    good = write_json(tmp_path / "good.json", bundle(patient("p3")))
    args = parse("--no-progress", str(bad), str(good))
    assert args.handler(args) == 1
    captured = capsys.readouterr()
    assert f"rejected: {bad} entry[2] (Encounter): Encounter.subject is missing" in captured.err
    assert "1 batches loaded, 1 rejected" in captured.out


def test_the_import_runs_with_bulk_gc_thresholds_and_restores_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'hb.sqlite3'}")
    seen: list[tuple[int, ...]] = []
    real_import = cli.import_paths

    async def recording_import(*args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold())
        return await real_import(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "import_paths", recording_import)
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    args = parse("--no-progress", str(write_json(tmp_path / "b.json", bundle(patient("p1")))))
    assert args.handler(args) == 0
    assert seen == [BULK_GC_THRESHOLDS]
    assert gc.get_threshold() == before != BULK_GC_THRESHOLDS
    assert gc.get_freeze_count() == frozen
    assert "1 files, 1 batches loaded, 0 rejected" in capsys.readouterr().out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_a_bar_on_a_terminal() -> None:
    now = [0.0]
    stream = Terminal()
    meter = Progress(1000, stream=stream, clock=lambda: now[0])
    now[0] = 1.0
    meter.advance(500, 250)
    meter.close()
    assert stream.getvalue().startswith(
        "\r[" + "#" * 15 + "." * 15 + "]  50%  250 resources  250/s"
    )
    assert stream.getvalue().endswith("\n")


def test_progress_logs_periodically_when_not_on_a_terminal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    stream = io.StringIO()
    meter = Progress(1000, stream=stream, clock=lambda: now[0], log_every_seconds=10)
    with caplog.at_level(logging.INFO, logger="bot.ingest.fhir.progress"):
        now[0] = 5.0
        meter.advance(100, 50)
        now[0] = 11.0
        meter.advance(100, 50)
        meter.close()
    assert [r.getMessage() for r in caplog.records] == [
        "import: 100 resources, 20% of the input, 9 resources/s"
    ]
    assert stream.getvalue() == ""


def test_no_progress_means_silence(caplog: pytest.LogCaptureFixture) -> None:
    stream = Terminal()
    meter = Progress(10, enabled=False, stream=stream, clock=lambda: 100.0)
    with caplog.at_level(logging.INFO):
        meter.advance(10, 5)
        meter.close()
    assert stream.getvalue() == "" and caplog.records == []
