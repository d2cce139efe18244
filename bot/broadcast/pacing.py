"""Pacing the sender: a global rate, one message per chat per interval, and pauses after a 429."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable

TimeSource = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    """Evenly spaced send slots at `rate` per second, never more than `rate` in any sliding second.

    Slots are reserved ahead at 1/rate intervals; a task that wakes late (a busy event loop) is
    also held by the window of actual releases, so late slots cannot bunch up into a burst.
    A pause (a 429's retry_after) holds every slot back.
    """

    def __init__(
        self, rate: float, *, now: TimeSource = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._now, self._sleep = now, sleep
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._released: deque[float] = deque()
        self.rate = rate

    @property
    def rate(self) -> float:
        """Slots per second."""
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        if value <= 0:
            raise ValueError("the rate must be positive")
        self._rate = value

    @property
    def paused(self) -> bool:
        """True while a 429's retry_after is running."""
        return self._paused_until > self._now()

    def pause(self, seconds: float) -> None:
        """Hold every slot back for `seconds` (a 429's retry_after)."""
        self._paused_until = max(self._paused_until, self._now() + seconds)
        self._next_slot = max(self._next_slot, self._paused_until)

    async def wait_unpaused(self) -> None:
        """Return once no pause is running."""
        while (remaining := self._paused_until - self._now()) > 0:
            await self._sleep(remaining)

    async def take_slot(self) -> bool:
        """Wait for the next slot; False when a pause began (the caller gives up its turn)."""
        now = self._now()
        if self._paused_until > now:
            return False
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self._rate
        if slot > now:
            await self._sleep(slot - now)
        capacity = max(1, math.floor(self._rate))
        while True:
            if self.paused:
                return False
            now = self._now()
            while self._released and self._released[0] <= now - 1.0:
                self._released.popleft()
            if len(self._released) < capacity:
                self._released.append(now)
                return True
            await self._sleep(self._released[0] + 1.0 - now)


class InFlight:
    """At most `limit` messages sent and not yet answered; the limit may change at any time.

    Waiters are served first come, first served, and a finished message hands its slot to one
    waiter only (a condition's notify_all woke every queued message of a batch on each answer).
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._count = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def in_use(self) -> int:
        """Slots held now."""
        return self._count

    async def set_limit(self, limit: int) -> None:
        """Change the limit; waiting senders may go at once if it grew."""
        self.limit = max(1, limit)
        self._hand_over()

    def _hand_over(self) -> None:
        while self._waiters and self._count < self.limit:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._count += 1  # the slot belongs to the waiter from now on
                waiter.set_result(None)

    async def _acquire(self) -> None:
        if self._count < self.limit and not self._waiters:
            self._count += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a slot while being cancelled
                self._release()
            raise

    def _release(self) -> None:
        self._count -= 1
        self._hand_over()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the slots while a message is on its way."""
        await self._acquire()
        try:
            yield
        finally:
            self._release()


class ChatSpacing:
    """At most one message per chat per `interval` seconds, within this process."""

    def __init__(
        self,
        interval: float = 1.0,
        *,
        now: TimeSource = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._interval, self._now, self._sleep = interval, now, sleep
        self._next: dict[int, float] = {}

    async def wait(self, chat_id: int) -> None:
        """Wait until this chat may get its next message, and reserve that moment."""
        now = self._now()
        slot = max(now, self._next.get(chat_id, 0.0))
        self._next[chat_id] = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)

    def forget_old(self) -> None:
        """Drop chats whose interval has passed, so the map stays small."""
        now = self._now()
        for chat_id in [chat for chat, moment in self._next.items() if moment <= now]:
            del self._next[chat_id]
