"""Finding FHIR files and reading them as batches, one bundle (or chunk of lines) at a time.

A `.json` file holds one Bundle or one resource. A bulk-data `.ndjson` file holds one
resource or one Bundle per line; it is streamed, and consecutive resource lines are grouped
into chunks so that memory stays bounded whatever the file's length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.ingest.fhir.references import Entry
from bot.ingest.fhir.report import Rejection
from bot.ingest.fhir.vocabulary import SUPPORTED_TYPES

BUNDLE_TYPES = frozenset({"collection", "transaction", "batch", "searchset"})
NDJSON_SUFFIXES = (".ndjson", ".jsonl")
JSON_SUFFIXES = (".json",)
LINES_PER_CHUNK = 1000
MANIFEST_NAMES = frozenset({"manifest.json"})
"""Not FHIR: a bulk-data export's (and the synthetic generator's) description of its files.
Skipped when a folder is searched; named explicitly, it is read and rejected like any file."""
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_TRAILING_ID = re.compile(r"(?:^|/)[A-Z][A-Za-z]+/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")
_TYPE_RANK = {name: rank for rank, name in enumerate(("Medication", *SUPPORTED_TYPES))}
_RESOURCE_TYPE = re.compile(rb'"resourceType"\s*:\s*"([A-Za-z]+)"')
_PEEK_BYTES = 1 << 16


@dataclass(slots=True)
class Batch:
    """Entries imported together; an atomic batch (a bundle) is rejected as a whole."""

    file: Path
    entries: list[Entry]
    atomic: bool
    line: int | None = None
    size_bytes: int = 0
    broken: list[Rejection] = field(default_factory=list)


def _first_resource_type(path: Path) -> str | None:
    """The first resource type other than Bundle near the start of a file."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_PEEK_BYTES)
    except OSError:
        return None
    found = (m.decode() for m in _RESOURCE_TYPE.findall(head))
    return next((kind for kind in found if kind != "Bundle"), None)


def _order(path: Path) -> tuple[int, str]:
    """Files whose first resources are referenced by others (Organization, Patient...) first.

    Synthea's `hospitalInformation*.json`, the generator's `facilities.json` and bulk-data
    `Organization.ndjson` thus load before the records that refer to them.
    """
    kind = _first_resource_type(path)
    return _TYPE_RANK.get(kind or "", len(_TYPE_RANK)), str(path)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Rejection]]:
    """The files to import (folders searched recursively), referenced types first."""
    files: list[Path] = []
    missing: list[Rejection] = []
    for path in paths:
        if path.is_dir():
            files += [
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in (*JSON_SUFFIXES, *NDJSON_SUFFIXES)
                and p.name.lower() not in MANIFEST_NAMES
            ]
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Rejection(path, "no such file or folder"))
    return sorted(dict.fromkeys(files), key=_order), missing


def _entry_id(resource: dict[str, Any], full_url: str | None, request: Any) -> str | None:
    resource_id = resource.get("id")
    if isinstance(resource_id, str) and _ID.match(resource_id):
        return resource_id
    if full_url and full_url.startswith("urn:uuid:") and _ID.match(full_url[9:]):
        return full_url[9:]
    for candidate in (full_url, request.get("url") if isinstance(request, dict) else None):
        match = _TRAILING_ID.search(candidate or "")
        if match:
            return match[1]
    return None


def _bundle(document: Any, file: Path, line: int | None, size: int) -> Batch | Rejection:
    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        return Rejection(file, "not a FHIR Bundle or resource", line=line)
    if document["resourceType"] != "Bundle":
        entry = Entry(
            None, line, document, document["resourceType"], _entry_id(document, None, None), None
        )
        return Batch(file, [entry], atomic=True, line=line, size_bytes=size)
    if document.get("type") not in BUNDLE_TYPES:
        return Rejection(
            file, "Bundle.type must be collection, transaction, batch or searchset", line=line
        )
    raw_entries = document.get("entry") or []
    if not isinstance(raw_entries, list):
        return Rejection(file, "Bundle.entry must be an array", line=line)
    batch = Batch(file, [], atomic=True, line=line, size_bytes=size)
    for index, item in enumerate(raw_entries):
        resource = item.get("resource") if isinstance(item, dict) else None
        request = item.get("request") if isinstance(item, dict) else None
        if isinstance(resource, dict) and isinstance(resource.get("resourceType"), str):
            full_url = item.get("fullUrl") if isinstance(item.get("fullUrl"), str) else None
            kind = resource["resourceType"]
            batch.entries.append(
                Entry(index, line, resource, kind, _entry_id(resource, full_url, request), full_url)
            )
        elif isinstance(request, dict) and request.get("method") == "DELETE":
            continue  # deletions are not imported
        else:
            batch.broken.append(Rejection(file, "entry has no resource", line=line, entry=index))
    return batch


def read_json(path: Path) -> Iterator[Batch | Rejection]:
    """The single bundle (or resource) of a `.json` file."""
    try:
        data = path.read_bytes()
        document = json.loads(data)
    except OSError as error:
        yield Rejection(path, f"cannot read the file ({error.strerror})")
        return
    except ValueError as error:
        yield Rejection(path, f"not JSON ({_json_problem(error)})")
        return
    yield _bundle(document, path, None, len(data))


def read_ndjson(path: Path, lines_per_chunk: int = LINES_PER_CHUNK) -> Iterator[Batch | Rejection]:
    """Bundles and chunks of resource lines of a bulk-data file, streamed."""
    chunk = Batch(path, [], atomic=False)
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                chunk.size_bytes += len(raw)
                if not raw.strip():
                    continue
                try:
                    document = json.loads(raw)
                except ValueError as error:
                    yield Rejection(
                        path, f"not JSON ({_json_problem(error, one_line=True)})", line=number
                    )
                    continue
                if isinstance(document, dict) and document.get("resourceType") == "Bundle":
                    if chunk.entries:
                        yield chunk
                        chunk = Batch(path, [], atomic=False)
                    yield _bundle(document, path, number, len(raw))
                    continue
                if not isinstance(document, dict) or not isinstance(
                    document.get("resourceType"), str
                ):
                    yield Rejection(path, "not a FHIR resource", line=number)
                    continue
                kind = document["resourceType"]
                chunk.entries.append(
                    Entry(None, number, document, kind, _entry_id(document, None, None), None)
                )
                if len(chunk.entries) >= lines_per_chunk:
                    yield chunk
                    chunk = Batch(path, [], atomic=False)
    except OSError as error:
        yield Rejection(path, f"cannot read the file ({error.strerror})")
    if chunk.entries or chunk.size_bytes:
        yield chunk


def read_file(path: Path) -> Iterator[Batch | Rejection]:
    """Batches of a `.json` or `.ndjson` file (decided by its suffix)."""
    if path.suffix.lower() in NDJSON_SUFFIXES:
        return read_ndjson(path)
    return read_json(path)


def _json_problem(error: ValueError, one_line: bool = False) -> str:
    if isinstance(error, json.JSONDecodeError):
        if one_line:
            return f"{error.msg} at column {error.pos + 1}"
        return f"{error.msg} at line {error.lineno} column {error.colno}"
    return "undecodable text"
