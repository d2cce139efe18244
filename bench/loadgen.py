"""The load generator: simulated users in a closed loop, in their own process.

    python -m bench.loadgen --driver-url http://127.0.0.1:8081/_driver --first-user 7000000000 \
        --users 50 --scenarios citizen --warmup 5 --duration 30

Each user sends its next request when the previous answer arrived, cycling through the
available scenarios. Prints one JSON object: latencies by scenario (seconds, answers that
finished inside the measurement window), replies, errors and the scenarios left out; with
`--bot-pid`, also the CPU seconds (user + system) that process spent inside the window.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.driver_client import DriverClient, DriverError
from bench.procs import cpu_seconds
from bench.scenarios import SCENARIO_SETS, UNKNOWN_COMMAND, PressButton, Scenario

_REQUEST_ERRORS = (DriverError, aiohttp.ClientError, TimeoutError, asyncio.TimeoutError)


@dataclass(slots=True)
class LoadResult:
    """What a load run measured."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    replies: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    unavailable: dict[str, str] = field(default_factory=dict)
    duration: float = 0.0
    users: int = 0
    bot_cpu_seconds: float | None = None
    """CPU time of the watched bot process inside the window (None when not watched or gone)."""

    def to_json(self) -> dict[str, Any]:
        """The JSON object printed by the process."""
        return {
            "latencies": self.latencies, "replies": self.replies, "errors": dict(self.errors),
            "unavailable": self.unavailable, "duration": self.duration, "users": self.users,
            "bot_cpu_seconds": self.bot_cpu_seconds,
        }


def replies_of(scenario: Scenario) -> int:
    """Bot answers one run of a scenario costs (a button press needs the message first)."""
    return 2 if isinstance(scenario[1], PressButton) else 1


async def available_scenarios(
    client: DriverClient, user_id: int, scenarios: tuple[Scenario, ...], result: LoadResult
) -> list[Scenario]:
    """The scenarios the bot answers properly; the others go to `result.unavailable`."""
    message_id = await client.send(user_id, UNKNOWN_COMMAND)
    unknown_reply = (await client.reply_to(user_id, message_id))["text"]
    available = []
    for scenario in scenarios:
        reason = await scenario[1].probe(client, user_id, unknown_reply)
        if reason is None:
            available.append(scenario)
        else:
            result.unavailable[scenario[0]] = reason
    return available


async def watch_cpu(pid: int, warmup: float, duration: float, result: LoadResult) -> None:
    """Read a process's CPU time at the start and at the end of the measured window."""
    await asyncio.sleep(warmup)
    start = cpu_seconds(pid)
    await asyncio.sleep(duration)
    end = cpu_seconds(pid)
    if start is not None and end is not None:
        result.bot_cpu_seconds = round(end - start, 3)


async def closed_loop(
    client: DriverClient, user_ids: list[int], scenarios: list[Scenario], warmup: float, duration: float,
    result: LoadResult, bot_pid: int | None = None,
) -> None:
    """Every user runs scenarios back to back; answers inside [warmup, warmup+duration] count.

    With `bot_pid`, that process's CPU time inside the same window goes to `result` too.
    """
    loop = asyncio.get_running_loop()
    window_start = loop.time() + warmup
    window_end = window_start + duration
    result.latencies = {name: [] for name, _ in scenarios}
    result.duration = duration
    result.users = len(user_ids)

    async def user_loop(position: int, user_id: int) -> None:
        turn = position
        while loop.time() < window_end:
            scenario = scenarios[turn % len(scenarios)]
            turn += 1
            try:
                latency = await scenario[1].run(client, user_id)
            except _REQUEST_ERRORS:
                result.errors[scenario[0]] += 1
                continue
            if window_start <= loop.time() <= window_end:
                result.latencies[scenario[0]].append(latency)
                result.replies += replies_of(scenario)

    watching = [watch_cpu(bot_pid, warmup, duration, result)] if bot_pid is not None else []
    await asyncio.gather(*(user_loop(n, user_id) for n, user_id in enumerate(user_ids)), *watching)


async def run(args: argparse.Namespace) -> LoadResult:
    """Probe the scenarios with the first user, then run the closed loop."""
    result = LoadResult()
    user_ids = [args.first_user + number for number in range(args.users)]
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        client = DriverClient(args.driver_url, session)
        scenarios = await available_scenarios(client, user_ids[0], SCENARIO_SETS[args.scenarios], result)
        if scenarios:
            await closed_loop(client, user_ids, scenarios, args.warmup, args.duration, result,
                              args.bot_pid)
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen", description=__doc__)
    parser.add_argument("--driver-url", required=True)
    parser.add_argument("--first-user", type=int, required=True, help="Telegram id of the first user")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--scenarios", choices=sorted(SCENARIO_SETS), default="citizen")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds not measured")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--bot-pid", type=int, help="process whose CPU time in the window to report")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run and print the result as one JSON object."""
    result = asyncio.run(run(parse_args(argv)))
    json.dump(result.to_json(), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
