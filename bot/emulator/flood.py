"""Flood control (HTTP 429) and injected faults.

Telegram does not publish exact limits. The model here: at most 30 messages in any sliding second per
bot (1000 when the message sets allow_paid_broadcast), at most 20 in any sliding minute per group, and in a
private chat a token bucket of 5 messages refilled at 1 per second ("about one message per second, short
bursts allowed").
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.emulator.errors import ApiError, too_many_requests


@dataclass(frozen=True)
class FloodLimits:
    """Sending limits; `enabled=False` switches flood control off (throughput benchmarks)."""

    enabled: bool = True
    global_per_second: int = 30
    paid_broadcast_per_second: int = 1000
    private_chat_burst: int = 5
    private_chat_per_second: float = 1.0
    group_per_minute: int = 20

    @classmethod
    def off(cls) -> FloodLimits:
        """Return limits that never answer 429."""
        return cls(enabled=False)


class _SlidingWindow:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.times: deque[float] = deque()

    def retry_after(self, now: float, limit: int) -> int | None:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < limit:
            return None
        blocking = self.times[len(self.times) - limit]
        return max(1, math.ceil(blocking + self.seconds - now))

    def record(self, now: float) -> None:
        self.times.append(now)


class _TokenBucket:
    def __init__(self, capacity: int, rate: float, now: float) -> None:
        self.capacity, self.rate = capacity, rate
        self.tokens, self.updated = float(capacity), now

    def retry_after(self, now: float) -> int | None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            return None
        return max(1, math.ceil((1 - self.tokens) / self.rate))

    def record(self) -> None:
        self.tokens -= 1


class FloodControl:
    """Per-bot, per-chat and per-group sending limits."""

    def __init__(self, limits: FloodLimits, monotonic: Callable[[], float]) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._global: dict[int, _SlidingWindow] = {}
        self._groups: dict[tuple[int, int], _SlidingWindow] = {}
        self._private: dict[tuple[int, int], _TokenBucket] = {}

    def check(self, bot_id: int, chat_id: int, chat_type: str, paid_broadcast: bool) -> None:
        """Raise 429 if sending one more message now would exceed a limit.

        Raises:
            ApiError: 429 `Too Many Requests: retry after N` with parameters.retry_after.
        """
        if not self.limits.enabled:
            return
        now = self._monotonic()
        global_limit = (
            self.limits.paid_broadcast_per_second if paid_broadcast else self.limits.global_per_second
        )
        delays = [self._global.setdefault(bot_id, _SlidingWindow(1.0)).retry_after(now, global_limit)]
        if chat_type == "private":
            delays.append(self._bucket(bot_id, chat_id, now).retry_after(now))
        else:
            window = self._groups.setdefault((bot_id, chat_id), _SlidingWindow(60.0))
            delays.append(window.retry_after(now, self.limits.group_per_minute))
        worst = max((delay for delay in delays if delay is not None), default=None)
        if worst is not None:
            raise too_many_requests(worst)

    def record(self, bot_id: int, chat_id: int, chat_type: str) -> None:
        """Count one message sent now."""
        now = self._monotonic()
        self._global.setdefault(bot_id, _SlidingWindow(1.0)).record(now)
        if chat_type == "private":
            self._bucket(bot_id, chat_id, now).record()
        else:
            self._groups.setdefault((bot_id, chat_id), _SlidingWindow(60.0)).record(now)

    def _bucket(self, bot_id: int, chat_id: int, now: float) -> _TokenBucket:
        bucket = self._private.get((bot_id, chat_id))
        if bucket is None:
            bucket = _TokenBucket(self.limits.private_chat_burst, self.limits.private_chat_per_second, now)
            self._private[(bot_id, chat_id)] = bucket
        return bucket


@dataclass
class _Fault:
    remaining: int
    error: ApiError
    sends_only: bool
    bot_id: int | None
    chat_id: int | None
    methods: frozenset[str] | None


class FaultInjector:
    """Test hook: make the next requests fail with 429 or a transient 5xx."""

    def __init__(self) -> None:
        self._faults: list[_Fault] = []

    def force_retry_after(
        self, count: int, retry_after: int, chat_id: int | None = None, bot_id: int | None = None
    ) -> None:
        """Answer the next `count` message sends (to `chat_id`, or any chat) with 429 and `retry_after`."""
        self._faults.append(_Fault(count, too_many_requests(retry_after), True, bot_id, chat_id, None))

    def force_server_error(
        self,
        count: int,
        status: int = 500,
        methods: frozenset[str] | None = None,
        bot_id: int | None = None,
    ) -> None:
        """Answer the next `count` requests with a 5xx.

        `methods` holds lower-case method names; by default every method but getUpdates is affected.
        """
        description = "Bad Gateway" if status == 502 else "Internal Server Error"
        self._faults.append(_Fault(count, ApiError(status, description), False, bot_id, None, methods))

    def take_server_error(self, bot_id: int, method: str) -> ApiError | None:
        """Return the forced 5xx for a request of `method` (lower-case), if one applies, and count it down."""
        return self._take(
            lambda fault: (
                not fault.sends_only
                and fault.bot_id in (None, bot_id)
                and (method in fault.methods if fault.methods is not None else method != "getupdates")
            )
        )

    def take_send_failure(self, bot_id: int, chat_id: int) -> ApiError | None:
        """Return the forced 429 for a message sent to `chat_id`, if one applies, and count it down."""
        return self._take(
            lambda fault: (
                fault.sends_only and fault.bot_id in (None, bot_id) and fault.chat_id in (None, chat_id)
            )
        )

    def _take(self, applies: Callable[[_Fault], bool]) -> ApiError | None:
        for fault in self._faults:
            if applies(fault):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault.error
        return None
