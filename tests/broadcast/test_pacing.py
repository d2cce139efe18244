"""Pacing: evenly spaced global slots, one message per chat per second, and 429 pauses."""

from __future__ import annotations

import asyncio

from bot.broadcast.pacing import ChatSpacing, InFlight, Pacer
from bot.broadcast.sender_config import SenderConfig


class ManualTime:
    """Time that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds + self.lag
        self.lag = 0.0

    lag = 0.0


async def test_slots_are_spaced_by_the_rate() -> None:
    time = ManualTime()
    pacer = Pacer(25, now=time, sleep=time.sleep)
    moments = []
    for _ in range(50):
        assert await pacer.take_slot()
        moments.append(time.now)
    gaps = {round(b - a, 6) for a, b in zip(moments, moments[1:], strict=False)}
    assert gaps == {0.04}
    assert abs(moments[-1] - moments[0] - 49 * 0.04) < 1e-9


async def test_a_late_wake_up_cannot_turn_into_a_burst() -> None:
    time = ManualTime()
    pacer = Pacer(10, now=time, sleep=time.sleep)
    releases = []
    for index in range(40):
        if index == 5:
            time.lag = 0.7  # the event loop was busy: this task wakes 0.7 s late
        assert await pacer.take_slot()
        releases.append(time.now)
    busiest = max(sum(1 for r in releases if start <= r < start + 1.0 - 1e-9) for start in releases)
    assert busiest <= 10


async def test_a_pause_holds_every_slot_and_gives_back_the_waiting_turn() -> None:
    time = ManualTime()
    pacer = Pacer(10, now=time, sleep=time.sleep)
    assert await pacer.take_slot()
    pacer.pause(3)
    assert pacer.paused
    assert not await pacer.take_slot(), "a turn asked for during a pause is given up"
    await pacer.wait_unpaused()
    assert time.now == 103.0 and not pacer.paused
    assert await pacer.take_slot()
    assert time.now == 103.0


async def test_the_rate_can_be_shared_and_must_stay_positive() -> None:
    pacer = Pacer(30)
    pacer.rate = 15
    assert pacer.rate == 15
    try:
        pacer.rate = 0
    except ValueError:
        pass
    else:
        raise AssertionError("a zero rate must be refused")


async def test_one_chat_waits_a_second_between_messages_but_others_do_not() -> None:
    time = ManualTime()
    spacing = ChatSpacing(1.0, now=time, sleep=time.sleep)
    await spacing.wait(7)
    await spacing.wait(8)
    assert time.now == 100.0
    await spacing.wait(7)
    assert time.now == 101.0
    spacing.forget_old()
    await spacing.wait(8)
    assert time.now == 101.0


async def test_in_flight_slots_wait_for_answers_and_follow_a_changed_limit() -> None:
    in_flight = InFlight(2)
    order: list[str] = []
    release = asyncio.Event()

    async def send(name: str) -> None:
        async with in_flight.slot():
            order.append(f"start {name}")
            await release.wait()
            order.append(f"end {name}")

    tasks = [asyncio.create_task(send(name)) for name in "abc"]
    await asyncio.sleep(0.01)
    assert order == ["start a", "start b"], "the third waits for an answer"
    await in_flight.set_limit(3)
    await asyncio.sleep(0.01)
    assert order == ["start a", "start b", "start c"]
    release.set()
    await asyncio.gather(*tasks)


def test_only_the_headroom_under_telegrams_limit_is_in_flight() -> None:
    assert SenderConfig(rate_per_second=25).in_flight_limit() == 5
    assert SenderConfig(rate_per_second=25).in_flight_limit(live_senders=2) == 2
    assert SenderConfig(rate_per_second=30).in_flight_limit() == 1
    assert SenderConfig(rate_per_second=10).in_flight_limit() == 20
    assert SenderConfig(rate_per_second=900, paid_broadcast=True).in_flight_limit(2) == 16


def test_paid_broadcasts_leave_room_under_the_paid_limit_for_messages_in_flight() -> None:
    paid = SenderConfig(rate_per_second=1000, paid_broadcast=True)
    assert paid.effective_rate + paid.in_flight_limit() <= 1000
    assert (paid.effective_rate, paid.in_flight_limit()) == (968, 32)
    assert SenderConfig(rate_per_second=5000, paid_broadcast=True).effective_rate == 968
    shared = SenderConfig(rate_per_second=1000, paid_broadcast=True)
    assert shared.effective_rate + 2 * shared.in_flight_limit(live_senders=2) <= 1000
