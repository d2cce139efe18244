"""Percentiles and latency summaries of the benchmark harness."""

from __future__ import annotations

import pytest

from bench.stats import LatencySummary, percentile


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [40.0, 10.0, 30.0, 20.0]  # unsorted on purpose

    assert percentile(values, 0.0) == 10.0
    assert percentile(values, 1.0) == 40.0
    assert percentile(values, 0.5) == pytest.approx(25.0)
    assert percentile(values, 0.9) == pytest.approx(37.0)


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.5], 0.99) == 7.5


def test_p99_of_a_hundred_values_sits_near_the_top() -> None:
    values = [float(n) for n in range(1, 101)]

    assert percentile(values, 0.99) == pytest.approx(99.01)
    assert percentile(values, 0.95) == pytest.approx(95.05)


@pytest.mark.parametrize("fraction", [-0.1, 1.01])
def test_percentile_refuses_fractions_outside_zero_to_one(fraction: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile([1.0, 2.0], fraction)


def test_percentile_refuses_no_values() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


def test_latency_summary_reports_milliseconds() -> None:
    summary = LatencySummary.of([0.010, 0.020, 0.030, 0.040, 1.0])

    assert summary.count == 5
    assert summary.p50_ms == 30.0
    assert summary.max_ms == 1000.0
    assert summary.mean_ms == 220.0
    assert summary.p50_ms <= summary.p95_ms <= summary.p99_ms <= summary.max_ms


def test_latency_summary_needs_latencies() -> None:
    with pytest.raises(ValueError):
        LatencySummary.of([])
