"""Same seed and options, same bytes; another seed, other citizens; workers change nothing."""

from __future__ import annotations

from pathlib import Path

from bot.ingest.synthetic import generate
from tests.synthetic.support import REFERENCE_DATE

CITIZENS = 90
CHUNK_SIZE = 40


def _files(out_dir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out_dir.iterdir())}


def _generate(out_dir: Path, seed: int, jobs: int = 1) -> dict[str, bytes]:
    generate(out_dir, CITIZENS, seed, today=REFERENCE_DATE, chunk_size=CHUNK_SIZE, jobs=jobs)
    return _files(out_dir)


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = _generate(tmp_path / "first", 7)
    second = _generate(tmp_path / "second", 7)
    assert list(first) == [
        "citizens-00001.ndjson",
        "citizens-00002.ndjson",
        "citizens-00003.ndjson",
        "facilities.json",
        "manifest.json",
    ]
    assert first == second


def test_another_seed_writes_other_citizens_but_the_same_registry(tmp_path: Path) -> None:
    first = _generate(tmp_path / "first", 7)
    other = _generate(tmp_path / "other", 8)
    assert first["facilities.json"] == other["facilities.json"]
    for name in ("citizens-00001.ndjson", "citizens-00002.ndjson", "manifest.json"):
        assert first[name] != other[name]


def test_worker_processes_do_not_change_the_output(tmp_path: Path) -> None:
    assert _generate(tmp_path / "parallel", 7, jobs=2) == _generate(tmp_path / "serial", 7)


def test_another_reference_date_moves_appointments(tmp_path: Path) -> None:
    first = _generate(tmp_path / "first", 7)
    generate(
        tmp_path / "later",
        CITIZENS,
        7,
        today=REFERENCE_DATE.replace(year=2026),
        chunk_size=CHUNK_SIZE,
    )
    assert _files(tmp_path / "later")["citizens-00001.ndjson"] != first["citizens-00001.ndjson"]
