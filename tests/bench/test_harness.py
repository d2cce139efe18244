"""The chat harness against the real emulator: scenarios, probing and the closed loop, with the echo bot."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bench.chat import LoadOutcome
from bench.driver_client import DriverClient
from bench.echo_bot import build
from bench.loadgen import LoadResult, available_scenarios, closed_loop
from bench.scenarios import ECHO_SCENARIOS, UNKNOWN_COMMAND, PressButton, SendText
from bot.emulator import BotApiEmulator
from bot.emulator.flood import FloodLimits

TOKEN = "424242:" + "E" * 35
USER = 1001


@pytest.fixture
async def client(emulator: BotApiEmulator) -> AsyncIterator[DriverClient]:
    """A driver client, with the bare echo bot polling the emulator (no flood limits, as benchmarked)."""
    emulator.limits = FloodLimits.off()
    application = build(TOKEN, emulator.base_url)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    async with aiohttp.ClientSession() as session:
        yield DriverClient(emulator.driver_url, session)
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def unknown_reply(client: DriverClient) -> str:
    message_id = await client.send(USER, UNKNOWN_COMMAND)
    return str((await client.reply_to(USER, message_id))["text"])


async def test_a_text_the_bot_answers_is_available_and_timed(client: DriverClient) -> None:
    unknown = await unknown_reply(client)

    assert await SendText("Xin chào").probe(client, USER, unknown) is None
    assert 0 < await SendText("Xin chào").run(client, USER) < 5


async def test_a_command_answered_like_an_unknown_one_is_not_available(client: DriverClient) -> None:
    unknown = await unknown_reply(client)

    reason = await SendText(UNKNOWN_COMMAND).probe(client, USER, unknown)

    assert reason == f"the bot answers {UNKNOWN_COMMAND} like an unknown command"


async def test_a_missing_button_is_not_available(client: DriverClient) -> None:
    unknown = await unknown_reply(client)

    reason = await PressButton("/record", "rec:v:1").probe(client, USER, unknown)

    assert reason == "no 'rec:v:1' button on the reply to /record"


async def test_the_closed_loop_counts_answers_of_every_user(client: DriverClient) -> None:
    result = LoadResult()
    scenarios = await available_scenarios(client, USER, ECHO_SCENARIOS, result)

    await closed_loop(client, [USER, USER + 1, USER + 2], scenarios, warmup=0.2, duration=1.0, result=result)

    assert result.unavailable == {}
    assert not result.errors
    assert result.users == 3
    assert result.replies == len(result.latencies["echo"]) > 3
    assert all(latency > 0 for latency in result.latencies["echo"])


async def test_the_closed_loop_reports_the_bot_process_cpu_time_inside_the_window(client: DriverClient) -> None:
    result = LoadResult()
    scenarios = await available_scenarios(client, USER, ECHO_SCENARIOS, result)

    # The echo bot runs in this process: its CPU time is ours.
    await closed_loop(client, [USER, USER + 1], scenarios, warmup=0.2, duration=1.0, result=result,
                      bot_pid=os.getpid())
    outcome = LoadOutcome.from_json(result.to_json())

    assert result.bot_cpu_seconds is not None and 0 < result.bot_cpu_seconds < 1.5 * os.cpu_count()
    assert outcome.replies == result.replies > 0
    assert outcome.bot_cpu_ms_per_reply == round(1000 * result.bot_cpu_seconds / result.replies, 2)


async def test_the_cpu_time_of_a_process_gone_before_the_window_ends_is_not_reported(
    client: DriverClient,
) -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    result = LoadResult()
    scenarios = await available_scenarios(client, USER, ECHO_SCENARIOS, result)

    await closed_loop(client, [USER], scenarios, warmup=0.1, duration=0.3, result=result, bot_pid=finished.pid)

    assert result.bot_cpu_seconds is None
    assert LoadOutcome.from_json(result.to_json()).bot_cpu_ms_per_reply is None


def test_an_outcome_without_replies_or_cpu_time_has_no_cpu_per_reply() -> None:
    data = {"latencies": {}, "replies": 0, "errors": {}, "unavailable": {}, "duration": 1.0, "users": 1,
            "bot_cpu_seconds": 0.5}

    assert LoadOutcome.from_json(data).bot_cpu_ms_per_reply is None
    assert LoadOutcome.from_json({**data, "replies": 100}).bot_cpu_ms_per_reply == 5.0
    assert LoadOutcome.from_json({**data, "replies": 100, "bot_cpu_seconds": None}).bot_cpu_ms_per_reply is None
