"""What an import did: counts per resource type, rejected bundles and lines, speed."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

MAX_KEPT_REJECTIONS = 1000
"""Rejections kept in detail; further ones are only counted (bulk files can be huge)."""


class Outcome(enum.StrEnum):
    """What became of one resource."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    REJECTED = "rejected"


@dataclass(slots=True)
class TypeCounts:
    """Resources of one type by outcome."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        """Every resource of this type seen."""
        return self.imported + self.updated + self.unchanged + self.skipped + self.rejected


@dataclass(frozen=True, slots=True)
class Rejection:
    """A rejected file, bundle or line, and the entry that caused it."""

    file: Path
    reason: str
    line: int | None = None
    entry: int | None = None
    resource_type: str | None = None

    def __str__(self) -> str:
        where = str(self.file) + (f":{self.line}" if self.line is not None else "")
        if self.entry is not None:
            where += f" entry[{self.entry}]"
        if self.resource_type:
            where += f" ({self.resource_type})"
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    """The outcome of `import_paths`."""

    counts: dict[str, TypeCounts] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    rejections_not_kept: int = 0
    files: int = 0
    batches_loaded: int = 0
    batches_rejected: int = 0
    elapsed_seconds: float = 0.0

    def add(self, resource_type: str, outcome: Outcome, count: int = 1) -> None:
        """Count resources of a type."""
        counts = self.counts.setdefault(resource_type, TypeCounts())
        setattr(counts, outcome.value, getattr(counts, outcome.value) + count)

    def reject(self, rejection: Rejection) -> None:
        """Remember why something was rejected."""
        if len(self.rejections) < MAX_KEPT_REJECTIONS:
            self.rejections.append(rejection)
        else:
            self.rejections_not_kept += 1

    @property
    def ok(self) -> bool:
        """True when nothing was rejected."""
        return not self.rejections and not self.rejections_not_kept

    def total(self, outcome: Outcome | None = None) -> int:
        """Resources with this outcome (all resources when None)."""
        if outcome is None:
            return sum(c.total for c in self.counts.values())
        return sum(getattr(c, outcome.value) for c in self.counts.values())

    @property
    def resources_per_second(self) -> float:
        """Resources read per second of wall-clock time."""
        return self.total() / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0

    def table(self) -> str:
        """The summary table printed at the end of an import."""
        headers = ("resource type", *(o.value for o in Outcome))
        rows = [
            (name, *(str(getattr(c, o.value)) for o in Outcome))
            for name, c in sorted(self.counts.items())
        ]
        rows.append(("total", *(str(self.total(o)) for o in Outcome)))
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

        def line(cells: tuple[str, ...]) -> str:
            first = cells[0].ljust(widths[0])
            return "  ".join(
                [first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))]
            )

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([line(headers), rule, *map(line, rows[:-1]), rule, line(rows[-1])])
