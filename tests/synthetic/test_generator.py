"""Options of `generate`, reuse of an output directory, and record volume."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.ingest.synthetic import generate
from tests.synthetic.support import REFERENCE_DATE, age_on, read_population


@pytest.mark.parametrize("citizens", [0, -5, 1_000_001])
def test_citizen_count_out_of_range_is_refused(citizens: int, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="citizens must be between 1 and 1,000,000"):
        generate(tmp_path, citizens, 1)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("options", [{"chunk_size": 0}, {"density": 0.0}, {"jobs": 0}])
def test_other_bad_options_are_refused(options: dict[str, float], tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, 5, 1, **options)  # type: ignore[arg-type]


def test_regenerating_into_a_directory_removes_chunks_of_the_old_run(tmp_path: Path) -> None:
    generate(tmp_path, 30, 1, today=REFERENCE_DATE, chunk_size=10, density=0.2)
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    generate(tmp_path, 12, 1, today=REFERENCE_DATE, chunk_size=10, density=0.2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "citizens-00001.ndjson",
        "citizens-00002.ndjson",
        "facilities.json",
        "manifest.json",
        "notes.txt",
    ]


def test_a_single_citizen_is_an_adult_household(tmp_path: Path) -> None:
    generate(tmp_path, 1, 4, today=REFERENCE_DATE)
    lines = (tmp_path / "citizens-00001.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    patients = [
        e["resource"]
        for e in json.loads(lines[0])["entry"]
        if e["resource"]["resourceType"] == "Patient"
    ]
    assert len(patients) == 1 and age_on(patients[0]["birthDate"], REFERENCE_DATE) >= 18


def test_default_density_gives_the_intended_volume(tmp_path: Path) -> None:
    summary = generate(tmp_path, 250, 9, today=REFERENCE_DATE)
    per_citizen = json.loads((tmp_path / "manifest.json").read_text())["perCitizen"]
    assert 15 <= per_citizen["visits"] <= 26
    assert 38 <= per_citizen["results"] <= 66
    assert 7 <= per_citizen["immunizations"] <= 13
    assert summary.resources["Encounter"] == round(per_citizen["visits"] * 250)
    population = read_population(tmp_path)
    ages = {
        "urn:uuid:" + p["id"]: age_on(p["birthDate"], REFERENCE_DATE)
        for p in population.resources("Patient")
    }
    visits = Counter(
        ages[e["subject"]["reference"]] >= 60 for e in population.resources("Encounter")
    )
    people = Counter(age >= 60 for age in ages.values())
    young = [age for age in ages.values() if age < 6]
    young_visits = sum(
        1 for e in population.resources("Encounter") if ages[e["subject"]["reference"]] < 6
    )
    assert young_visits / len(young) < visits[True] / people[True]


def test_lower_density_means_fewer_visits(tmp_path: Path) -> None:
    dense = generate(tmp_path / "dense", 60, 2, today=REFERENCE_DATE, density=1.0)
    sparse = generate(tmp_path / "sparse", 60, 2, today=REFERENCE_DATE, density=0.25)
    assert sparse.resources["Encounter"] < dense.resources["Encounter"] / 2
    assert sparse.resources["Patient"] == dense.resources["Patient"] == 60
