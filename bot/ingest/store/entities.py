"""Citizens and facilities: rows matched by a natural key, a source key or any identifier.

Such a row gathers what several sources say about one person or place, so it is merged
rather than replaced: a newer record overwrites the fields it has, an older one only fills
empty fields, and identifiers (including every further source key) are only ever added.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, select, union, update

from bot.ingest.store.records import SOURCE_KEY_SYSTEM, Identifier
from bot.ingest.store.writer import (
    Change,
    IdCache,
    StoreWriter,
    cached_statement,
    chunked,
    fit_to_columns,
    is_newer,
)

logger = logging.getLogger(__name__)

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class EntitySpec:
    """Where an entity lives and how it is matched."""

    table: Table
    identifiers: Table
    owner_column: str
    natural_column: str
    natural_system: str
    fields: tuple[str, ...]
    label_column: str
    blank_values: Mapping[str, Any] = field(default_factory=dict)
    blank_when_natural: tuple[str, ...] = ()
    """Fields that hold no real value when they merely repeat the natural key (a facility
    known only by its code is stored with the code as its name)."""


@dataclass(slots=True)
class EntityInput:
    """One record to merge: its natural key, identifiers and field values."""

    source_key: str
    natural: str | None
    identifiers: tuple[Identifier, ...]
    values: dict[str, Any]
    source_updated: datetime | None
    authoritative: bool = True


@dataclass(slots=True)
class EntityOutcome:
    """Where a record landed."""

    source_key: str
    id: int
    change: Change
    label: str
    created: bool


@dataclass(slots=True)
class _Candidates:
    states: dict[int, dict[str, Any]] = field(default_factory=dict)
    by_natural: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    by_pair: dict[Pair, int] = field(default_factory=dict)

    def find(self, pairs: Iterable[Pair]) -> int | None:
        for pair in pairs:
            system, value = pair
            found = self.by_pair.get(pair)
            if found is None and system == SOURCE_KEY_SYSTEM:
                found = self.by_key.get(value)
            if found is not None:
                return found
        return None


def _candidates_statement(spec: EntitySpec) -> Any:
    """Rows by natural key, source key or identifier, joined to the identifiers that matched.

    The candidate ids are a UNION of three lookups, each on its own index: written as one
    WHERE with OR and a sub-select, PostgreSQL read the whole table for every batch.
    """

    def build() -> Any:
        table, idents = spec.table, spec.identifiers
        owner = idents.c[spec.owner_column]
        naturals, keys, owned, values = (
            bindparam(name, expanding=True) for name in ("naturals", "keys", "owned", "values")
        )
        candidates = union(
            select(table.c.id).where(table.c[spec.natural_column].in_(naturals)),
            select(table.c.id).where(table.c.source_key.in_(keys)),
            select(owner).where(idents.c.value.in_(owned)),
        ).subquery("candidates")
        return select(
            table,
            idents.c.system.label("matched_system"),
            idents.c.value.label("matched_value"),
        ).select_from(
            table.join(candidates, candidates.c.id == table.c.id).outerjoin(
                idents, and_(owner == table.c.id, idents.c.value.in_(values))
            )
        )

    return cached_statement(("entity candidates", spec.table.name), build)


_LOOKUP_GROUP = 500
"""Records whose candidates are looked up in one query (bounded by bind-parameter limits)."""


async def _load(
    writer: StoreWriter, spec: EntitySpec, naturals: set[str], pairs: set[Pair]
) -> _Candidates:
    """Rows matching any natural key, source key or identifier, with the identifiers that matched.

    One query per group of lookups: the rows, joined to their matching identifiers.
    """
    found = _Candidates()
    lookups: list[tuple[str | None, Pair | None]] = [(n, None) for n in sorted(naturals)]
    lookups += [(None, p) for p in sorted(pairs)]
    for group in chunked(lookups, _LOOKUP_GROUP):
        group_naturals = [n for n, _ in group if n is not None]
        group_pairs = {p for _, p in group if p is not None}
        keys = [value for system, value in group_pairs if system == SOURCE_KEY_SYSTEM]
        values = sorted({value for _, value in group_pairs})
        parameters = {"naturals": group_naturals, "keys": keys, "values": values, "owned": values}
        for row in (await writer.execute(_candidates_statement(spec), parameters)).all():
            state = dict(row._mapping)
            matched = (state.pop("matched_system"), state.pop("matched_value"))
            if matched in group_pairs:
                found.by_pair[matched] = row.id
            if row.id not in found.states:
                found.states[row.id] = state
                found.by_key[state["source_key"]] = row.id
                if state[spec.natural_column] is not None:
                    found.by_natural[state[spec.natural_column]] = row.id
    return found


def _is_empty(spec: EntitySpec, name: str, value: Any) -> bool:
    return value is None or value == spec.blank_values.get(name)


def _is_blank(spec: EntitySpec, name: str, value: Any, natural: str | None) -> bool:
    """Empty, or (for `blank_when_natural` fields) only repeating the natural key."""
    if _is_empty(spec, name, value):
        return True
    if name in spec.blank_when_natural and isinstance(value, str):
        return not value.strip() or (natural is not None and value.strip() == natural.strip())
    return False


def _merge(spec: EntitySpec, state: dict[str, Any], item: EntityInput) -> bool:
    """Merge a record into a row: a newer record overwrites, an older one fills blanks.

    A blank value (say a facility name that only repeats its code) fills an empty field but
    never overwrites; a blank stored value gives way to any real one, whatever the timestamps.
    A record with nothing but blank values does not move the row's timestamp forward either:
    it says nothing new, and a later real value stamped in between must still count as newer.
    """
    natural = item.natural or state[spec.natural_column]
    newer = (
        item.authoritative
        and is_newer(item.source_updated, state["source_updated"])
        and not all(_is_blank(spec, n, v, natural) for n, v in item.values.items())
    )
    changed = False
    values = dict(item.values)
    values[spec.natural_column] = item.natural
    for name, value in values.items():
        if _is_empty(spec, name, value) or state[name] == value:
            continue
        if _is_blank(spec, name, value, natural):
            replace = _is_empty(spec, name, state[name])
        else:
            replace = newer or _is_blank(spec, name, state[name], natural)
        if replace:
            state[name] = value
            changed = True
    if newer:
        state["source_updated"] = item.source_updated
        changed = True
    return changed


def _item_pairs(item: EntityInput) -> list[Pair]:
    pairs = [(SOURCE_KEY_SYSTEM, item.source_key)]
    pairs += [(identifier.system, identifier.value) for identifier in item.identifiers]
    return pairs


async def upsert_entities(
    writer: StoreWriter, spec: EntitySpec, items: Sequence[EntityInput]
) -> list[EntityOutcome]:
    """Merge each record into its matching row or a new one; outcomes in the records' order."""
    if not items:
        return []
    naturals = {item.natural for item in items if item.natural}
    found = await _load(writer, spec, naturals, {p for item in items for p in _item_pairs(item)})
    dirty: set[int] = set()
    new_pairs: dict[Pair, int] = {}
    placed: list[tuple[int, Change]] = []
    next_temporary = -1
    for item in items:
        entity = found.by_natural.get(item.natural) if item.natural else None
        if entity is None:
            entity = found.find(_item_pairs(item))
        if entity is None:
            entity, next_temporary = next_temporary, next_temporary - 1
            state = {name: spec.blank_values.get(name) for name in spec.fields}
            state.update(id=entity, source_key=item.source_key, source_updated=None)
            state[spec.natural_column] = None
            found.states[entity] = state
            found.by_key[item.source_key] = entity
        state = found.states[entity]
        previous_natural = state[spec.natural_column]
        changed = _merge(spec, state, item)
        if changed and entity > 0:
            dirty.add(entity)
        if state[spec.natural_column] != previous_natural:
            found.by_natural.pop(previous_natural, None)
            found.by_natural[state[spec.natural_column]] = entity
        for pair in _item_pairs(item):
            owner = found.find([pair])
            if owner is None:
                found.by_pair[pair] = new_pairs[pair] = entity
                changed = changed or entity > 0
            elif owner != entity:
                logger.warning("identifier of system %s already belongs to another row", pair[0])
        placed.append((entity, Change.INSERTED if entity < 0 else _change(changed)))
    real_ids = await _insert_new(writer, spec, [s for i, s in found.states.items() if i < 0])
    await _update_dirty(writer, spec, [found.states[i] for i in sorted(dirty)])
    await _insert_identifiers(writer, spec, new_pairs, real_ids, found)
    outcomes = []
    for item, (entity, change) in zip(items, placed, strict=True):
        state = found.states[entity]
        outcomes.append(
            EntityOutcome(
                item.source_key,
                real_ids.get(entity, entity),
                change,
                state[spec.label_column],
                created=entity < 0,
            )
        )
    return outcomes


