"""Flood control: per-chat, per-group and global limits, paid broadcasts, forced 429 and 5xx, counters."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from bot.emulator import BotApiEmulator, EmulatedUser, FloodLimits
from bot.emulator.errors import ApiError
from bot.emulator.flood import FloodControl
from tests.emulator.conftest import BOT_ID, RawApi


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def send_until_refused(
    control: FloodControl, chat_ids: Iterator[int], chat_type: str = "private", paid: bool = False
) -> tuple[int, int]:
    """Send to the next chat of `chat_ids` until refused; return how many passed and the retry_after."""
    for sent, chat_id in enumerate(chat_ids):
        try:
            control.check(BOT_ID, chat_id, chat_type, paid)
        except ApiError as error:
            assert error.retry_after is not None
            return sent, error.retry_after
        control.record(BOT_ID, chat_id, chat_type)
    raise AssertionError("never refused")


def test_private_chat_allows_a_burst_of_five_then_one_per_second() -> None:
    clock = FakeTime()
    control = FloodControl(FloodLimits(), clock)
    assert send_until_refused(control, itertools.repeat(1)) == (5, 1)
    clock.now += 1.0
    assert send_until_refused(control, itertools.repeat(1)) == (1, 1)
    clock.now += 10.0
    assert send_until_refused(control, itertools.repeat(1))[0] == 5


def test_group_allows_twenty_per_minute() -> None:
    clock = FakeTime()
    control = FloodControl(FloodLimits(), clock)
    assert send_until_refused(control, itertools.repeat(-5), "group") == (20, 60)
    clock.now += 30
    assert send_until_refused(control, itertools.repeat(-5), "group") == (0, 30)
    clock.now += 30
    assert send_until_refused(control, itertools.repeat(-5), "group")[0] == 20


def test_thirty_per_second_across_chats_and_a_thousand_with_paid_broadcast() -> None:
    clock = FakeTime()
    control = FloodControl(FloodLimits(), clock)
    assert send_until_refused(control, itertools.count(10_000)) == (30, 1)
    clock.now += 1.0
    assert send_until_refused(control, itertools.count(20_000), paid=True) == (1000, 1)


def test_limits_can_be_switched_off() -> None:
    control = FloodControl(FloodLimits.off(), FakeTime())
    for _ in range(5000):
        control.check(BOT_ID, 1, "private", False)
        control.record(BOT_ID, 1, "private")


async def test_http_answer_is_telegrams_429(emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser) -> None:
    for n in range(5):
        await api.ok("sendMessage", chat_id=lan.id, text=f"tin {n}")
    status, body = await api.call("sendMessage", chat_id=lan.id, text="tin 6")
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    assert emulator.counters[BOT_ID].too_many_requests == 1
    emulator.clock.advance(1.0)
    await api.ok("sendMessage", chat_id=lan.id, text="tin 6")
    assert len(lan.messages) == 6


async def test_broadcast_over_thirty_chats_per_second_needs_paid_broadcast(
    emulator: BotApiEmulator, api: RawApi
) -> None:
    emulator.limits = FloodLimits(global_per_second=3, paid_broadcast_per_second=6)
    users = [emulator.user(5000 + n) for n in range(8)]
    for user in users:
        await user.send("/start")
    results = [(await api.call("sendMessage", chat_id=user.id, text="Thông báo"))[0] for user in users[:4]]
    assert results == [200, 200, 200, 429]
    paid = [
        (await api.call("sendMessage", chat_id=user.id, text="Thông báo", allow_paid_broadcast=True))[0]
        for user in users[3:]
    ]
    assert paid == [200, 200, 200, 429, 429]
    assert emulator.counters[BOT_ID].paid_broadcast_messages == 3


async def test_forced_429_for_one_chat(emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser) -> None:
    other = emulator.user(4004)
    await other.send("hi")
    emulator.faults.force_retry_after(2, retry_after=7, chat_id=lan.id)
    assert (await api.ok("sendMessage", chat_id=other.id, text="ok"))["text"] == "ok"
    for _ in range(2):
        status, body = await api.call("sendMessage", chat_id=lan.id, text="x")
        assert (status, body["parameters"]) == (429, {"retry_after": 7})
    await api.ok("sendMessage", chat_id=lan.id, text="x")
    assert emulator.counters[BOT_ID].too_many_requests == 2


async def test_forced_server_errors(emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser) -> None:
    emulator.faults.force_server_error(1, status=502)
    emulator.faults.force_server_error(1, status=500, methods=frozenset({"getme"}))
    assert await api.call("sendMessage", chat_id=lan.id, text="x") == (
        502,
        {"ok": False, "error_code": 502, "description": "Bad Gateway"},
    )
    assert (await api.call("getMe"))[0] == 500
    await api.ok("sendMessage", chat_id=lan.id, text="x")
    await api.ok("getMe")
    assert emulator.counters[BOT_ID].server_errors == 2


@pytest.mark.parametrize(
    "limits", [FloodLimits.off(), FloodLimits(private_chat_burst=50, global_per_second=50)]
)
async def test_bursts_within_configured_limits_pass(
    emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser, limits: FloodLimits
) -> None:
    emulator.limits = limits
    for n in range(40):
        await api.ok("sendMessage", chat_id=lan.id, text=str(n))
    assert emulator.counters[BOT_ID].too_many_requests == 0
