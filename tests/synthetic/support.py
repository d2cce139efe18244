"""Reading generated output back for the synthetic-data tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REFERENCE_DATE = date(2025, 11, 26)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")

Json = dict[str, Any]


@dataclass
class Population:
    """A generated directory, read back whole (tests keep it small)."""

    out_dir: Path
    manifest: Json
    facilities: Json
    bundles: list[tuple[str, Json]] = field(default_factory=list)
    """(file name, household Bundle) in file order."""

    def resources(self, resource_type: str | None = None) -> Iterator[Json]:
        """Every citizen-file resource, optionally of one type."""
        for _, bundle in self.bundles:
            for entry in bundle["entry"]:
                resource = entry["resource"]
                if resource_type is None or resource["resourceType"] == resource_type:
                    yield resource

    def registry(self, resource_type: str) -> dict[str, Json]:
        """Resources of facilities.json of one type, by id."""
        return {
            e["resource"]["id"]: e["resource"]
            for e in self.facilities["entry"]
            if e["resource"]["resourceType"] == resource_type
        }


def read_population(out_dir: Path) -> Population:
    """Read manifest, facilities and every chunk file of a generated directory."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    facilities = json.loads((out_dir / "facilities.json").read_text(encoding="utf-8"))
    population = Population(out_dir, manifest, facilities)
    for file in manifest["files"]:
        with (out_dir / file["name"]).open(encoding="utf-8") as stream:
            population.bundles += [(file["name"], json.loads(line)) for line in stream]
    return population


def national_id(resource: Json) -> str:
    """The CCCD of a Patient or RelatedPerson."""
    return next(
        str(i["value"])
        for i in resource["identifier"]
        if i["system"] == "http://fhir.ehealth.gov.vn/core/sid/national_id"
    )


def age_on(birth_date: str, day: date) -> int:
    """Whole years from a birthDate to a day."""
    born = date.fromisoformat(birth_date)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def references(value: Any) -> Iterator[str]:
    """Every `reference` string anywhere inside a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def dated_values(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, value) of every string that starts with a date, anywhere inside a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from dated_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from dated_values(item, path)
    elif isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        yield path, value
