"""The candidate lookup of citizen matching finds the same rows as the single OR query it replaced.

The lookup is a UNION of three indexed lookups (national ID, source key, identifier value)
because PostgreSQL read the whole `citizens` table for the OR form; the rows must not change.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import and_, bindparam, or_, select

from bot.db.session import Database
from bot.ingest.store import (
    CitizenRecord,
    CitizenRef,
    Identifier,
    StoreWriter,
    resolve_citizens,
    store_transaction,
    upsert_citizens,
)
from bot.ingest.store.citizens import CITIZENS
from bot.ingest.store.entities import _candidates_statement

MRN = "urn:oid:1.2.3.4.96001"
OTHER = "urn:oid:1.2.3.4.96002"
ID_A, ID_C, ID_E = "096185000001", "096185000003", "096185000005"


def _or_statement() -> Any:
    """The statement before the UNION: one WHERE with OR and a sub-select on identifiers."""
    table, idents = CITIZENS.table, CITIZENS.identifiers
    owner = idents.c.citizen_id
    matched = select(owner).where(idents.c.value.in_(bindparam("owned", expanding=True)))
    return (
        select(
            table, idents.c.system.label("matched_system"), idents.c.value.label("matched_value")
        )
        .outerjoin(
            idents,
            and_(owner == table.c.id, idents.c.value.in_(bindparam("values", expanding=True))),
        )
        .where(
            or_(
                table.c.national_id.in_(bindparam("naturals", expanding=True)),
                table.c.source_key.in_(bindparam("keys", expanding=True)),
                table.c.id.in_(matched),
            )
        )
    )


def _citizen(key: str, *identifiers: Identifier, national_id: str | None = None) -> CitizenRecord:
    return CitizenRecord(
        source_key=key, full_name=key, national_id=national_id, identifiers=identifiers
    )


async def _population(db: Database) -> None:
    async with store_transaction(db) as writer:
        await upsert_citizens(
            writer,
            [
                _citizen("t:a", national_id=ID_A),
                _citizen("t:b", Identifier(MRN, "mrn-b")),
                _citizen("t:c", Identifier(MRN, "mrn-c"), national_id=ID_C),
                # The same value as t:b's number, in another system: a candidate, not a match.
                _citizen("t:d", Identifier(OTHER, "mrn-b")),
                _citizen("t:e", national_id=ID_E),
            ],
        )
    async with store_transaction(db) as writer:  # another source's key for t:a: an alias
        await upsert_citizens(writer, [_citizen("t:a2", national_id=ID_A)])


def _rows(result: Any) -> list[tuple[str, str | None, str | None]]:
    return sorted((row.source_key, row.matched_system, row.matched_value) for row in result.all())


async def _both(
    writer: StoreWriter, parameters: dict[str, list[str]]
) -> tuple[list[Any], list[Any]]:
    new = _rows(await writer.execute(_candidates_statement(CITIZENS), parameters))
    old = _rows(await writer.execute(_or_statement(), parameters))
    return new, old


CASES = {
    "national id": (([ID_A], [], []), {"t:a"}),
    "source key": (([], ["t:b"], ["t:b"]), {"t:b"}),
    "further source key": (([], ["t:a2"], ["t:a2"]), {"t:a"}),
    "identifier": (([], [], ["mrn-c"]), {"t:c"}),
    "identifier value in two systems": (([], [], ["mrn-b"]), {"t:b", "t:d"}),
    "all three ways": (([ID_A], ["t:b"], ["t:b", "mrn-c"]), {"t:a", "t:b", "t:c"}),
    "one row three ways": (([ID_C], ["t:c"], ["t:c", "mrn-c"]), {"t:c"}),
    "key and national id of two rows": (([ID_E], ["t:a2"], ["t:a2"]), {"t:a", "t:e"}),
    "unknown values": ((["096185000009"], ["t:x"], ["t:x", "nothing"]), set()),
    "nothing asked": (([], [], []), set()),
}


@pytest.mark.parametrize("case", CASES)
async def test_the_union_finds_the_rows_the_or_query_found(db: Database, case: str) -> None:
    await _population(db)
    (naturals, keys, values), expected = CASES[case]
    parameters = {"naturals": naturals, "keys": keys, "values": values, "owned": values}
    async with store_transaction(db) as writer:
        new, old = await _both(writer, parameters)
    assert new == old
    assert {key for key, _, _ in new} == expected


async def test_each_way_of_naming_a_citizen_resolves_to_its_row(db: Database) -> None:
    await _population(db)
    refs = {
        CitizenRef.by_national_id(ID_A): "t:a",
        CitizenRef.by_key("t:b"): "t:b",
        CitizenRef.by_key("t:a2"): "t:a",
        CitizenRef(MRN, "mrn-c"): "t:c",
        CitizenRef(OTHER, "mrn-b"): "t:d",
        CitizenRef(MRN, "mrn-b"): "t:b",
    }
    async with store_transaction(db) as writer:
        resolved = await resolve_citizens(writer, [*refs, CitizenRef(MRN, "mrn-x")])
        rows = await writer.execute(select(CITIZENS.table.c.id, CITIZENS.table.c.source_key))
        ids = {row_id: key for row_id, key in rows}
    assert {ref: ids[row_id] for ref, row_id in resolved.items()} == refs
