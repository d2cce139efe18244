"""Generation streams: peak memory is small and does not grow with the number of citizens.

Each run happens in a fresh interpreter whose peak resident set size (VmHWM, which exec
resets, unlike getrusage's maxrss that a child inherits from a big parent) is read from the
kernel; tracemalloc would slow generation tenfold.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEASURE = """
import sys
from datetime import date
from pathlib import Path
from bot.ingest.synthetic import generate
generate(Path(sys.argv[1]), int(sys.argv[2]), 31, today=date(2025, 11, 26), chunk_size=400,
         density=0.1)
status = Path("/proc/self/status").read_text().splitlines()
print(int(next(line.split()[1] for line in status if line.startswith("VmHWM:"))) * 1024)
"""
PEAK_LIMIT = 160 * 2**20
"""Interpreter, imports and the facility registry included."""
GROWTH_LIMIT = 6 * 2**20


def _peak_resident(out_dir: Path, citizens: int) -> int:
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, str(out_dir), str(citizens)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return int(completed.stdout)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_peak_memory_is_small_and_does_not_grow_with_the_population(tmp_path: Path) -> None:
    small = _peak_resident(tmp_path / "small", 400)
    large = _peak_resident(tmp_path / "large", 2000)
    assert large < PEAK_LIMIT, f"{large / 2**20:.1f} MiB"
    assert large - small < GROWTH_LIMIT, f"{small / 2**20:.1f} -> {large / 2**20:.1f} MiB"
