"""Chat throughput and latency: the bot and the emulator in separate processes, a closed-loop load.

For each population (citizens in the database, FHIR-imported or direct-loaded) and database,
`healthbot run` serves N signed-in simulated citizens (spread over the citizens table) who ask
for their record, a visit page, appointments and insurance. A bare echo bot against the same
emulator, with the same load, gives the ceiling; our throughput is reported as a share of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.databases import BENCH_USER_ID_BASE, BenchDatabase, sign_in_users
from bench.datasets import ensure_direct, ensure_fhir
from bench.procs import Child, MemoryWatch, python_module
from bench.services import Emulator, emulator_process, start_bot, start_echo_bot
from bench.stats import LatencySummary

ECHO_USER_ID_BASE = 8_000_000_000
LOADGEN_TIMEOUT_EXTRA_SECONDS = 180.0


@dataclass(frozen=True, slots=True)
class ChatPlan:
    """What to measure: populations as (citizens, "fhir" | "direct"), user counts, timing."""

    populations: tuple[tuple[int, str], ...]
    users: tuple[int, ...]
    warmup: float
    duration: float
    mixes: tuple[str, ...] = ("citizen",)
    """Scenario sets of `bench.scenarios.SCENARIO_SETS` to load the bot with, one run each."""


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    """The load generator's result for one user count."""

    users: int
    replies_per_second: float
    latencies: dict[str, LatencySummary]
    errors: dict[str, int]
    unavailable: dict[str, str]
    replies: int = 0
    bot_cpu_seconds: float | None = None
    """CPU seconds of the bot process inside the measured window."""

    @property
    def bot_cpu_ms_per_reply(self) -> float | None:
        """The bot's CPU time per reply (ms): the load-independent cost of an answer."""
        if self.bot_cpu_seconds is None or not self.replies:
            return None
        return round(1000 * self.bot_cpu_seconds / self.replies, 2)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoadOutcome:
        """Read what `bench.loadgen` printed."""
        latencies = {name: LatencySummary.of(values) for name, values in data["latencies"].items() if values}
        duration = float(data["duration"])
        return cls(
            users=int(data["users"]),
            replies_per_second=round(data["replies"] / duration, 1) if duration else 0.0,
            latencies=latencies,
            errors=dict(data["errors"]),
            unavailable=dict(data["unavailable"]),
            replies=int(data["replies"]),
            bot_cpu_seconds=data.get("bot_cpu_seconds"),
        )


async def run_loadgen(ctx: BenchContext, emulator: Emulator, bot: Child, scenarios: str, first_user: int,
                      users: int, plan: ChatPlan, label: str) -> LoadOutcome:
    """Run `bench.loadgen` in its own process (watching the bot's CPU time) and read its result."""
    child = await Child.start(
        python_module("bench.loadgen", "--driver-url", emulator.driver_url, "--first-user", str(first_user),
                      "--users", str(users), "--scenarios", scenarios, "--warmup", str(plan.warmup),
                      "--duration", str(plan.duration), "--bot-pid", str(bot.pid)),
        ctx.logs("chat") / f"loadgen-{label}-{users}.log",
    )
    output = await child.read_all(plan.warmup + plan.duration + LOADGEN_TIMEOUT_EXTRA_SECONDS)
    return LoadOutcome.from_json(json.loads(output))


def _record_outcome(ctx: BenchContext, outcome: LoadOutcome, echo: LoadOutcome | None, **params: Any) -> None:
    record = ctx.recorder.record
    params = {**params, "users": outcome.users}
    record("chat", "replies_per_second", outcome.replies_per_second, "1/s", **params)
    if echo is not None and echo.replies_per_second:
        ratio = round(outcome.replies_per_second / echo.replies_per_second, 3)
        record("chat", "throughput_ratio_to_echo", ratio, "ratio", **params)
    if outcome.bot_cpu_ms_per_reply is not None:
        record("chat", "bot_cpu_per_reply", outcome.bot_cpu_ms_per_reply, "ms", **params)
        if echo is not None and echo.bot_cpu_ms_per_reply:
            ratio = round(outcome.bot_cpu_ms_per_reply / echo.bot_cpu_ms_per_reply, 2)
            record("chat", "bot_cpu_ratio_to_echo", ratio, "ratio", **params)
    echo_p99 = next(iter(echo.latencies.values())).p99_ms if echo and echo.latencies else None
    for scenario, summary in outcome.latencies.items():
        for name in ("p50", "p95", "p99"):
            record("chat", f"latency_{name}", getattr(summary, f"{name}_ms"), "ms",
                   scenario=scenario, samples=summary.count, **params)
        if echo_p99:
            record("chat", "p99_ratio_to_echo_p99", round(summary.p99_ms / echo_p99, 2), "ratio",
                   scenario=scenario, **params)
    for scenario, reason in outcome.unavailable.items():
        ctx.recorder.not_available("chat", "latency_p99", reason, scenario=scenario, **params)
    if outcome.errors:
        record("chat", "errors", sum(outcome.errors.values()), "count", detail=outcome.errors, **params)


async def measure_echo(ctx: BenchContext, plan: ChatPlan) -> dict[int, LoadOutcome]:
    """The ceiling: the echo bot under the same loads."""
    results: dict[int, LoadOutcome] = {}
    async with emulator_process(ctx.logs("chat"), flood_limits=False) as emulator:
        bot = await start_echo_bot(emulator, ctx.logs("chat"))
        try:
            for users in plan.users:
                outcome = await run_loadgen(ctx, emulator, bot, "echo", ECHO_USER_ID_BASE, users, plan, "echo")
                results[users] = outcome
                _record_outcome(ctx, outcome, None, bot="echo")
        finally:
            await bot.stop()
    return results


async def measure_bot(ctx: BenchContext, plan: ChatPlan, database: BenchDatabase, backend: str,
                      citizens: int, echo: dict[int, LoadOutcome]) -> None:
    """`healthbot run` on one database under each load."""
    await sign_in_users(database.url, max(plan.users))
    label = f"{backend}-{citizens}"
    async with emulator_process(ctx.logs("chat", label), flood_limits=False) as emulator:
        bot = await start_bot(emulator, database.url, ctx.logs("chat", label))
        watch = MemoryWatch(bot.pid).start()
        try:
            for mix in plan.mixes:
                for users in plan.users:
                    outcome = await run_loadgen(ctx, emulator, bot, mix, BENCH_USER_ID_BASE, users, plan,
                                                f"{label}-{mix}")
                    _record_outcome(ctx, outcome, echo.get(users), bot="healthbot", backend=backend,
                                    citizens=citizens, mix=mix)
        finally:
            await watch.stop()
            await bot.stop()
    ctx.recorder.record("footprint", "memory_under_load_peak", round(watch.peak_mb, 1), "MiB",
                        backend=backend, citizens=citizens, users=max(plan.users))


async def run_chat(ctx: BenchContext, plan: ChatPlan) -> None:
    """The echo ceiling, then our bot on every population and database."""
    echo = await measure_echo(ctx, plan)
    for citizens, source in plan.populations:
        for backend in ctx.backends:
            ensure = ensure_fhir if source == "fhir" else ensure_direct
            database = await ensure(ctx, backend, citizens)
            await measure_bot(ctx, plan, database, backend, citizens, echo)
