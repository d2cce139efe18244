"""`healthbot demo-data` and `python -m bot.ingest.synthetic`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main as healthbot
from bot.ingest.synthetic.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_demo_data_writes_the_files_and_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = healthbot(
        [
            "demo-data",
            "--citizens",
            "25",
            "--seed",
            "3",
            "--out",
            str(tmp_path),
            "--today",
            "2025-11-26",
            "--chunk-size",
            "10",
            "--density",
            "0.5",
        ]
    )
    assert code == 0
    output = capsys.readouterr().out
    assert output.count("\n") == 1
    assert output.startswith("Generated 25 citizens in ") and "seed 3" in output
    assert "reference date 2025-11-26" in output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in manifest["files"]] == [
        "citizens-00001.ndjson",
        "citizens-00002.ndjson",
        "citizens-00003.ndjson",
    ]
    assert manifest["density"] == 0.5


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--citizens", "0"], "must be at least 1"),
        (["--citizens", "1000001"], "at most 1,000,000 citizens"),
        (["--citizens", "ten"], "not a whole number"),
        (["--citizens", "5", "--today", "26/11/2025"], "not a date YYYY-MM-DD"),
        (["--citizens", "5", "--density", "0"], "must be greater than 0"),
        (["--citizens", "5", "--density", "much"], "not a number"),
    ],
)
def test_bad_options_are_refused(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*arguments, "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_an_unwritable_output_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert main(["--citizens", "3", "--out", str(blocker / "out")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_module_entry_point_with_workers_gives_the_same_bytes_under_another_hash_seed(
    tmp_path: Path,
) -> None:
    arguments = ["--citizens", "30", "--seed", "5", "--today", "2025-11-26", "--chunk-size", "10"]
    assert main([*arguments, "--out", str(tmp_path / "here")]) == 0
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    command = [sys.executable, "-m", "bot.ingest.synthetic", *arguments, "--jobs", "2"]
    completed = subprocess.run(
        [*command, "--out", str(tmp_path / "there")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Generated 30 citizens")
    here = sorted(p.name for p in (tmp_path / "here").iterdir())
    assert here == sorted(p.name for p in (tmp_path / "there").iterdir())
    assert len(here) == 5
    for name in here:
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes()
