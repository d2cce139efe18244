"""Child processes of a benchmark: start, wait for readiness, sample memory, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PYTHON = sys.executable
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class MemorySample:
    """Resident memory of a process, in MiB: now (VmRSS) and its peak so far (VmHWM)."""

    rss_mb: float
    hwm_mb: float


def read_memory(pid: int) -> MemorySample | None:
    """VmRSS and VmHWM from /proc/<pid>/status; None once the process is gone."""
    values: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) / 1024.0
    except (OSError, ValueError):
        return None
    if "VmRSS" not in values:
        return None
    return MemorySample(round(values["VmRSS"], 1), round(values.get("VmHWM", values["VmRSS"]), 1))


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process so far (/proc/<pid>/stat); None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemoryWatch:
    """Samples a process's memory every `interval` seconds; keeps the peak and the last value."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_mb = 0.0
        self.last: MemorySample | None = None
        self._task: asyncio.Task[None] | None = None

    def sample(self) -> MemorySample | None:
        """Take one sample now."""
        current = read_memory(self.pid)
        if current is not None:
            self.last = current
            self.peak_mb = max(self.peak_mb, current.rss_mb, current.hwm_mb)
        return current

    async def _run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def start(self) -> MemoryWatch:
        """Start sampling in the background."""
        self._task = asyncio.create_task(self._run())
        return self

    async def stop(self) -> None:
        """Stop sampling (after one last sample)."""
        self.sample()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class Child:
    """A child process with stderr in a log file and stdout readable line by line."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path, started: float) -> None:
        self.process = process
        self.log_path = log_path
        self.started = started

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    @classmethod
    async def start(
        cls, argv: Sequence[str], log_path: Path, env: Mapping[str, str] | None = None
    ) -> Child:
        """Start `argv` with extra environment variables `env`."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        full_env = {**os.environ, **(env or {})}
        started = asyncio.get_running_loop().time()
        with log_path.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                *argv, stdout=asyncio.subprocess.PIPE, stderr=log, env=full_env,
                start_new_session=True,
            )
        return cls(process, log_path, started)

    async def read_line(self, timeout: float) -> str:
        """The next stdout line (without the newline); raises if the process ends first."""
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not line:
            raise RuntimeError(f"process {self.pid} ended; see {self.log_path}")
        return line.decode().rstrip("\n")

    async def read_all(self, timeout: float) -> str:
        """Everything the process writes on stdout until it exits."""
        assert self.process.stdout is not None
        data = await asyncio.wait_for(self.process.stdout.read(), timeout)
        await asyncio.wait_for(self.process.wait(), timeout)
        return data.decode()

    def running(self) -> bool:
        """True until the process has exited."""
        return self.process.returncode is None

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> int | None:
        """SIGTERM, then SIGKILL after `grace` seconds; returns the exit code."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()
        return self.process.returncode


def python_module(module: str, *args: str) -> list[str]:
    """argv running `python -m module args...` with this interpreter."""
    return [PYTHON, "-m", module, *args]


def healthbot(*args: str) -> list[str]:
    """argv running the `healthbot` command of this interpreter's environment."""
    return [PYTHON, "-m", "bot", *args]
