"""What an XML 130 import did: counts, skipped tables and the reasons for each rejection."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.ingest.xml130.errors import location

KEPT_REJECTIONS = 1000
"""Rejections kept in the report (all are counted and logged); bounds memory on bad files."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """One rejected HOSO (or a whole file when `hoso` is None), and where the fault lies."""

    file: str
    reason: str
    hoso: int | None = None
    ma_lk: str | None = None
    table: str | None = None
    field: str | None = None
    record: int | None = None

    def describe(self) -> str:
        """`file.xml HOSO 3 (MA_LK LK1): XML2 record 2 field NGAY_YL: not a calendar date`."""
        where = [self.file]
        if self.hoso is not None:
            where.append(f"HOSO {self.hoso}")
        if self.ma_lk:
            where.append(f"(MA_LK {self.ma_lk})")
        detail = location(self.table, self.field, self.record)
        return f"{' '.join(where)}: {detail + ': ' if detail else ''}{self.reason}"


@dataclass(slots=True)
class Xml130Report:
    """Counts of one import run; `ok` is False when anything was rejected."""

    files: int = 0
    files_rejected: int = 0
    hoso_read: int = 0
    hoso_imported: int = 0
    hoso_rejected: int = 0
    visits_created: int = 0
    visits_replaced: int = 0
    visits_unchanged: int = 0
    citizens_created: int = 0
    coverages: int = 0
    medications: int = 0
    services: int = 0
    results: int = 0
    appointments: int = 0
    skipped_tables: Counter[str] = field(default_factory=Counter)
    hiv_tables: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every file and HOSO was imported."""
        return self.files_rejected == 0 and self.hoso_rejected == 0

    @property
    def visits(self) -> int:
        """Visits written (new or replacing an earlier submission)."""
        return self.visits_created + self.visits_replaced

    @property
    def visits_per_second(self) -> float:
        """Imported HOSOs per second of the run."""
        return self.hoso_imported / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0

    def add_rejection(self, rejection: Rejection) -> None:
        """Count a rejection and keep it if there is room."""
        if rejection.hoso is None:
            self.files_rejected += 1
        else:
            self.hoso_rejected += 1
        if len(self.rejections) < KEPT_REJECTIONS:
            self.rejections.append(rejection)

    def summary_lines(self, shown_rejections: int = 20) -> list[str]:
        """A human summary for the command line (English: it is read by operators)."""
        skipped = ", ".join(
            f"{name} {count}" for name, count in sorted(self.skipped_tables.items())
        )
        lines = [
            f"files: {self.files} read, {self.files_rejected} unreadable",
            f"HOSO: {self.hoso_read} read, {self.hoso_imported} imported, "
            f"{self.hoso_rejected} rejected",
            f"visits: {self.visits} ({self.visits_created} new, {self.visits_replaced} replaced, "
            f"{self.visits_unchanged} already newer); "
            f"new citizens: {self.citizens_created}; insurance cards: {self.coverages}",
            f"medications: {self.medications}; services: {self.services}; "
            f"results: {self.results}; appointments: {self.appointments}",
            f"skipped tables: {skipped or 'none'}",
            f"XML6 (HIV/AIDS) tables skipped unread: {self.hiv_tables}",
            f"time: {self.elapsed_seconds:.1f} s ({self.visits_per_second:.0f} visits/s)",
        ]
        for rejection in self.rejections[:shown_rejections]:
            lines.append(f"rejected: {rejection.describe()}")
        hidden = (
            self.files_rejected + self.hoso_rejected - min(len(self.rejections), shown_rejections)
        )
        if hidden > 0:
            lines.append(f"... and {hidden} more rejections (see the log)")
        return lines
