"""Import: FHIR resources per second, XML 130 visits per second, peak memory, a large export.

Every import runs `healthbot import ...` as its own process into a fresh database, so the
numbers include what an operator would wait for; memory is that process's peak (VmHWM).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass

from bench.context import BenchContext
from bench.datasets import import_fhir, run_measured
from bench.procs import healthbot, python_module


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Sizes: FHIR citizens, XML populations (citizens, visits each), and the single-file export."""

    fhir_citizens: tuple[int, ...]
    xml_populations: tuple[tuple[int, int], ...]
    export_visits: int
    import_export: bool
    sqlite_only: bool = False
    """Import into SQLite only (the quick mode's time budget)."""


async def measure_fhir(ctx: BenchContext, citizens: int, backends: tuple[str, ...]) -> None:
    """Generate (once) and import the synthetic province into a fresh database of each kind.

    The database is the one the chat benchmark uses for the same population: when the chat
    benchmark already imported it in this run, that import was measured and is not repeated.
    """
    for backend in backends:
        database = ctx.database(backend, f"fhir-{citizens}")
        if ctx.is_loaded(database):
            continue
        await database.create()
        ctx.remember(database)
        await import_fhir(ctx, database, backend, citizens)


async def write_xml(ctx: BenchContext, label: str, citizens: int, per_citizen: int, single_file: bool) -> dict[str, int]:
    """Write XML 130 submissions with the bot's writer, in its own process; records its memory."""
    folder = ctx.data_dir / f"xml130-{label}"
    shutil.rmtree(folder, ignore_errors=True)
    argv = python_module("bench.xml_source", "--out", str(folder), "--citizens", str(citizens),
                         "--visits-per-citizen", str(per_citizen))
    if single_file:
        argv.append("--single-file")
    run = await run_measured(argv, ctx.logs("import") / f"xml-write-{label}.log")
    summary: dict[str, int] = json.loads(run.stdout)
    ctx.recorder.record("import", "xml_write_visits_per_second", round(summary["visits"] / run.seconds, 1),
                        "1/s", label=label, visits=summary["visits"], files=summary["files"],
                        megabytes=round(summary["bytes"] / 1e6, 1))
    ctx.recorder.record("import", "xml_write_peak_memory", run.peak_mb, "MiB", label=label,
                        visits=summary["visits"])
    return summary


async def import_xml(ctx: BenchContext, label: str, visits: int, backends: tuple[str, ...]) -> None:
    """`healthbot import xml130` of a written folder into each database."""
    folder = ctx.data_dir / f"xml130-{label}"
    for backend in backends:
        database = ctx.database(backend, f"import-xml-{label}")
        await database.create()
        try:
            run = await run_measured(
                healthbot("import", "xml130", str(folder), "--no-progress"),
                ctx.logs("import") / f"xml-import-{backend}-{label}.log",
                {"DATABASE_URL": database.url, "LOG_LEVEL": "WARNING"},
            )
        finally:
            await database.drop()
        record = ctx.recorder.record
        record("import", "xml_visits_per_second", round(visits / run.seconds, 1), "1/s", backend=backend,
               label=label, visits=visits, seconds=round(run.seconds, 1))
        record("import", "xml_peak_memory", run.peak_mb, "MiB", backend=backend, label=label, visits=visits)


def _backends(ctx: BenchContext, plan: ImportPlan) -> tuple[str, ...]:
    return ("sqlite",) if plan.sqlite_only else ctx.backends


async def run_fhir_imports(ctx: BenchContext, plan: ImportPlan) -> None:
    """FHIR imports by size."""
    for citizens in plan.fhir_citizens:
        await measure_fhir(ctx, citizens, _backends(ctx, plan))


async def run_xml_imports(ctx: BenchContext, plan: ImportPlan) -> None:
    """XML 130 writes and imports by size."""
    for citizens, per_citizen in plan.xml_populations:
        label = f"{citizens}x{per_citizen}"
        summary = await write_xml(ctx, label, citizens, per_citizen, single_file=False)
        await import_xml(ctx, label, summary["visits"], _backends(ctx, plan))
        shutil.rmtree(ctx.data_dir / f"xml130-{label}", ignore_errors=True)


async def run_export(ctx: BenchContext, plan: ImportPlan) -> None:
    """One facility's export of `export_visits` visits in a single file (and its import when planned)."""
    per_citizen = 10
    label = f"export-{plan.export_visits}"
    summary = await write_xml(ctx, label, plan.export_visits // per_citizen, per_citizen, single_file=True)
    try:
        if plan.import_export:
            await import_xml(ctx, label, summary["visits"], ("sqlite",))
    finally:
        shutil.rmtree(ctx.data_dir / f"xml130-{label}", ignore_errors=True)
