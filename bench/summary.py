"""Markdown tables from results files, for BENCHMARKS.md.

    python -m bench.summary bench/results/20261126T021301Z-quick.jsonl [more.jsonl ...]

Later files win where two measure the same thing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Record = dict[str, Any]
_IDENTITY_PARAMS = ("bot", "backend", "citizens", "mix", "users", "scenario", "recipients", "paid", "label", "visits")


def read_records(paths: Iterable[Path]) -> list[Record]:
    """Every measurement of the files, later ones replacing earlier ones with the same identity."""
    chosen: dict[tuple[Any, ...], Record] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                params = record.get("params", {})
                key = (record["benchmark"], record["metric"], *(str(params.get(p)) for p in _IDENTITY_PARAMS))
                chosen[key] = record
    return list(chosen.values())


def _value(record: Record) -> str:
    if record["status"] != "ok":
        return record["status"].replace("_", " ")
    value = record["value"]
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _order(item: tuple[tuple[Any, ...], Any]) -> tuple[str, ...]:
    return tuple(str(part).zfill(12) for part in item[0])


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


RUN_METRICS = ("replies_per_second", "throughput_ratio_to_echo", "bot_cpu_per_reply", "bot_cpu_ratio_to_echo",
               "errors")


def chat_tables(records: list[Record]) -> str:
    """Throughput per run, then latency per scenario."""
    chat = [r for r in records if r["benchmark"] == "chat"]
    runs: dict[tuple[Any, ...], dict[str, str]] = {}
    latency: dict[tuple[Any, ...], dict[str, str]] = {}
    for record in chat:
        p = record["params"]
        run = (p.get("bot"), p.get("backend", "-"), p.get("citizens", "-"), p.get("mix", "-"), p.get("users"))
        if record["metric"] in RUN_METRICS:
            runs.setdefault(run, {})[record["metric"]] = _value(record)
        elif record["metric"].startswith("latency_") or record["metric"] == "p99_ratio_to_echo_p99":
            cells = latency.setdefault((*run, p.get("scenario")), {})
            cells[record["metric"]] = _value(record)
    throughput = table(
        ["bot", "database", "citizens", "mix", "users", "replies/s", "share of echo", "bot CPU ms/reply",
         "CPU / echo CPU", "errors"],
        [[str(k) for k in run] + [v.get(metric, "") for metric in RUN_METRICS[:-1]] + [v.get("errors", "0")]
         for run, v in sorted(runs.items(), key=_order)],
    )
    latencies = table(
        ["bot", "database", "citizens", "mix", "users", "scenario", "p50 ms", "p95 ms", "p99 ms",
         "p99 / echo p99"],
        [[str(k) for k in key] + [v.get("latency_p50", ""), v.get("latency_p95", ""), v.get("latency_p99", ""),
                                  v.get("p99_ratio_to_echo_p99", "")] for key, v in sorted(latency.items(), key=_order)],
    )
    return throughput + "\n\n" + latencies


def flat_table(records: list[Record], benchmarks: tuple[str, ...]) -> str:
    """One row per measurement: metric, value, unit and the parameters that tell runs apart."""
    rows = []
    for record in records:
        if record["benchmark"] in benchmarks and record["metric"] != "benchmark_seconds":
            params = ", ".join(f"{k}={v}" for k, v in record["params"].items() if k not in ("all", "detail"))
            rows.append([record["benchmark"], record["metric"], _value(record), record["unit"], params])
    return table(["benchmark", "metric", "value", "unit", "parameters"], rows)


def main(argv: list[str] | None = None) -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.summary", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    records = read_records(parser.parse_args(argv).files)
    print("### Chat\n\n" + chat_tables(records))
    print("\n### Broadcast\n\n" + flat_table(records, ("broadcast",)))
    print("\n### Import\n\n" + flat_table(records, ("import",)))
    print("\n### Footprint and loading\n\n" + flat_table(records, ("footprint", "load")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