def _change(changed: bool) -> Change:
    return Change.UPDATED if changed else Change.UNCHANGED


async def _insert_new(
    writer: StoreWriter, spec: EntitySpec, states: list[dict[str, Any]]
) -> dict[int, int]:
    if not states:
        return {}
    table = spec.table
    rows = [fit_to_columns(table, {k: v for k, v in s.items() if k != "id"}) for s in states]
    statement = cached_statement(
        ("entity insert", writer.dialect, table.name),
        lambda: writer.insert(table).returning(table.c.id, table.c.source_key),
    )
    result = await writer.execute(statement, rows)
    by_key = {key: row_id for row_id, key in result.all()}
    return {state["id"]: by_key[state["source_key"]] for state in states}


async def _update_dirty(
    writer: StoreWriter, spec: EntitySpec, states: list[dict[str, Any]]
) -> None:
    if not states:
        return
    table = spec.table
    columns = (*spec.fields, spec.natural_column, "source_updated")
    statement = cached_statement(
        ("entity update", table.name),
        lambda: (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(name) for name in columns})
        ),
    )
    rows = [
        fit_to_columns(table, {"row_id": s["id"], **{name: s[name] for name in columns}})
        for s in states
    ]
    await writer.execute(statement, rows)


async def _insert_identifiers(
    writer: StoreWriter,
    spec: EntitySpec,
    pairs: Mapping[Pair, int],
    real_ids: Mapping[int, int],
    found: _Candidates,
) -> None:
    rows = []
    for (system, value), entity in pairs.items():
        owner = real_ids.get(entity, entity)
        if system == SOURCE_KEY_SYSTEM and found.states[entity]["source_key"] == value:
            continue  # the row's own key needs no alias
        rows.append({spec.owner_column: owner, "system": system, "value": value})
    if rows:
        statement = cached_statement(
            ("identifiers insert", writer.dialect, spec.identifiers.name),
            lambda: writer.insert(spec.identifiers).on_conflict_do_nothing(
                index_elements=["system", "value"]
            ),
        )
        await writer.execute(statement, [fit_to_columns(spec.identifiers, r) for r in rows])


