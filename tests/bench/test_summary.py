"""Markdown tables for BENCHMARKS.md from results files."""

from __future__ import annotations

import io
from pathlib import Path

from bench.report import Recorder
from bench.summary import chat_tables, read_records


def test_a_later_run_replaces_the_same_measurement_and_tables_show_it(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    old = Recorder(first, stream=io.StringIO())
    old.record("chat", "replies_per_second", 10.0, "1/s", bot="healthbot", backend="sqlite", users=50)
    new = Recorder(second, stream=io.StringIO())
    new.record("chat", "replies_per_second", 60.0, "1/s", bot="healthbot", backend="sqlite", users=50)
    new.record("chat", "throughput_ratio_to_echo", 0.5, "ratio", bot="healthbot", backend="sqlite", users=50)
    new.record("chat", "bot_cpu_per_reply", 4.5, "ms", bot="healthbot", backend="sqlite", users=50)
    new.record("chat", "latency_p99", 250.0, "ms", bot="healthbot", backend="sqlite", users=50,
               scenario="record_summary")
    new.not_available("chat", "latency_p99", "no /insurance", bot="healthbot", backend="sqlite", users=50,
                      scenario="insurance")

    records = read_records([first, second])
    tables = chat_tables(records)

    assert len(records) == 5
    assert "| healthbot | sqlite | - | - | 50 | 60.0 | 0.5 | 4.5 |  | 0 |" in tables
    assert "| healthbot | sqlite | - | - | 50 | record_summary |  |  | 250.0 |  |" in tables
    assert "| healthbot | sqlite | - | - | 50 | insurance |  |  | not available |  |" in tables
