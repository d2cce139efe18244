"""Write a synthetic population to a directory, one chunk file at a time.

Every chunk is generated from its own random stream (derived from the seed and the chunk
number), so chunks are independent: the output is byte-identical whether they are written in
sequence or by several processes, and memory stays bounded by one household.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from random import Random
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.ingest.synthetic.clock import instant, stamp_of
from bot.ingest.synthetic.demo import ChunkCandidates, choose_demo_citizens
from bot.ingest.synthetic.facilities import build_registry
from bot.ingest.synthetic.facility_resources import registry_bundle
from bot.ingest.synthetic.households import HouseholdFactory
from bot.ingest.synthetic.identifiers import (
    MAX_CITIZENS,
    NumberFactory,
    ResourceIds,
    derived_seed,
)
from bot.ingest.synthetic.manifest import FACILITIES_FILE, MANIFEST_FILE, chunk_name, manifest
from bot.ingest.synthetic.records import HouseholdRecords
from bot.ingest.synthetic.xml130_export import (
    ChunkSpool,
    choose_xml130_facilities,
    manifest_section,
    reset_xml130_output,
    write_submissions,
)

logger = logging.getLogger(__name__)

LOCAL_ZONE: Final = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_CHUNK_SIZE: Final = 1000
_CHUNK_PATTERN: Final = re.compile(r"citizens-\d{5}\.ndjson")


def local_today() -> date:
    """Today's date in Vietnam."""
    return datetime.now(LOCAL_ZONE).date()


@dataclass(frozen=True, slots=True)
class Options:
    """What to generate; everything that changes the output bytes is here."""

    citizens: int
    seed: int
    today: date
    chunk_size: int = DEFAULT_CHUNK_SIZE
    density: float = 1.0
    xml130_facilities: tuple[str, ...] = ()
    """Codes of the facilities whose visits are written as XML 130 submissions."""


@dataclass(slots=True)
class ChunkResult:
    """What writing one chunk produced."""

    name: str
    citizens: int = 0
    households: int = 0
    bytes: int = 0
    resources: Counter[str] = field(default_factory=Counter)
    visits: int = 0
    results: int = 0
    immunizations: int = 0
    xml130_visits: int = 0
    candidates: ChunkCandidates | None = None


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    """The outcome of `generate`."""

    out_dir: Path
    seed: int
    today: date
    citizens: int
    households: int
    files: tuple[str, ...]
    resources: dict[str, int]
    bytes_written: int
    seconds: float
    demo_citizens: tuple[dict[str, Any], ...]
    visits: int = 0
    """Visits generated, in the citizen files and the XML 130 submissions together."""
    xml130_files: tuple[str, ...] = ()
    """The XML 130 submissions, relative to `out_dir`."""

    @property
    def citizens_per_second(self) -> float:
        """Generation speed."""
        return self.citizens / self.seconds if self.seconds > 0 else float("inf")

    def line(self) -> str:
        """A one-line human summary."""
        return (
            f"Generated {self.citizens:,} citizens in {self.households:,} households "
            f"({sum(self.resources.values()):,} resources, {len(self.files)} chunk files, "
            f"{self.bytes_written / 1e6:,.1f} MB) in {self.out_dir} in {self.seconds:.1f} s "
            f"({self.citizens_per_second:,.0f} citizens/s); seed {self.seed}, "
            f"reference date {self.today.isoformat()}"
        )


