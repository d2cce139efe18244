"""Broadcast: a notice to every linked citizen through the emulator with Telegram-like flood limits.

The emulator runs in this process (so every message it accepted can be counted per chat);
the notice is created with `healthbot notice send --audience all --yes` and delivered by
`healthbot broadcast worker`, a separate process whose memory is sampled. Measured: achieved
rate against the configured one (first to last message), 429s, recipients reached, missed,
duplicates, time to finish (worker start to the last delivery) and the worker's peak memory.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

from bench.context import BenchContext
from bench.databases import link_first_citizens
from bench.datasets import ensure_direct, run_measured
from bench.procs import Child, MemoryWatch, cpu_seconds, healthbot
from bench.services import BOT_TOKEN
from bot.emulator import BotApiEmulator

NOTICE_TEXT = "Thông báo: chiến dịch tiêm chủng sởi tại trạm y tế xã từ ngày 01/12."
POLL_SECONDS = 0.1
SLOWEST_EXPECTED_RATE = 50.0
"""The run is given up when slower than this (or the configured rate, if lower)."""
SETTLE_SECONDS = 5.0
"""How long to keep watching after the last recipient was reached (late duplicates)."""


@dataclass(frozen=True, slots=True)
class BroadcastPlan:
    """Recipients at the default rate and with paid-broadcast pacing."""

    recipients: int
    paid_recipients: int
    default_rate: float = 25.0
    paid_rate: float = 1000.0


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the emulator saw of one broadcast."""

    reached: int
    duplicates: int
    too_many_requests: int
    first_to_last_seconds: float
    time_to_finish: float
    complete: bool
    worker_cpu_seconds: float
    harness_cpu_seconds: float
    """CPU of this process (the emulator's HTTP server and the counting) while the worker ran."""


async def _create_notice(ctx: BenchContext, url: str, label: str) -> None:
    await run_measured(
        healthbot("notice", "send", "--template", "free", "--text", NOTICE_TEXT, "--audience", "all", "--yes"),
        ctx.logs("broadcast") / f"notice-{label}.log",
        {"DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
    )


def _observe(emulator: BotApiEmulator, bot_id: int, recipients: set[int]) -> tuple[list[float], Counter[int]]:
    dates: list[float] = []
    per_chat: Counter[int] = Counter()
    for message in emulator.sent_messages(bot_id):
        if message.chat_id in recipients:
            dates.append(message.date)
            per_chat[message.chat_id] += 1
    return dates, per_chat


async def deliver(ctx: BenchContext, url: str, user_ids: list[int], rate: float, paid: bool,
                  label: str) -> tuple[Delivery, float]:
    """Run the worker against a fresh flood-limited emulator until everyone is reached."""
    async with BotApiEmulator() as emulator:
        bot = emulator.register_bot(BOT_TOKEN)
        for user_id in user_ids:  # a bot can only write to users who started it
            await emulator.user(user_id, first_name="Dân").send("/start")
        await _create_notice(ctx, url, label)
        recipients = set(user_ids)
        env = {"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_BASE_URL": emulator.base_url,
               "BROADCAST_RATE_PER_SECOND": str(rate), "BROADCAST_ALLOW_PAID": "true" if paid else "false",
               "LOG_LEVEL": "INFO", "PTB_TIMEDELTA": "true"}
        started, harness_cpu = time.perf_counter(), time.process_time()
        worker = await Child.start(healthbot("broadcast", "worker"), ctx.logs("broadcast") / f"worker-{label}.log", env)
        watch = MemoryWatch(worker.pid).start()
        deadline = started + len(user_ids) / min(rate, SLOWEST_EXPECTED_RATE) + 120
        finished_at = None
        worker_cpu = 0.0
        try:
            while time.perf_counter() < deadline and worker.running():
                await asyncio.sleep(POLL_SECONDS)
                sent = emulator.counters[bot.id].messages_sent
                if finished_at is None and sent >= len(recipients) and \
                        len(_observe(emulator, bot.id, recipients)[1]) >= len(recipients):
                    finished_at = time.perf_counter()
                if finished_at is not None and time.perf_counter() - finished_at >= SETTLE_SECONDS:
                    break
                worker_cpu = cpu_seconds(worker.pid) or worker_cpu
        finally:
            await watch.stop()
            await worker.stop()
        harness_cpu = time.process_time() - harness_cpu
        dates, per_chat = _observe(emulator, bot.id, recipients)
        counters = emulator.counters[bot.id]
    delivery = Delivery(
        reached=len(per_chat), duplicates=sum(per_chat.values()) - len(per_chat),
        too_many_requests=counters.too_many_requests,
        first_to_last_seconds=(max(dates) - min(dates)) if len(dates) > 1 else 0.0,
        time_to_finish=(finished_at or time.perf_counter()) - started, complete=finished_at is not None,
        worker_cpu_seconds=worker_cpu, harness_cpu_seconds=harness_cpu,
    )
    return delivery, watch.peak_mb


async def measure(ctx: BenchContext, recipients: int, rate: float, paid: bool) -> None:
    """One broadcast to `recipients` linked citizens at `rate`."""
    backend = ctx.backends[0]
    database = await ensure_direct(ctx, backend, recipients, name="broadcast", reuse=False)
    user_ids = await link_first_citizens(database.url, recipients)
    label = f"{'paid' if paid else 'default'}-{recipients}"
    delivery, peak = await deliver(ctx, database.url, user_ids, rate, paid, label)
    achieved = (delivery.reached + delivery.duplicates - 1) / delivery.first_to_last_seconds \
        if delivery.first_to_last_seconds else 0.0
    params = {"recipients": recipients, "configured_rate": rate, "paid": paid, "backend": backend}
    record = ctx.recorder.record
    record("broadcast", "achieved_rate", round(achieved, 1), "1/s", **params)
    record("broadcast", "achieved_share_of_configured", round(achieved / rate, 3), "ratio", **params)
    record("broadcast", "too_many_requests", delivery.too_many_requests, "count", **params)
    record("broadcast", "recipients_reached", delivery.reached, "count", **params)
    record("broadcast", "recipients_missed", recipients - delivery.reached, "count", **params)
    record("broadcast", "duplicates", delivery.duplicates, "count", **params)
    record("broadcast", "time_to_finish", round(delivery.time_to_finish, 1), "s", complete=delivery.complete,
           **params)
    record("broadcast", "worker_peak_memory", round(peak, 1), "MiB", **params)
    sent = max(delivery.reached + delivery.duplicates, 1)
    record("broadcast", "worker_cpu_per_message", round(1000 * delivery.worker_cpu_seconds / sent, 3), "ms",
           note="worker process CPU (user+system, start-up included) / messages sent", **params)
    record("broadcast", "emulator_cpu_per_message", round(1000 * delivery.harness_cpu_seconds / sent, 3), "ms",
           note="benchmark process (in-process emulator) CPU while the worker ran / messages sent", **params)


async def run_default_rate(ctx: BenchContext, plan: BroadcastPlan) -> None:
    """A notice at the configured default rate."""
    await measure(ctx, plan.recipients, plan.default_rate, paid=False)


async def run_paid(ctx: BenchContext, plan: BroadcastPlan) -> None:
    """A notice with paid-broadcast pacing."""
    await measure(ctx, plan.paid_recipients, plan.paid_rate, paid=True)
