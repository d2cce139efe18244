"""The manifest tells the truth about the files, and its demo citizens can sign in."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from bot.ingest.synthetic import GenerationSummary
from tests.synthetic.support import REFERENCE_DATE, Population, national_id

ROLES = {
    "guardian",
    "rich_record",
    "upcoming_appointment",
    "expiring_card",
    "expired_card",
    "khmer",
}


def test_counts_match_the_files(population: Population) -> None:
    manifest = population.manifest
    assert manifest["citizens"] == 300 and manifest["referenceDate"] == "2025-11-26"
    assert [f["citizens"] for f in manifest["files"]] == [120, 120, 60]
    for file in manifest["files"]:
        path = population.out_dir / file["name"]
        assert path.stat().st_size == file["bytes"]
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == file["households"]
    counted = Counter(resource["resourceType"] for resource in population.resources())
    assert manifest["resources"] == dict(sorted(counted.items()))
    assert manifest["households"] == len(population.bundles)
    registry = Counter(e["resource"]["resourceType"] for e in population.facilities["entry"])
    assert manifest["facilities"]["resources"] == dict(sorted(registry.items()))


def test_summary_agrees_with_the_manifest(
    generated: tuple[GenerationSummary, Population],
) -> None:
    summary, population = generated
    assert summary.citizens == population.manifest["citizens"]
    assert summary.files == tuple(f["name"] for f in population.manifest["files"])
    assert summary.resources == population.manifest["resources"]
    assert summary.bytes_written == sum(f["bytes"] for f in population.manifest["files"])
    assert summary.line().startswith("Generated 300 citizens in ")
    assert "citizens/s" in summary.line()


def test_demo_citizens_exist_and_fit_their_roles(population: Population) -> None:
    demo = population.manifest["demoCitizens"]
    assert {d["role"] for d in demo} == ROLES
    assert len({d["national_id"] for d in demo}) == len(demo)
    for citizen in demo:
        bundle, patient = _find(population, citizen["file"], citizen["national_id"])
        assert patient["name"][0]["text"] == citizen["full_name"]
        assert patient["birthDate"] == citizen["birth_date"]
        assert patient["telecom"][0]["value"] == citizen["phone"]
        own = [
            e["resource"]
            for e in bundle["entry"]
            if _subject(e["resource"]) == "urn:uuid:" + patient["id"]
        ]
        role = citizen["role"]
        if role == "guardian":
            wards = [
                r
                for r in (e["resource"] for e in bundle["entry"])
                if r["resourceType"] == "RelatedPerson" and national_id(r) == citizen["national_id"]
            ]
            assert len(wards) == citizen["wards"] >= 1
        elif role == "rich_record":
            assert citizen["visits"] == sum(r["resourceType"] == "Encounter" for r in own)
            assert citizen["visits"] >= max(d["visits"] for d in demo)
        elif role == "upcoming_appointment":
            starts = [
                datetime.fromisoformat(r["start"]).date()
                for r in own
                if r["resourceType"] == "Appointment" and r["status"] == "booked"
            ]
            assert min(starts) > REFERENCE_DATE
        elif role in ("expiring_card", "expired_card"):
            ends = sorted(
                date.fromisoformat(r["period"]["end"])
                for r in own
                if r["resourceType"] == "Coverage"
            )
            if role == "expired_card":
                assert ends[-1] < REFERENCE_DATE
            else:
                assert REFERENCE_DATE <= ends[-1] <= REFERENCE_DATE + timedelta(days=30)
        elif role == "khmer":
            assert patient["extension"][0]["valueCoding"]["display"] == "Khmer"


def _find(population: Population, file: str, cccd: str) -> tuple[dict, dict]:  # type: ignore[type-arg]
    for name, bundle in population.bundles:
        if name != file:
            continue
        for entry in bundle["entry"]:
            resource = entry["resource"]
            if resource["resourceType"] == "Patient" and national_id(resource) == cccd:
                return bundle, resource
    raise AssertionError(f"demo citizen not in {file}")


def _subject(resource: dict) -> str | None:  # type: ignore[type-arg]
    for key in ("subject", "patient", "beneficiary"):
        if key in resource:
            return str(resource[key]["reference"])
    participants = resource.get("participant", [])
    if resource["resourceType"] == "Appointment" and participants:
        return str(participants[0]["actor"]["reference"])
    return None
