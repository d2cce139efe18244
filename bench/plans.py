"""The quick and full plans: sizes and durations of every benchmark."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.broadcast import BroadcastPlan, run_default_rate, run_paid
from bench.chat import ChatPlan, run_chat
from bench.context import BenchContext
from bench.footprint import FootprintPlan, run_footprint
from bench.imports import ImportPlan, run_export, run_fhir_imports, run_xml_imports


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything one mode measures."""

    chat: ChatPlan
    broadcast: BroadcastPlan
    imports: ImportPlan
    footprint: FootprintPlan


QUICK_LOAD = ChatPlan(populations=((10_000, "direct"),), users=(50, 200), warmup=2.0, duration=8.0,
                      mixes=("record", "citizen"))

PLANS: dict[str, Plan] = {
    "quick": Plan(
        chat=QUICK_LOAD,
        broadcast=BroadcastPlan(recipients=1_000, paid_recipients=2_000),
        imports=ImportPlan(fhir_citizens=(1_000,), xml_populations=((1_000, 1),),
                           export_visits=20_000, import_export=False, sqlite_only=True),
        footprint=FootprintPlan(citizens=10_000, startups=2, idle_seconds=3.0,
                                load=ChatPlan((), (50,), warmup=1.0, duration=5.0)),
    ),
    "full": Plan(
        chat=ChatPlan(populations=((10_000, "fhir"), (1_000_000, "direct")), users=(50, 200),
                      warmup=5.0, duration=30.0, mixes=("record", "citizen")),
        broadcast=BroadcastPlan(recipients=100_000, paid_recipients=100_000),
        imports=ImportPlan(fhir_citizens=(10_000, 100_000), xml_populations=((10_000, 20), (100_000, 5)),
                           export_visits=1_000_000, import_export=False),
        footprint=FootprintPlan(citizens=10_000, startups=5, idle_seconds=15.0,
                                load=ChatPlan((), (200,), warmup=5.0, duration=20.0)),
    ),
}


Runner = Callable[[BenchContext, Plan], Awaitable[None]]

BENCHMARKS: dict[str, Runner] = {
    "footprint": lambda ctx, plan: run_footprint(ctx, plan.footprint),
    "chat": lambda ctx, plan: run_chat(ctx, plan.chat),
    "import-fhir": lambda ctx, plan: run_fhir_imports(ctx, plan.imports),
    "import-xml": lambda ctx, plan: run_xml_imports(ctx, plan.imports),
    "xml-export": lambda ctx, plan: run_export(ctx, plan.imports),
    "broadcast": lambda ctx, plan: run_default_rate(ctx, plan.broadcast),
    "broadcast-paid": lambda ctx, plan: run_paid(ctx, plan.broadcast),
}
"""Every benchmark by name, in the order a run takes them."""
