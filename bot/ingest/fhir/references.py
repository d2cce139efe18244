"""The entries of a bundle (or a chunk of bulk-data lines) and the references between them.

A literal reference (`Patient/123`, an absolute URL, or a `urn:uuid:` full URL) becomes the
target's source key `fhir:Patient/123`, whether the target is in this bundle or was imported
earlier. Conditional references (`Organization?identifier=system|value`) and logical ones
(`Reference.identifier`) become an identifier, matched in the bundle first and then in the
store; `#id` names a contained resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from bot.ingest.fhir.datatypes import Json
from bot.ingest.fhir.errors import EntryError
from bot.ingest.fhir.identifiers import normalised_identifiers

_LITERAL = re.compile(
    r"(?:^|/)(?P<type>[A-Z][A-Za-z]+)/(?P<id>[A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$"
)
_IDENTIFIED_TYPES = ("Patient", "Organization", "Location", "Practitioner")


def source_key(resource_type: str, resource_id: str) -> str:
    """The store's key of a FHIR resource."""
    return f"fhir:{resource_type}/{resource_id}"


@dataclass(slots=True)
class Entry:
    """One resource to import and where it came from (bundle position and/or file line)."""

    index: int | None
    line: int | None
    resource: Json
    type: str
    id: str | None
    full_url: str | None

    @property
    def key(self) -> str:
        """The resource's source key (only for entries that have an id)."""
        if self.id is None:
            raise EntryError(f"{self.type} has no id")
        return source_key(self.type, self.id)


@dataclass(frozen=True, slots=True)
class Target:
    """What a Reference points at."""

    type: str | None = None
    key: str | None = None
    identifier: tuple[str, str] | None = None
    contained: Json | None = None
    display: str | None = None

    def describe(self) -> str:
        """The reference for an error message; identifier values are left out."""
        if self.key is not None:
            return self.key.removeprefix("fhir:")
        if self.identifier is not None:
            return f"{self.type or 'resource'}?identifier={self.identifier[0]}|…"
        return "a contained resource" if self.contained is not None else "a display-only reference"


@dataclass(slots=True)
class BundleIndex:
    """Lookup of a batch's entries by full URL, by `Type/id` and by identifier."""

    entries: Sequence[Entry]
    by_url: dict[str, Entry] = field(default_factory=dict)
    by_key: dict[str, Entry] = field(default_factory=dict)
    _by_identifier: dict[tuple[str, str, str], Entry] | None = None

    def __post_init__(self) -> None:
        for entry in self.entries:
            if entry.full_url:
                self.by_url[entry.full_url] = entry
            if entry.id is not None:
                self.by_key[source_key(entry.type, entry.id)] = entry

    def by_identifier(self, resource_type: str, system: str, value: str) -> Entry | None:
        """The entry of this type carrying the identifier."""
        if self._by_identifier is None:
            self._by_identifier = {}
            for entry in self.entries:
                if entry.type in _IDENTIFIED_TYPES and entry.id is not None:
                    for identifier in _safe_identifiers(entry.resource):
                        self._by_identifier.setdefault((entry.type, *identifier), entry)
        return self._by_identifier.get((resource_type, system, value))

    def resolve(self, reference: Any, path: str, contained: Sequence[Json] = ()) -> Target | None:
        """What `reference` (a Reference element) points at; None when it is absent."""
        if reference is None:
            return None
        if not isinstance(reference, dict):
            raise EntryError(f"{path} must be a Reference")
        display = reference.get("display") if isinstance(reference.get("display"), str) else None
        literal = reference.get("reference")
        if isinstance(literal, str) and literal:
            return self._literal(literal.strip(), display, path, contained, reference.get("type"))
        logical = reference.get("identifier")
        if isinstance(logical, dict):
            found = normalised_identifiers([logical])
            if found:
                return self._by_identifier_target(reference.get("type"), *found[0], display)
        if display:
            return Target(type=reference.get("type"), display=display)
        raise EntryError(f"{path} has no reference")

    def _literal(
        self, literal: str, display: str | None, path: str, contained: Sequence[Json], hint: Any
    ) -> Target:
        if literal.startswith("#"):
            for resource in contained:
                if isinstance(resource, dict) and resource.get("id") == literal[1:]:
                    return Target(
                        type=resource.get("resourceType"), contained=resource, display=display
                    )
            raise EntryError(f"{path} names a contained resource that is missing")
        entry = self.by_url.get(literal)
        if entry is not None:
            return Target(type=entry.type, key=entry.key, display=display)
        if literal.startswith(("urn:uuid:", "urn:oid:")):
            raise EntryError(f"{path} points at a full URL not in the bundle")
        if "?" in literal:
            return self._conditional(literal, display, path)
        match = _LITERAL.search(literal)
        if match is None:
            raise EntryError(f"{path} is not a reference this importer can follow")
        return Target(
            type=match["type"], key=source_key(match["type"], match["id"]), display=display
        )

    def _conditional(self, literal: str, display: str | None, path: str) -> Target:
        resource_type, _, query = literal.partition("?")
        values = parse_qs(query).get("identifier") or []
        system, bar, value = values[0].partition("|") if values else ("", "", "")
        if not bar or not system or not value:
            raise EntryError(f"{path} is a conditional reference without identifier=system|value")
        found = normalised_identifiers([{"system": system, "value": value}])
        if not found:
            raise EntryError(f"{path} has an unreadable identifier")
        return self._by_identifier_target(resource_type.rsplit("/", 1)[-1], *found[0], display)

    def _by_identifier_target(
        self, resource_type: Any, system: str, value: str, display: str | None
    ) -> Target:
        kind = resource_type if isinstance(resource_type, str) else None
        for candidate in (kind,) if kind else _IDENTIFIED_TYPES:
            entry = self.by_identifier(candidate, system, value) if candidate else None
            if entry is not None:
                return Target(type=entry.type, key=entry.key, display=display)
        return Target(type=kind, identifier=(system, value), display=display)


def _safe_identifiers(resource: Json) -> Iterator[tuple[str, str]]:
    try:
        yield from normalised_identifiers(resource.get("identifier") or [])
    except EntryError:
        return
