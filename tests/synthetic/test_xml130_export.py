"""`generate(..., xml130_facilities=N)`: visits at N facilities as daily XML 130 submissions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.models import Citizen, Medication, Visit
from bot.db.session import Database
from bot.ingest import xml130
from bot.ingest.fhir.importer import import_paths as import_fhir
from bot.ingest.synthetic import GenerationSummary, generate
from bot.ingest.synthetic.cli import main
from bot.ingest.synthetic.facilities import build_registry
from bot.ingest.synthetic.xml130_export import choose_xml130_facilities
from tests.synthetic.support import REFERENCE_DATE

CITIZENS = 60
CHUNK_SIZE = 25


def _generate(out_dir: Path, xml_facilities: int = 2, jobs: int = 1) -> GenerationSummary:
    return generate(
        out_dir,
        CITIZENS,
        31,
        today=REFERENCE_DATE,
        chunk_size=CHUNK_SIZE,
        density=0.5,
        jobs=jobs,
        xml130_facilities=xml_facilities,
    )


def _tree(out_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


def test_the_facilities_are_district_centres_of_the_former_bac_lieu_first() -> None:
    registry = build_registry()
    codes = choose_xml130_facilities(registry, 9)
    kinds = {f.code: f.kind.name for f in registry.facilities}
    assert all(kinds[code] == "DISTRICT_CENTRE" for code in codes)
    assert codes[:2] == tuple(sorted(c for c in codes if c.startswith("95")))[:2]
    assert codes[0].startswith("95") and codes[-1].startswith("96")
    assert choose_xml130_facilities(registry, 0) == ()
    with pytest.raises(ValueError, match="xml130_facilities"):
        choose_xml130_facilities(registry, 1000)


def test_submissions_are_one_file_per_facility_and_discharge_day(tmp_path: Path) -> None:
    summary = _generate(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    section = manifest["xml130"]
    assert len(section["facilities"]) == 2
    assert [f["name"] for f in section["files"]] == list(summary.xml130_files)
    assert summary.xml130_files, "60 citizens over ten years visit a district centre"
    for entry in section["files"]:
        facility, day_file = entry["name"].split("/")[1:]
        assert facility == entry["facility"] in section["facilities"]
        assert day_file == entry["day"].replace("-", "") + ".xml"
        assert (tmp_path / entry["name"]).stat().st_size == entry["bytes"]
    assert sum(f["visits"] for f in section["files"]) == section["visits"]
    assert section["visits"] + manifest["resources"]["Encounter"] == summary.visits
    assert not (tmp_path / ".xml130-spool").exists()
    diverted = set(section["facilities"])
    for line in (tmp_path / "citizens-00001.ndjson").read_text(encoding="utf-8").splitlines():
        for entry in json.loads(line)["entry"]:
            resource = entry["resource"]
            if resource["resourceType"] == "Encounter":
                code = resource["serviceProvider"]["reference"]
                assert all(c not in code for c in diverted)


async def test_fhir_and_xml_import_give_one_history(tmp_path: Path, db: Database) -> None:
    summary = _generate(tmp_path / "province")
    if db.dialect != "sqlite":
        pytest.skip("the merge is shown on SQLite")
    fhir_report = await import_fhir(db, [tmp_path / "province"], progress=False)
    assert fhir_report.ok
    xml_report = await xml130.import_paths(db, [tmp_path / "province" / "xml130"], progress=False)
    assert xml_report.ok, [str(r) for r in xml_report.rejections]
    assert xml_report.hoso_rejected == 0 and xml_report.citizens_created == 0
    manifest = json.loads((tmp_path / "province" / "manifest.json").read_text(encoding="utf-8"))
    assert xml_report.hoso_imported == manifest["xml130"]["visits"] > 0
    async with db.unit_of_work() as session:
        citizens = await session.scalar(select(func.count()).select_from(Citizen))
        visits = await session.scalar(select(func.count()).select_from(Visit))
        xml_visit = (
            await session.scalars(
                select(Visit)
                .where(Visit.source_key.like("xml130:%"))
                .order_by(Visit.total_cost.desc())
                .limit(1)
            )
        ).one()
        from_xml = select(Visit.citizen_id).where(Visit.source_key.like("xml130:%"))
        merged = await session.scalar(
            select(func.count(func.distinct(Visit.citizen_id))).where(
                Visit.source_key.not_like("xml130:%"), Visit.citizen_id.in_(from_xml)
            )
        )
        medicines = await session.scalar(
            select(func.count())
            .select_from(Medication)
            .where(Medication.source_key.like("xml130:%"))
        )
    assert citizens == CITIZENS
    assert visits == summary.visits
    assert xml_visit.main_diagnosis_code and xml_visit.main_diagnosis_name
    assert xml_visit.total_cost and xml_visit.total_cost > 0
    assert xml_visit.insurance_paid is not None and xml_visit.patient_paid is not None
    assert merged, "citizens with XML visits have their other visits from the FHIR files"
    assert medicines == xml_report.medications > 0


def test_the_same_seed_writes_the_same_submissions(tmp_path: Path) -> None:
    first = _tree_of(_generate(tmp_path / "first"))
    again = _tree_of(_generate(tmp_path / "first"))
    workers = _tree_of(_generate(tmp_path / "workers", jobs=2))
    assert any(name.startswith("xml130/") for name in first)
    assert first == again == workers


def test_without_the_option_nothing_changes(tmp_path: Path) -> None:
    _generate(tmp_path / "with")
    _generate(tmp_path / "with", xml_facilities=0)
    _generate(tmp_path / "plain", xml_facilities=0)
    plain = _tree(tmp_path / "plain")
    assert _tree(tmp_path / "with") == plain
    assert not any(name.startswith("xml130") for name in plain)
    assert "xml130" not in json.loads(plain["manifest.json"])


def test_everything_else_is_as_without_the_option(tmp_path: Path) -> None:
    _generate(tmp_path / "plain", xml_facilities=0)
    _generate(tmp_path / "xml")
    plain = json.loads((tmp_path / "plain" / "manifest.json").read_text(encoding="utf-8"))
    xml = json.loads((tmp_path / "xml" / "manifest.json").read_text(encoding="utf-8"))
    assert xml["demoCitizens"] == plain["demoCitizens"]
    assert xml["resources"]["Patient"] == plain["resources"]["Patient"]
    assert xml["resources"]["Encounter"] + xml["xml130"]["visits"] == (
        plain["resources"]["Encounter"]
    )


def test_the_cli_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--citizens", "20", "--seed", "3", "--out", str(tmp_path), "--today", "2025-11-26"]
    assert main([*argv, "--xml130-facilities", "1"]) == 0
    assert "XML 130" in capsys.readouterr().out
    assert json.loads((tmp_path / "manifest.json").read_text())["xml130"]["facilities"]
    with pytest.raises(SystemExit):
        main([*argv, "--xml130-facilities", "-1"])
    assert main([*argv, "--xml130-facilities", "999"]) == 2


def _tree_of(summary: GenerationSummary) -> dict[str, bytes]:
    return _tree(summary.out_dir)
