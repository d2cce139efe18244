"""Latency statistics: percentiles by linear interpolation between closest ranks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` (0..1) percentile of `values`, interpolated like numpy's default.

    Raises:
        ValueError: no values, or a fraction outside 0..1.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must be between 0 and 1")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


@dataclass(frozen=True, slots=True)
class LatencySummary:
    """Percentiles of a set of latencies, in milliseconds."""

    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> LatencySummary:
        """Summarise latencies given in seconds."""
        if not seconds:
            raise ValueError("no latencies to summarise")
        milliseconds = [value * 1000.0 for value in seconds]
        return cls(
            count=len(milliseconds),
            p50_ms=round(percentile(milliseconds, 0.50), 2),
            p95_ms=round(percentile(milliseconds, 0.95), 2),
            p99_ms=round(percentile(milliseconds, 0.99), 2),
            max_ms=round(max(milliseconds), 2),
            mean_ms=round(sum(milliseconds) / len(milliseconds), 2),
        )
