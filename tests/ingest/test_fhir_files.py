"""Files, folders, bulk data and rejections: what loads, what is refused and how it is reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.db.session import Database
from bot.ingest.fhir import Outcome, Rejection, import_paths
from tests.ingest.conftest import row_counts
from tests.ingest.fhir_factories import (
    bundle,
    encounter,
    observation,
    organization,
    patient,
    write_json,
    write_ndjson,
)


def good_bundle(kind: str = "collection") -> dict[str, Any]:
    return bundle(
        organization("o1"),
        patient("p1"),
        encounter("e1", "Patient/p1", provider="Organization/o1"),
        kind=kind,
    )


@pytest.mark.parametrize("kind", ["collection", "transaction", "batch", "searchset"])
async def test_each_bundle_type_loads(db: Database, tmp_path: Path, kind: str) -> None:
    report = await import_paths(
        db, [write_json(tmp_path / "b.json", good_bundle(kind))], progress=False
    )
    assert report.ok and report.total(Outcome.IMPORTED) == 3
    counts = await row_counts(db)
    assert (counts["facilities"], counts["citizens"], counts["visits"]) == (1, 1, 1)


async def test_a_file_holding_a_single_resource_loads(db: Database, tmp_path: Path) -> None:
    report = await import_paths(
        db, [write_json(tmp_path / "p.json", patient("p1"))], progress=False
    )
    assert report.ok and report.counts["Patient"].imported == 1


INVALID_ENTRIES = [
    ("no subject", encounter("e2", None), "Encounter.subject is missing"),
    (
        "unknown subject",
        encounter("e2", "Patient/nobody"),
        "unresolvable patient reference Patient/nobody",
    ),
    (
        "bad date",
        encounter("e2", "Patient/p1", start="2025-02-30T08:00:00+07:00"),
        "invalid date in Encounter.period.start",
    ),
    ("subject not a patient", encounter("e2", "Group/g1"), "Encounter.subject is not a Patient"),
    ("missing code", {**observation("x", "Patient/p1"), "code": {}}, "Observation.code is missing"),
    (
        "missing status",
        {**observation("x", "Patient/p1"), "status": None},
        "Observation.status is missing",
    ),
    (
        "urn not in bundle",
        encounter("e2", "urn:uuid:0000"),
        "Encounter.subject points at a full URL not in the bundle",
    ),
    (
        "bad national ID",
        patient("p2", national_id="12345"),
        "a national ID (CCCD) identifier is not 12 digits",
    ),
]


@pytest.mark.parametrize(
    ("case", "invalid", "reason"), INVALID_ENTRIES, ids=[c[0] for c in INVALID_ENTRIES]
)
async def test_a_bundle_with_an_invalid_entry_is_rejected_whole_and_others_load(
    db: Database, tmp_path: Path, case: str, invalid: dict[str, Any], reason: str
) -> None:
    bad = write_json(
        tmp_path / "a-bad.json", bundle(patient("p1"), observation("o9", "Patient/p1"), invalid)
    )
    good = write_json(
        tmp_path / "b-good.json", bundle(organization("o2", code="96003"), patient("p5"))
    )
    report = await import_paths(db, [bad, good], progress=False)
    assert report.rejections == [
        Rejection(bad, reason, entry=2, resource_type=invalid["resourceType"])
    ]
    assert report.batches_rejected == 1 and report.batches_loaded == 1 and not report.ok
    assert report.counts["Patient"].rejected == 1 + (invalid["resourceType"] == "Patient")
    counts = await row_counts(db)
    assert (counts["citizens"], counts["observations"], counts["visits"], counts["facilities"]) == (
        1,
        0,
        0,
        1,
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '{"resourceType": "Bundle", "type": "collection", "entry": [',
            "not JSON (Expecting value at line 1 column 60)",
        ),
        ("[1, 2]", "not a FHIR Bundle or resource"),
        (
            '{"resourceType": "Bundle", "type": "history", "entry": []}',
            "Bundle.type must be collection, transaction, batch or searchset",
        ),
        (
            '{"resourceType": "Bundle", "type": "batch", "entry": [{"fullUrl": "x"}]}',
            "entry has no resource",
        ),
    ],
)
async def test_unreadable_files_are_reported_and_the_rest_still_loads(
    db: Database, tmp_path: Path, content: str, reason: str
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="utf-8")
    good = write_json(tmp_path / "good.json", good_bundle())
    report = await import_paths(db, [broken, good, tmp_path / "missing.json"], progress=False)
    assert [(r.file.name, r.reason) for r in report.rejections] == [
        ("missing.json", "no such file or folder"),
        ("broken.json", reason),
    ]
    assert report.total(Outcome.IMPORTED) == 3


async def test_unknown_resource_types_are_counted_and_skipped(db: Database, tmp_path: Path) -> None:
    extras = [
        {"resourceType": kind, "id": f"x{i}"}
        for i, kind in enumerate(
            ["Claim", "ExplanationOfBenefit", "CarePlan", "Provenance", "Claim"]
        )
    ]
    report = await import_paths(
        db, [write_json(tmp_path / "b.json", bundle(patient("p1"), *extras))], progress=False
    )
    assert report.ok
    assert {k: c.skipped for k, c in report.counts.items() if c.skipped} == {
        "Claim": 2,
        "ExplanationOfBenefit": 1,
        "CarePlan": 1,
        "Provenance": 1,
    }


async def test_bulk_data_lines_load_and_bad_lines_are_rejected_alone(
    db: Database, tmp_path: Path
) -> None:
    lines: list[Any] = [
        patient("p1"),
        encounter("e1", "Patient/p1"),
        observation("o1", "Patient/p1", encounter_ref="Encounter/e1"),
        observation("o2", "Patient/ghost"),
        good_bundle(),
        {"resourceType": "Device", "id": "d1"},
        [1],
    ]
    path = write_ndjson(tmp_path / "export.ndjson", lines)
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"resourceType": "Observation", "id": \n\n')
    report = await import_paths(db, [path], progress=False)
    assert sorted((r.line, r.reason) for r in report.rejections) == [
        (4, "unresolvable patient reference Patient/ghost"),
        (7, "not a FHIR resource"),
        (8, "not JSON (Expecting value at column 40)"),
    ]
    assert report.counts["Observation"].imported == 1 and report.counts["Device"].skipped == 1
    counts = await row_counts(db)
    assert (counts["citizens"], counts["visits"], counts["observations"]) == (1, 1, 1)


async def test_bulk_data_is_read_in_bounded_chunks(db: Database, tmp_path: Path) -> None:
    observations = [observation(f"o{i}", "Patient/p1", value=i) for i in range(2500)]
    path = write_ndjson(tmp_path / "Observation.ndjson", [patient("p1"), *observations])
    report = await import_paths(db, [path], progress=False)
    assert report.ok and report.counts["Observation"].imported == 2500
    assert report.batches_loaded == 3  # 1000 lines per transaction


async def test_folders_are_searched_recursively_and_referenced_types_load_first(
    db: Database, tmp_path: Path
) -> None:
    write_ndjson(
        tmp_path / "export" / "a" / "Observation.ndjson", [observation("o1", "Patient/p1")]
    )
    write_ndjson(tmp_path / "export" / "b" / "Patient.ndjson", [patient("p1")])
    write_json(tmp_path / "export" / "c" / "d" / "bundle.json", bundle(patient("p2")))
    (tmp_path / "export" / "notes.txt").write_text("not FHIR", encoding="utf-8")
    report = await import_paths(db, [tmp_path / "export"], progress=False)
    assert report.ok, report.rejections
    assert (
        report.files == 3
        and report.counts["Patient"].imported == 2
        and report.counts["Observation"].imported == 1
    )


def _reading_peak(path: Path, lines: int) -> tuple[list[int], int]:
    import tracemalloc

    from bot.ingest.fhir.sources import read_file

    with path.open("w", encoding="utf-8") as stream:
        for i in range(lines):
            stream.write(
                json.dumps({**observation(f"o{i}", "Patient/p1"), "note": [{"text": "x" * 500}]})
                + "\n"
            )
    tracemalloc.start()
    sizes = [len(batch.entries) for batch in read_file(path)]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return sizes, peak


def test_the_reader_streams_bulk_data_in_bounded_memory(tmp_path: Path) -> None:
    small_sizes, small_peak = _reading_peak(tmp_path / "small.ndjson", 2000)
    big_sizes, big_peak = _reading_peak(tmp_path / "big.ndjson", 8000)
    assert small_sizes == [1000] * 2 and big_sizes == [1000] * 8
    assert big_peak < 1.3 * small_peak
