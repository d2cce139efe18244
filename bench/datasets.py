"""Benchmark data: synthetic FHIR folders, direct loads, and commands run with their time and memory."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.context import BenchContext
from bench.databases import BenchDatabase
from bench.procs import Child, MemoryWatch, healthbot

SEED = 1
COMMAND_TIMEOUT_SECONDS = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class CommandRun:
    """A finished command: how long it took, its peak resident memory and its output."""

    seconds: float
    peak_mb: float
    stdout: str
    returncode: int | None


async def run_measured(
    argv: Sequence[str], log: Path, env: Mapping[str, str] | None = None
) -> CommandRun:
    """Run a command to the end, sampling its memory; raises when it fails."""
    started = time.perf_counter()
    child = await Child.start(argv, log, env)
    watch = MemoryWatch(child.pid).start()
    try:
        stdout = await child.read_all(COMMAND_TIMEOUT_SECONDS)
    finally:
        await watch.stop()
        await child.stop()
    run = CommandRun(time.perf_counter() - started, round(watch.peak_mb, 1), stdout, child.process.returncode)
    if run.returncode not in (0, None):
        raise RuntimeError(f"{' '.join(argv[:4])}... exited {run.returncode}; see {log}")
    return run


async def _reusable(ctx: BenchContext, database: BenchDatabase, citizens: int) -> bool:
    """True when `database` already holds `citizens` (this run, or kept by `--keep-data`).

    A kept database is brought to the current schema first (new migrations, e.g. indexes).
    """
    if ctx.is_loaded(database):
        return True
    if not (ctx.keep_data and await database.citizen_count() == citizens):
        return False
    await database.migrate()
    ctx.remember(database)
    return True


async def ensure_direct(ctx: BenchContext, backend: str, citizens: int, *, name: str = "direct",
                        reuse: bool = True) -> BenchDatabase:
    """A database holding `citizens` citizens loaded by `healthbot demo-data --direct`.

    With `--keep-data` a database of the same name and size is reused unless `reuse` is False
    (benchmarks that write, like broadcasts, need a fresh one).
    """
    database = ctx.database(backend, f"{name}-{citizens}")
    if reuse and await _reusable(ctx, database, citizens):
        return database
    await database.create()
    ctx.remember(database)
    run = await run_measured(
        healthbot("demo-data", "--direct", "--citizens", str(citizens), "--seed", str(SEED),
                  "--database-url", database.url),
        ctx.logs("load") / f"direct-{backend}-{citizens}.log",
        {"LOG_LEVEL": "INFO"},
    )
    ctx.recorder.record("load", "direct_load_seconds", round(run.seconds, 1), "s",
                        backend=backend, citizens=citizens, command="healthbot demo-data --direct")
    ctx.recorder.record("load", "direct_load_peak_memory", run.peak_mb, "MiB",
                        backend=backend, citizens=citizens)
    return database


def synthetic_manifest(folder: Path) -> dict[str, object] | None:
    """The manifest of a generated synthetic folder, or None."""
    try:
        manifest: dict[str, object] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest


async def ensure_synthetic(ctx: BenchContext, citizens: int) -> Path:
    """A folder of synthetic FHIR bundles for `citizens` citizens (generated once, then reused)."""
    folder = ctx.data_dir / f"synthetic-{citizens}"
    manifest = synthetic_manifest(folder)
    if manifest is not None and manifest.get("citizens") == citizens:
        return folder
    run = await run_measured(
        healthbot("demo-data", "--citizens", str(citizens), "--seed", str(SEED), "--out", str(folder),
                  "--jobs", str(os.cpu_count() or 1)),
        ctx.logs("load") / f"synthetic-{citizens}.log",
    )
    ctx.recorder.record("load", "synthetic_generation_seconds", round(run.seconds, 1), "s",
                        citizens=citizens)
    return folder


def fhir_resource_count(folder: Path) -> int:
    """Resources in a synthetic folder: the citizens' and the facility registry's."""
    manifest = synthetic_manifest(folder) or {}
    citizens = manifest.get("resources")
    facilities = manifest.get("facilities")
    total = sum(citizens.values()) if isinstance(citizens, dict) else 0
    if isinstance(facilities, dict) and isinstance(facilities.get("resources"), dict):
        total += sum(facilities["resources"].values())
    return total


async def import_fhir(ctx: BenchContext, database: BenchDatabase, backend: str, citizens: int) -> CommandRun:
    """`healthbot import fhir` of the synthetic folder into `database`; records speed and memory."""
    folder = await ensure_synthetic(ctx, citizens)
    run = await run_measured(
        healthbot("import", "fhir", str(folder), "--no-progress"),
        ctx.logs("import") / f"fhir-{backend}-{citizens}.log",
        {"DATABASE_URL": database.url, "LOG_LEVEL": "WARNING"},
    )
    resources = fhir_resource_count(folder)
    record = ctx.recorder.record
    record("import", "fhir_resources_per_second", round(resources / run.seconds, 1), "1/s",
           backend=backend, citizens=citizens, resources=resources, seconds=round(run.seconds, 1))
    record("import", "fhir_peak_memory", run.peak_mb, "MiB", backend=backend, citizens=citizens)
    return run


async def ensure_fhir(ctx: BenchContext, backend: str, citizens: int) -> BenchDatabase:
    """A database holding the full synthetic province of `citizens` citizens, imported from FHIR."""
    database = ctx.database(backend, f"fhir-{citizens}")
    if await _reusable(ctx, database, citizens):
        return database
    await database.create()
    ctx.remember(database)
    await import_fhir(ctx, database, backend, citizens)
    return database
