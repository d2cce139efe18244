"""Benchmarks of healthbot: chat throughput and latency, broadcast, import, footprint.

`python -m bench --quick` (under five minutes) or `--full`; one JSON line per measurement on
stdout (also appended to `bench/results/<run>.jsonl`). Results are kept in BENCHMARKS.md.
Benchmarks are not tests: they measure, they do not assert.
"""
