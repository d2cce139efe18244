"""Visits at a few facilities written as their daily XML 130 submissions instead of FHIR.

With `generate(..., xml130_facilities=N)` the visits at N facilities (the district health
centres of the former Bạc Liêu, then those of the former Cà Mau, in code order) are left out
of the citizen files and written as `xml130/<facility code>/<yyyymmdd>.xml`, one submission per
facility and day of discharge. Importing the FHIR files and the XML files together gives
each citizen one history: every visit is in exactly one of them.

Memory stays bounded: each chunk sorts its own diverted visits (at most a chunk's worth) into
one spool file per facility under `.xml130-spool/`; at the end the spools of a facility are
merged by discharge time (at most `MERGE_FAN_IN` files open at once) and streamed into the
daily files, after which the spool folder is removed.
"""

from __future__ import annotations

import heapq
import shutil
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any, Final

from bot.ingest.synthetic.diagnoses import Diagnosis
from bot.ingest.synthetic.facilities import FacilityKind, FacilityRegistry
from bot.ingest.synthetic.fhir import Json
from bot.ingest.synthetic.history import PlannedVisit
from bot.ingest.synthetic.xml130_visits import XmlPatient, decode_visit, encode_visit, xml_visit
from bot.ingest.xml130.writer import SubmissionWriter

XML130_FOLDER: Final = "xml130"
SPOOL_FOLDER: Final = ".xml130-spool"
MERGE_FAN_IN: Final = 64
_FORMER_BAC_LIEU: Final = "95"


def choose_xml130_facilities(registry: FacilityRegistry, count: int) -> tuple[str, ...]:
    """The codes of `count` district health centres, former Bạc Liêu first, in code order.

    Raises:
        ValueError: `count` is negative or more than there are district centres.
    """
    centres = sorted(
        (f for f in registry.facilities if f.kind is FacilityKind.DISTRICT_CENTRE),
        key=lambda f: (not f.code.startswith(_FORMER_BAC_LIEU), f.code),
    )
    if not 0 <= count <= len(centres):
        raise ValueError(f"xml130_facilities must be between 0 and {len(centres)}")
    return tuple(f.code for f in centres[:count])


class CitizenExport:
    """Where one citizen's visits at the XML facilities go instead of the household Bundle."""

    def __init__(
        self, spool: ChunkSpool, patient: XmlPatient, problems: Mapping[str, Diagnosis]
    ) -> None:
        self._spool = spool
        self._patient = patient
        self._problems = problems

    def takes(self, visit: PlannedVisit) -> bool:
        """Whether the visit happened at one of the XML facilities."""
        return visit.facility.code in self._spool.facility_codes

    def add(self, visit: PlannedVisit, resources: list[Json]) -> None:
        """Spool the visit, given as the FHIR resources it would otherwise have been."""
        self._spool.add(self._patient, visit, resources, self._problems)


class ChunkSpool:
    """The diverted visits of one chunk, written sorted per facility when the chunk ends."""

    def __init__(self, out_dir: Path, chunk: int, facility_codes: tuple[str, ...]) -> None:
        self.facility_codes = frozenset(facility_codes)
        self._folder = out_dir / SPOOL_FOLDER
        self._chunk = chunk
        self._lines: dict[str, list[tuple[str, str, str]]] = {c: [] for c in facility_codes}
        self.visits = 0

    def add(
        self,
        patient: XmlPatient,
        visit: PlannedVisit,
        resources: list[Json],
        problems: Mapping[str, Diagnosis],
    ) -> None:
        """Keep one visit, given as the FHIR resources it would otherwise have been."""
        record = xml_visit(patient, visit, resources, problems)
        summary = record.summary
        assert summary.discharged is not None
        sort_key = summary.discharged.strftime("%Y%m%d%H%M")
        self._lines[summary.facility_code].append((sort_key, summary.ma_lk, encode_visit(record)))
        self.visits += 1

    def close(self) -> None:
        """Write this chunk's spool file of each facility, sorted by discharge time."""
        for code, lines in self._lines.items():
            folder = self._folder / code
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / f"{self._chunk:05d}.ndjson").open("w", encoding="utf-8") as stream:
                for sort_key, ma_lk, line in sorted(lines):
                    stream.write(f"{sort_key}\t{ma_lk}\t{line}\n")
            lines.clear()


def reset_xml130_output(out_dir: Path) -> None:
    """Remove the submissions and spools of an earlier run."""
    for name in (XML130_FOLDER, SPOOL_FOLDER):
        shutil.rmtree(out_dir / name, ignore_errors=True)


def write_submissions(out_dir: Path, facility_codes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Merge the spools into daily submissions; returns one manifest entry per file."""
    files: list[dict[str, Any]] = []
    spool = out_dir / SPOOL_FOLDER
    for code in facility_codes:
        parts = sorted((spool / code).glob("*.ndjson"))
        merged = _merge_down(parts, spool / code)
        for day_text, lines in groupby(_spooled(merged), key=lambda line: line[:8]):
            day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:8]))
            path = out_dir / XML130_FOLDER / code / f"{day_text}.xml"
            with SubmissionWriter(path, code, day) as writer:
                for line in lines:
                    writer.add(decode_visit(line.split("\t", 2)[2]))
            files.append(
                {
                    "name": path.relative_to(out_dir).as_posix(),
                    "facility": code,
                    "day": day.isoformat(),
                    "visits": writer.count,
                    "bytes": path.stat().st_size,
                }
            )
    shutil.rmtree(spool, ignore_errors=True)
    return files


def _merge_down(parts: list[Path], folder: Path) -> list[Path]:
    """Merge sorted spool files in rounds until at most `MERGE_FAN_IN` remain."""
    round_number = 0
    while len(parts) > MERGE_FAN_IN:
        round_number += 1
        merged = []
        for start in range(0, len(parts), MERGE_FAN_IN):
            target = folder / f"merge-{round_number}-{start // MERGE_FAN_IN:05d}.ndjson"
            with target.open("w", encoding="utf-8") as stream:
                stream.writelines(_spooled(parts[start : start + MERGE_FAN_IN]))
            merged.append(target)
        parts = merged
    return parts


def _spooled(parts: list[Path]) -> Iterator[str]:
    """The lines of sorted spool files, merged in order (discharge time, then MA_LK)."""
    with ExitStack() as stack:
        streams = [stack.enter_context(part.open(encoding="utf-8")) for part in parts]
        yield from heapq.merge(*streams, key=_sort_key)


def _sort_key(line: str) -> tuple[str, str]:
    sort_key, ma_lk, _ = line.split("\t", 2)
    return sort_key, ma_lk


def manifest_section(
    facility_codes: tuple[str, ...], files: list[dict[str, Any]], visits: int
) -> dict[str, Any]:
    """The manifest's `xml130` entry."""
    return {
        "folder": XML130_FOLDER,
        "layout": "xml130/<facility code>/<yyyymmdd>.xml: the facility's GIAMDINHHS submission "
        "of the visits discharged that day (QĐ 130); these visits are not in the citizen files.",
        "facilities": list(facility_codes),
        "visits": visits,
        "files": files,
    }

