"""The processes a benchmark talks to: the emulator, the bot under test, the echo bot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.procs import Child, healthbot, python_module

BOT_TOKEN = "555000111:" + "B" * 35
ECHO_TOKEN = "555000222:" + "E" * 35
READY_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Emulator:
    """A running emulator process."""

    child: Child
    base_url: str

    @property
    def root_url(self) -> str:
        """`http://host:port`."""
        return self.base_url.rsplit("/", 1)[0]

    @property
    def driver_url(self) -> str:
        """The driver API root."""
        return f"{self.root_url}/_driver"


@asynccontextmanager
async def emulator_process(logs: Path, *, flood_limits: bool) -> AsyncIterator[Emulator]:
    """`python -m bot.emulator` on a free port, stopped on exit."""
    argv = python_module("bot.emulator", "--port", "0")
    if not flood_limits:
        argv.append("--no-flood-limits")
    child = await Child.start(argv, logs / "emulator.log")
    try:
        base_url = await child.read_line(READY_TIMEOUT_SECONDS)
        yield Emulator(child, base_url)
    finally:
        await child.stop()


def bot_environment(emulator: Emulator, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of `healthbot run` against the emulator (no client-side rate limit)."""
    return {
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "TELEGRAM_RATE_LIMIT_PER_SECOND": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "PTB_TIMEDELTA": "true",
        **extra,
    }


async def start_bot(emulator: Emulator, database_url: str, logs: Path, **extra: str) -> Child:
    """`healthbot run` against the emulator; returns once it polls for updates."""
    await register(emulator, BOT_TOKEN)
    child = await Child.start(healthbot("run"), logs / "bot.log", bot_environment(emulator, database_url, **extra))
    await wait_polling(emulator, child)
    return child


async def start_echo_bot(emulator: Emulator, logs: Path) -> Child:
    """The bare echo bot against the emulator; returns once it polls for updates."""
    await register(emulator, ECHO_TOKEN)
    child = await Child.start(
        python_module("bench.echo_bot", "--token", ECHO_TOKEN, "--base-url", emulator.base_url),
        logs / "echo_bot.log",
        {"PTB_TIMEDELTA": "true"},
    )
    await wait_polling(emulator, child)
    return child


async def register(emulator: Emulator, token: str) -> int:
    """Make the bot known to the emulator before it connects."""
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{emulator.driver_url}/bots", json={"token": token}) as response:
            body = await response.json()
    return int(body["id"])


async def counters(emulator: Emulator) -> Mapping[str, object]:
    """The only bot's counters."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{emulator.driver_url}/counters") as response:
            body = await response.json()
    result: Mapping[str, object] = body.get("counters", {})
    return result


async def wait_polling(emulator: Emulator, child: Child, timeout: float = READY_TIMEOUT_SECONDS) -> float:
    """Wait until the bot has called getUpdates; returns the seconds since it was started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.running():
            raise RuntimeError(f"the bot exited early; see {child.log_path}")
        requests = (await counters(emulator)).get("requests", {})
        if isinstance(requests, dict) and any(name.lower() == "getupdates" for name in requests):
            return asyncio.get_running_loop().time() - child.started
        await asyncio.sleep(0.05)
    raise TimeoutError(f"the bot did not start polling in {timeout:.0f} s; see {child.log_path}")
