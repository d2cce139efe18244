"""Read-only lookups for importers that must decide who a record is about before writing it.

Added for the XML 130 importer, which matches a patient by CCCD, then by insurance card,
then by facility patient number, and creates a citizen only when the file gives a CCCD.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Row, Table, and_, false, or_, select

from bot.db.models import Citizen, CitizenIdentifier, Coverage, Visit
from bot.ingest.store.records import INSURANCE_NUMBER_SYSTEM, Identifier
from bot.ingest.store.writer import StoreWriter


@dataclass(frozen=True, slots=True)
class KnownCitizen:
    """What an importer needs to know about a stored citizen to merge into it."""

    id: int
    source_key: str
    national_id: str | None
    birth_date: date | None


@dataclass(slots=True)
class CitizenCandidates:
    """The stored citizens that a record's identifiers point at, by kind of identifier."""

    by_national_id: KnownCitizen | None = None
    by_card: dict[int, KnownCitizen] = field(default_factory=dict)
    by_identifier: dict[Identifier, KnownCitizen] = field(default_factory=dict)


async def find_citizen_candidates(
    writer: StoreWriter,
    national_id: str | None,
    card_numbers: Collection[str],
    identifiers: Collection[Identifier],
) -> CitizenCandidates:
    """Citizens with this CCCD, holding one of these cards (as an identifier of the insurance
    system or as a card period), or holding one of these identifiers; three queries at most.
    """
    coverages: Table = Coverage.__table__  # type: ignore[assignment]
    card_owners: set[int] = set()
    identifier_owners: dict[Identifier, int] = {}
    cards, wanted = set(card_numbers), set(identifiers)
    searched = wanted | {Identifier(INSURANCE_NUMBER_SYSTEM, card) for card in cards}
    for row in await _identifier_rows(writer, searched):
        if row.system == INSURANCE_NUMBER_SYSTEM and row.value in cards:
            card_owners.add(row.citizen_id)
        if Identifier(row.system, row.value) in wanted:
            identifier_owners[Identifier(row.system, row.value)] = row.citizen_id
    card_owners.update(
        row.citizen_id
        for row in await writer.select_in((coverages.c.citizen_id,), coverages.c.card_number, cards)
    )
    known = await _known(writer, national_id, card_owners | set(identifier_owners.values()))
    candidates = CitizenCandidates(by_card={i: known[i] for i in card_owners if i in known})
    candidates.by_identifier = {
        identifier: known[owner]
        for identifier, owner in identifier_owners.items()
        if owner in known
    }
    if national_id is not None:
        candidates.by_national_id = next(
            (citizen for citizen in known.values() if citizen.national_id == national_id), None
        )
    return candidates


async def _identifier_rows(writer: StoreWriter, searched: set[Identifier]) -> list[Row[Any]]:
    """Stored identifiers among `searched`, by (system, value) so the unique index serves."""
    if not searched:
        return []
    table: Table = CitizenIdentifier.__table__  # type: ignore[assignment]
    values_by_system: dict[str, set[str]] = defaultdict(set)
    for identifier in searched:
        values_by_system[identifier.system].add(identifier.value)
    condition = or_(
        *(
            and_(table.c.system == system, table.c.value.in_(sorted(values)))
            for system, values in sorted(values_by_system.items())
        )
    )
    columns = (table.c.citizen_id, table.c.system, table.c.value)
    return list((await writer.execute(select(*columns).where(condition))).all())


async def _known(
    writer: StoreWriter, national_id: str | None, ids: set[int]
) -> dict[int, KnownCitizen]:
    if national_id is None and not ids:
        return {}
    table: Table = Citizen.__table__  # type: ignore[assignment]
    condition = or_(
        table.c.national_id == national_id if national_id is not None else false(),
        table.c.id.in_(sorted(ids)),
    )
    result = await writer.execute(
        select(table.c.id, table.c.source_key, table.c.national_id, table.c.birth_date).where(
            condition
        )
    )
    return {
        row.id: KnownCitizen(row.id, row.source_key, row.national_id, row.birth_date)
        for row in result
    }


async def visit_owner(writer: StoreWriter, visit_key: str) -> int | None:
    """The citizen of the stored visit with this source key, or None when it is new."""
    table: Table = Visit.__table__  # type: ignore[assignment]
    result = await writer.execute(select(table.c.citizen_id).where(table.c.source_key == visit_key))
    owner = result.scalar_one_or_none()
    return int(owner) if owner is not None else None


async def source_keys_of_citizens(
    writer: StoreWriter, table: Table, citizen_ids: Collection[int]
) -> list[str]:
    """Source keys of the rows of `table` belonging to these citizens (an indexed lookup)."""
    rows = await writer.select_in((table.c.source_key,), table.c.citizen_id, citizen_ids)
    return [row.source_key for row in rows]
