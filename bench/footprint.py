"""Footprint: start-up time to the first answered update, resident memory idle and under load.

Start-up is timed from launching `healthbot run` to the reply to a /start that a user sent
before the process existed (so it includes interpreter start, imports, migration check,
post_init and the first update). Idle memory is VmRSS after some quiet seconds; memory under
load is the peak while a closed-loop load runs.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

import aiohttp

from bench.chat import ChatPlan, run_loadgen
from bench.context import BenchContext
from bench.databases import BENCH_USER_ID_BASE, sign_in_users
from bench.datasets import ensure_direct
from bench.driver_client import DriverClient
from bench.procs import Child, MemoryWatch, healthbot
from bench.services import BOT_TOKEN, Emulator, bot_environment, emulator_process, register


@dataclass(frozen=True, slots=True)
class FootprintPlan:
    """Population, how many cold starts, quiet time before the idle sample, and the load."""

    citizens: int
    startups: int
    idle_seconds: float
    load: ChatPlan


async def cold_start(ctx: BenchContext, emulator: Emulator, database_url: str, label: str) -> tuple[Child, float]:
    """Launch the bot with a /start already waiting; returns the process and seconds to the reply."""
    await register(emulator, BOT_TOKEN)
    async with aiohttp.ClientSession() as session:
        client = DriverClient(emulator.driver_url, session)
        message_id = await client.send(BENCH_USER_ID_BASE, "/start")
        started = time.perf_counter()
        child = await Child.start(healthbot("run"), ctx.logs("footprint") / f"bot-{label}.log",
                                  bot_environment(emulator, database_url))
        await client.reply_to(BENCH_USER_ID_BASE, message_id, timeout=120)
        return child, time.perf_counter() - started


async def measure_backend(ctx: BenchContext, plan: FootprintPlan, backend: str) -> None:
    """Cold starts, idle memory and memory under load on one database."""
    database = await ensure_direct(ctx, backend, plan.citizens)
    await sign_in_users(database.url, max(plan.load.users))
    startups = []
    for attempt in range(plan.startups):
        async with emulator_process(ctx.logs("footprint"), flood_limits=False) as emulator:
            bot, seconds = await cold_start(ctx, emulator, database.url, f"{backend}-{attempt}")
            startups.append(seconds)
            try:
                if attempt == plan.startups - 1:
                    await _memory(ctx, plan, emulator, bot, backend)
            finally:
                await bot.stop()
    record = ctx.recorder.record
    record("footprint", "startup_to_first_answer_median", round(statistics.median(startups), 2), "s",
           backend=backend, runs=len(startups), all=[round(s, 2) for s in startups])
    record("footprint", "startup_to_first_answer_max", round(max(startups), 2), "s", backend=backend)


async def _memory(ctx: BenchContext, plan: FootprintPlan, emulator: Emulator, bot: Child, backend: str) -> None:
    await asyncio.sleep(plan.idle_seconds)
    watch = MemoryWatch(bot.pid)
    idle = watch.sample()
    if idle is not None:
        ctx.recorder.record("footprint", "idle_memory", idle.rss_mb, "MiB", backend=backend,
                            after_seconds=plan.idle_seconds, citizens=plan.citizens)
    watch.start()
    users = max(plan.load.users)
    await run_loadgen(ctx, emulator, bot, "citizen", BENCH_USER_ID_BASE, users, plan.load, f"footprint-{backend}")
    await watch.stop()
    ctx.recorder.record("footprint", "memory_under_load_peak", round(watch.peak_mb, 1), "MiB",
                        backend=backend, users=users, citizens=plan.citizens)


async def run_footprint(ctx: BenchContext, plan: FootprintPlan) -> None:
    """Footprint on every database."""
    for backend in ctx.backends:
        await measure_backend(ctx, plan, backend)
