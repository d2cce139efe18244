"""Choose a handful of citizens worth signing in as in the offline demo.

Each chunk keeps its best few candidates per role (bounded memory); the final choice prefers
the first chunk, so the demo citizens are found in `citizens-00001.ndjson`, and never uses one
person for two roles. Every demo citizen is an adult with a phone number, so they can sign in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from bot.ingest.synthetic.records import CitizenDigest

ADULT: Final = 18
CANDIDATES_PER_ROLE: Final = 3


@dataclass(frozen=True, slots=True)
class Role:
    """A reason to show a citizen in the demo, and how to rank candidates (higher first)."""

    name: str
    note: str
    score: Callable[[CitizenDigest], float | None]
    """None when the citizen does not fit the role."""


ROLES: Final = (
    Role(
        "guardian",
        "Parent or guardian of children under 14; can open the children's records",
        lambda d: d.wards if d.wards else None,
    ),
    Role(
        "rich_record",
        "Many visits, results and prescriptions; a chronic disease",
        lambda d: d.visits + d.results if d.chronic else None,
    ),
    Role(
        "upcoming_appointment",
        "Has an appointment booked after the reference date",
        lambda d: 1.0 if d.next_appointment else None,
    ),
    Role(
        "expiring_card",
        "Insurance card expires within 30 days of the reference date",
        lambda d: 1.0 if d.card_status == "expiring" else None,
    ),
    Role(
        "expired_card",
        "Insurance card has expired",
        lambda d: 1.0 if d.card_status == "expired" else None,
    ),
    Role(
        "khmer",
        "Khmer name (try the Khmer interface)",
        lambda d: 1.0 if d.ethnicity == "Khmer" else None,
    ),
)


@dataclass(slots=True)
class ChunkCandidates:
    """The best few candidates per role within one chunk, in ranking order."""

    chunk_file: str
    by_role: dict[str, list[tuple[float, CitizenDigest]]] = field(default_factory=dict)

    def offer(self, digests: Iterable[CitizenDigest]) -> None:
        """Consider citizens in file order; earlier ones win ties."""
        for digest in digests:
            if digest.phone is None or digest.age < ADULT:
                continue
            for role in ROLES:
                score = role.score(digest)
                if score is None:
                    continue
                ranked = self.by_role.setdefault(role.name, [])
                if len(ranked) < CANDIDATES_PER_ROLE or score > ranked[-1][0]:
                    ranked.append((score, digest))
                    ranked.sort(key=lambda pair: -pair[0])
                    del ranked[CANDIDATES_PER_ROLE:]


def choose_demo_citizens(chunks: Iterable[ChunkCandidates]) -> list[dict[str, Any]]:
    """One citizen per role where possible, earlier chunks first, nobody twice."""
    chunk_list = list(chunks)
    chosen: list[dict[str, Any]] = []
    used: set[str] = set()
    for role in ROLES:
        for chunk in chunk_list:
            pick = next(
                (d for _, d in chunk.by_role.get(role.name, []) if d.national_id not in used), None
            )
            if pick is not None:
                used.add(pick.national_id)
                chosen.append(_describe(role, pick, chunk.chunk_file))
                break
    return chosen


def _describe(role: Role, digest: CitizenDigest, chunk_file: str) -> dict[str, Any]:
    details = asdict(digest)
    details["chronic"] = list(digest.chronic)
    return {"role": role.name, "why": role.note, "file": chunk_file, **details}
