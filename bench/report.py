"""One JSON line per measurement, on stdout and in the run's results file; the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO


class Status(StrEnum):
    """Whether a measurement could be made."""

    OK = "ok"
    NOT_AVAILABLE = "not_available"
    """The feature to measure does not exist (yet) in the bot under test."""
    PENDING = "pending"
    """The harness exists but the measurement was not made in this run."""
    FAILED = "failed"


def measurement_line(
    benchmark: str,
    metric: str,
    value: float | int | None,
    unit: str,
    params: Mapping[str, Any] | None = None,
    status: Status = Status.OK,
    note: str | None = None,
) -> str:
    """The JSON text of one measurement (keys in a fixed order, no newline)."""
    record: dict[str, Any] = {
        "benchmark": benchmark,
        "metric": metric,
        "value": value,
        "unit": unit,
        "status": status.value,
        "params": dict(params or {}),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if note:
        record["note"] = note
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


class Recorder:
    """Writes measurements to a stream and, when given, appends them to a file."""

    def __init__(self, path: Path | None = None, stream: TextIO | None = None) -> None:
        self.path = path
        self.stream = stream if stream is not None else sys.stdout
        self.lines: list[str] = []
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def record(
        self,
        benchmark: str,
        metric: str,
        value: float | int | None,
        unit: str,
        status: Status = Status.OK,
        note: str | None = None,
        **params: Any,
    ) -> None:
        """Emit one measurement."""
        line = measurement_line(benchmark, metric, value, unit, params, status, note)
        self.lines.append(line)
        print(line, file=self.stream, flush=True)
        if self.path is not None:
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")

    def not_available(self, benchmark: str, metric: str, note: str, **params: Any) -> None:
        """Emit a measurement that could not be made because the feature is missing."""
        self.record(benchmark, metric, None, "", Status.NOT_AVAILABLE, note, **params)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def machine_info() -> dict[str, Any]:
    """The machine a run happens on: cores, CPU model, RAM, Python, load, date."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_mb": _memory_total_mb(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_1m": round(load[0], 2),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
