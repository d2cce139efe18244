"""How fast and how patiently the broadcast sender works: rate, in-flight bound, batches, leases."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

PAID_BROADCAST_MAX_RATE = 1000.0
TELEGRAM_GLOBAL_LIMIT = 30.0


@dataclass(frozen=True)
class SenderConfig:
    """How fast and how patiently the sender works."""

    rate_per_second: float = 25.0
    paid_broadcast: bool = False
    per_chat_interval: float = 1.0
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 8
    idle_seconds: float = 1.0
    progress_interval: timedelta = timedelta(seconds=3)
    heartbeat_seconds: float = 5.0
    concurrency: int = 32  # HTTP connections; messages in flight are bounded by in_flight_limit
    max_batch: int = 500
    record_interval: float = 0.5  # seconds between writes of outcomes while a batch is sent

    @property
    def batch_size(self) -> int:
        """Deliveries claimed at once: about two seconds of sending, at most `max_batch`."""
        return max(1, min(self.max_batch, max(5, int(self.effective_rate * 2))))

    def in_flight_limit(self, live_senders: int = 1) -> int:
        """Messages sent but not yet answered, per sender.

        What the server has not processed yet can land in the same second as the next `rate`
        messages, so only the headroom under Telegram's limit (about 30 per second) may be in
        flight, shared by the live senders: 25 per second leaves 5.
        """
        headroom = self._global_limit - self.effective_rate
        own_share = self.concurrency // live_senders if self.paid_broadcast else self.concurrency
        return max(1, min(own_share, math.floor(headroom / live_senders)))

    @property
    def effective_rate(self) -> float:
        """The configured rate; paid broadcasts up to 1000 per second less the messages in flight.

        Without that margin the answers still on their way when a second ends land in the next
        one on top of a full second's sending: 429s at a configured 1,000 per second.
        """
        if not self.paid_broadcast:
            return self.rate_per_second
        return min(self.rate_per_second, PAID_BROADCAST_MAX_RATE - self.concurrency)

    @property
    def _global_limit(self) -> float:
        return PAID_BROADCAST_MAX_RATE if self.paid_broadcast else TELEGRAM_GLOBAL_LIMIT
