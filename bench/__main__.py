"""`python -m bench --quick|--full [--only NAME]`: run the benchmarks, one JSON line per measurement.

Measurements also go to `bench/results/<run>.jsonl`, process logs to `bench/results/<run>/`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.context import BACKENDS, BenchContext
from bench.databases import DEFAULT_POSTGRES_ADMIN_URL
from bench.plans import BENCHMARKS, PLANS, Plan
from bench.report import Recorder, Status, machine_info

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_const", const="quick", dest="mode",
                      help="small sizes, under five minutes")
    mode.add_argument("--full", action="store_const", const="full", dest="mode",
                      help="the sizes of the issue (hours)")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME",
                        help=f"run only this benchmark (repeatable): {', '.join(sorted(BENCHMARKS))}")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_ADMIN_URL,
                        help="PostgreSQL server for hb_bench_* databases (default %(default)s)")
    parser.add_argument("--no-postgres", action="store_true", help="measure on SQLite only")
    parser.add_argument("--backend", action="append", choices=BACKENDS,
                        help="measure on this database only (repeatable; default both)")
    parser.add_argument("--keep-data", action="store_true",
                        help="keep loaded databases in bench/results/data for the next run")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="results folder")
    parser.add_argument("--chat-citizens", type=int, action="append", metavar="N",
                        help="chat: only the populations of N citizens (repeatable)")
    parser.add_argument("--import-citizens", type=int, action="append", metavar="N",
                        help="import-fhir/import-xml: only the populations of N citizens (repeatable)")
    parser.add_argument("--recipients", type=int, metavar="N", help="broadcast: N recipients instead")
    return parser.parse_args(argv)


def chosen_plan(args: argparse.Namespace) -> Plan:
    """The mode's plan, narrowed by --chat-citizens, --import-citizens and --recipients."""
    plan = PLANS[args.mode]
    if args.chat_citizens:
        populations = tuple(p for p in plan.chat.populations if p[0] in args.chat_citizens)
        plan = replace(plan, chat=replace(plan.chat, populations=populations))
    if args.import_citizens:
        imports = plan.imports
        plan = replace(plan, imports=replace(
            imports,
            fhir_citizens=tuple(n for n in imports.fhir_citizens if n in args.import_citizens),
            xml_populations=tuple(p for p in imports.xml_populations if p[0] in args.import_citizens),
        ))
    if args.recipients:
        plan = replace(plan, broadcast=replace(plan.broadcast, recipients=args.recipients,
                                               paid_recipients=args.recipients))
    return plan


async def run_all(ctx: BenchContext, plan: Plan, names: list[str]) -> int:
    """Run the chosen benchmarks in order; a failing benchmark is recorded and the rest still run."""
    failures = 0
    for name in names:
        started = time.perf_counter()
        run: Callable[[BenchContext, Plan], Awaitable[None]] = BENCHMARKS[name]
        try:
            await run(ctx, plan)
        except Exception as error:  # one benchmark's failure must not lose the others' numbers
            failures += 1
            trace = ctx.logs() / f"{name}-error.txt"
            trace.write_text(traceback.format_exc(), encoding="utf-8")
            ctx.recorder.record(name, "run", None, "", Status.FAILED,
                                f"{type(error).__name__}: {error} (traceback in {trace})")
        ctx.recorder.record(name, "benchmark_seconds", round(time.perf_counter() - started, 1), "s",
                            load_average_1m=round(os.getloadavg()[0], 2))
    await ctx.cleanup()
    return failures


def main(argv: list[str] | None = None) -> int:
    """Run and return 1 when a benchmark failed."""
    args = parse_args(argv)
    run_name = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + f"-{args.mode}"
    recorder = Recorder(args.results / f"{run_name}.jsonl")
    ctx = BenchContext(
        recorder=recorder,
        run_dir=args.results / run_name,
        data_dir=args.results / "data",
        postgres_admin_url=None if args.no_postgres else args.postgres_url,
        keep_data=args.keep_data,
        chosen_backends=tuple(args.backend or BACKENDS),
    )
    names = args.only or list(BENCHMARKS)
    recorder.record("machine", "info", None, "", command=" ".join(["python -m bench", *sys.argv[1:]]),
                    mode=args.mode, **machine_info())
    started = time.perf_counter()
    failures = asyncio.run(run_all(ctx, chosen_plan(args), names))
    recorder.record("run", "total_seconds", round(time.perf_counter() - started, 1), "s", mode=args.mode)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