async def resolve_entities(
    writer: StoreWriter, spec: EntitySpec, pairs: Iterable[Pair]
) -> dict[Pair, tuple[int, str]]:
    """Ids and labels of the rows the (system, value) pairs name; unknown pairs are left out."""
    wanted = set(pairs)
    naturals = {value for system, value in wanted if system == spec.natural_system}
    found = await _load(
        writer, spec, naturals, wanted - {(spec.natural_system, n) for n in naturals}
    )
    resolved = {}
    for pair in wanted:
        system, value = pair
        entity = (
            found.by_natural.get(value) if system == spec.natural_system else found.find([pair])
        )
        if entity is not None:
            resolved[pair] = (entity, found.states[entity][spec.label_column])
    return resolved


async def resolve_cached(
    writer: StoreWriter,
    spec: EntitySpec,
    cache: IdCache[Any, Any],
    refs: Iterable[Any],
    convert: Callable[[tuple[int, str]], Any],
) -> dict[Any, Any]:
    """Resolve references (with `system` and `value`) through a run cache; misses are queried once."""
    resolved: dict[Any, Any] = {}
    missing = set()
    for ref in refs:
        cached = cache.get(ref)
        if cached is None:
            missing.add(ref)
        else:
            resolved[ref] = cached
    if missing:
        found = await resolve_entities(writer, spec, ((r.system, r.value) for r in missing))
        for ref in missing:
            hit = found.get((ref.system, ref.value))
            if hit is not None:
                resolved[ref] = value = convert(hit)
                cache.put(ref, value)
    return resolved