def generate(
    out_dir: Path,
    citizens: int,
    seed: int,
    *,
    today: date | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    density: float = 1.0,
    jobs: int = 1,
    xml130_facilities: int = 0,
) -> GenerationSummary:
    """Write facilities, citizen chunks and the manifest for a synthetic province.

    Args:
        out_dir: Directory to write to (created if needed; stale chunk files are removed).
        citizens: How many citizens, 1 to 1,000,000.
        seed: Random seed; the same seed and options give the same bytes.
        today: The reference date for upcoming appointments and card expiry (default: today
            in Vietnam).
        chunk_size: Citizens per `citizens-NNNNN.ndjson` file.
        density: Scales how often people visit (1.0: about 20 visits per citizen).
        jobs: Worker processes; the output does not depend on it.
        xml130_facilities: How many district health centres (former Bạc Liêu first) have
            their visits written as daily XML 130 submissions under `xml130/` instead of as
            FHIR resources (0: none).

    Returns:
        Counts, files and the demo citizens.
    """
    if not 1 <= citizens <= MAX_CITIZENS:
        raise ValueError(f"citizens must be between 1 and {MAX_CITIZENS:,}")
    if chunk_size < 1 or density <= 0 or jobs < 1:
        raise ValueError("chunk_size and jobs must be positive, density greater than zero")
    registry = build_registry()
    xml_codes = choose_xml130_facilities(registry, xml130_facilities)
    options = Options(citizens, seed, today or local_today(), chunk_size, density, xml_codes)
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    chunk_count = -(-citizens // chunk_size)
    _remove_stale_chunks(out_dir, chunk_count)
    reset_xml130_output(out_dir)
    facilities = registry_bundle(registry, instant(stamp_of(options.today.toordinal(), 0)))
    _write_json(out_dir / FACILITIES_FILE, facilities, indent=None)
    results = list(_chunks(out_dir, options, chunk_count, jobs))
    demo = choose_demo_citizens(r.candidates for r in results if r.candidates is not None)
    document = manifest(options, facilities, results, demo)
    xml_files: list[dict[str, Any]] = []
    if xml_codes:
        xml_files = write_submissions(out_dir, xml_codes)
        xml_visits = sum(r.xml130_visits for r in results)
        document["xml130"] = manifest_section(xml_codes, xml_files, xml_visits)
    _write_json(out_dir / MANIFEST_FILE, document, indent=2)
    summary = GenerationSummary(
        out_dir=out_dir,
        seed=seed,
        today=options.today,
        citizens=citizens,
        households=sum(r.households for r in results),
        files=tuple(r.name for r in results),
        resources=dict(document["resources"]),
        bytes_written=sum(r.bytes for r in results),
        seconds=time.perf_counter() - started,
        demo_citizens=tuple(demo),
        visits=sum(r.visits for r in results),
        xml130_files=tuple(f["name"] for f in xml_files),
    )
    logger.info(
        "synthetic population written: %s citizens, %s files, %.1f s",
        summary.citizens,
        len(summary.files),
        summary.seconds,
    )
    return summary


def _chunks(out_dir: Path, options: Options, count: int, jobs: int) -> Iterator[ChunkResult]:
    tasks = [(out_dir, options, number) for number in range(1, count + 1)]
    if jobs == 1 or count == 1:
        yield from (write_chunk(*task) for task in tasks)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(write_chunk, *zip(*tasks, strict=True))


@lru_cache(maxsize=4)
def _population(seed: int, today: int, density: float) -> tuple[HouseholdFactory, HouseholdRecords]:
    registry = build_registry()
    numbers = NumberFactory(seed)
    factory = HouseholdFactory(numbers, ResourceIds(seed), registry, today)
    return factory, HouseholdRecords(registry, numbers, today, density)


def write_chunk(out_dir: Path, options: Options, number: int) -> ChunkResult:
    """Generate and write chunk `number` (from 1); households never straddle two chunks."""
    factory, records = _population(options.seed, options.today.toordinal(), options.density)
    rng = Random(derived_seed(options.seed, f"chunk/{number}"))
    first = (number - 1) * options.chunk_size
    end = min(first + options.chunk_size, options.citizens)
    result = ChunkResult(chunk_name(number))
    result.candidates = ChunkCandidates(result.name)
    path = out_dir / result.name
    partial = path.with_name("." + path.name + ".partial")
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    spool = None
    if options.xml130_facilities:
        spool = ChunkSpool(out_dir, number, options.xml130_facilities)
    with partial.open("w", encoding="utf-8", newline="\n") as stream:
        index = first
        while index < end:
            people = factory.build(rng, index, end - index)
            bundle, digests = records.bundle(rng, people, spool)
            stream.write(encoder.encode(bundle))
            stream.write("\n")
            result.resources.update(e["resource"]["resourceType"] for e in bundle["entry"])
            for digest in digests:
                result.visits += digest.visits
                result.results += digest.results
                result.immunizations += digest.immunizations
            result.candidates.offer(digests)
            result.households += 1
            index += len(people)
    os.replace(partial, path)
    if spool is not None:
        spool.close()
        result.xml130_visits = spool.visits
    result.citizens = end - first
    result.bytes = path.stat().st_size
    return result


def _remove_stale_chunks(out_dir: Path, chunk_count: int) -> None:
    for path in out_dir.iterdir():
        if _CHUNK_PATTERN.fullmatch(path.name) and int(path.name[9:14]) > chunk_count:
            path.unlink()


def _write_json(path: Path, document: dict[str, Any], indent: int | None) -> None:
    partial = path.with_name("." + path.name + ".partial")
    partial.write_text(
        json.dumps(document, ensure_ascii=False, indent=indent) + "\n", encoding="utf-8"
    )
    os.replace(partial, path)
