"""Read-only lookups for importers that must decide who a record is about before writing it.

Added for the XML 130 importer, which matches a patient by CCCD, then by insurance card,
then by facility patient number, and creates a citizen only when the file gives a CCCD.
Every lookup answers for many records at once, in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Table

from bot.db.models import Citizen, CitizenIdentifier, Coverage, Visit
from bot.ingest.store.records import INSURANCE_NUMBER_SYSTEM, Identifier
from bot.ingest.store.writer import StoreWriter, table_of


@dataclass(frozen=True, slots=True)
class KnownCitizen:
    """What an importer needs to know about a stored citizen to merge into it."""

    id: int
    source_key: str
    national_id: str | None
    birth_date: date | None


@dataclass(frozen=True, slots=True)
class CitizenQuery:
    """What one record says about its person: a CCCD, insurance card codes, other identifiers."""

    national_id: str | None
    card_numbers: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()


@dataclass(slots=True)
class CitizenCandidates:
    """The stored citizens that a record's identifiers point at, by kind of identifier."""

    by_national_id: KnownCitizen | None = None
    by_card: dict[int, KnownCitizen] = field(default_factory=dict)
    by_identifier: dict[Identifier, KnownCitizen] = field(default_factory=dict)

    def citizen_ids(self) -> set[int]:
        """Every stored citizen named here."""
        found = set(self.by_card) | {known.id for known in self.by_identifier.values()}
        if self.by_national_id is not None:
            found.add(self.by_national_id.id)
        return found


async def find_citizen_candidates(
    writer: StoreWriter, queries: Sequence[CitizenQuery]
) -> list[CitizenCandidates]:
    """For each query, the citizens with its CCCD, holding one of its cards (as an identifier
    of the insurance system or as a card period) or holding one of its identifiers.

    Four queries whatever the number of records (long lists are sent in chunks).
    """
    cards = {card for query in queries for card in query.card_numbers}
    searched = {identifier for query in queries for identifier in query.identifiers}
    searched.update(Identifier(INSURANCE_NUMBER_SYSTEM, card) for card in cards)
    owners = await _identifier_owners(writer, searched)
    periods = await _card_period_holders(writer, cards)
    national_ids = {query.national_id for query in queries if query.national_id is not None}
    known = await _known(writer, national_ids, {*owners.values(), *_flatten(periods.values())})
    by_national_id = {c.national_id: c for c in known.values() if c.national_id is not None}
    found = []
    for query in queries:
        holders = set(_flatten(periods.get(card, ()) for card in query.card_numbers))
        for card in query.card_numbers:
            owner = owners.get(Identifier(INSURANCE_NUMBER_SYSTEM, card))
            if owner is not None:
                holders.add(owner)
        candidates = CitizenCandidates(
            by_card={i: known[i] for i in sorted(holders) if i in known},
            by_identifier={
                identifier: known[owners[identifier]]
                for identifier in query.identifiers
                if owners.get(identifier) in known
            },
        )
        if query.national_id is not None:
            candidates.by_national_id = by_national_id.get(query.national_id)
        found.append(candidates)
    return found


def _flatten(groups: Iterable[Iterable[int]]) -> Iterable[int]:
    return (item for group in groups for item in group)


async def _identifier_owners(
    writer: StoreWriter, searched: set[Identifier]
) -> dict[Identifier, int]:
    """Owners of the stored identifiers among `searched` (looked up by value, an indexed column)."""
    table = table_of(CitizenIdentifier)
    rows = await writer.select_in(
        (table.c.citizen_id, table.c.system, table.c.value),
        table.c.value,
        {identifier.value for identifier in searched},
    )
    owners = {}
    for row in rows:
        identifier = Identifier(row.system, row.value)
        if identifier in searched:
            owners[identifier] = int(row.citizen_id)
    return owners


async def _card_period_holders(writer: StoreWriter, cards: set[str]) -> dict[str, set[int]]:
    """Citizens holding a card period of each card number."""
    table = table_of(Coverage)
    holders: dict[str, set[int]] = defaultdict(set)
    for row in await writer.select_in(
        (table.c.citizen_id, table.c.card_number), table.c.card_number, cards
    ):
        holders[row.card_number].add(int(row.citizen_id))
    return holders


async def _known(
    writer: StoreWriter, national_ids: set[str], ids: set[int]
) -> dict[int, KnownCitizen]:
    table = table_of(Citizen)
    columns = (table.c.id, table.c.source_key, table.c.national_id, table.c.birth_date)
    rows = await writer.select_in(columns, table.c.national_id, national_ids)
    rows += await writer.select_in(columns, table.c.id, ids - {row.id for row in rows})
    return {
        row.id: KnownCitizen(row.id, row.source_key, row.national_id, row.birth_date)
        for row in rows
    }


async def visit_owners(writer: StoreWriter, visit_keys: Iterable[str]) -> dict[str, int]:
    """The citizen of each stored visit among these source keys (new visits are left out)."""
    table = table_of(Visit)
    rows = await writer.select_in(
        (table.c.source_key, table.c.citizen_id), table.c.source_key, visit_keys
    )
    return {row.source_key: int(row.citizen_id) for row in rows}


async def source_keys_of_citizens(
    writer: StoreWriter, table: Table, citizen_ids: Collection[int]
) -> dict[int, list[str]]:
    """Source keys of the rows of `table` by citizen, for these citizens (an indexed lookup)."""
    found: dict[int, list[str]] = defaultdict(list)
    for row in await writer.select_in(
        (table.c.citizen_id, table.c.source_key), table.c.citizen_id, citizen_ids
    ):
        found[int(row.citizen_id)].append(row.source_key)
    return found
