"""Unique numbers, local time formatting, weighted choice and the registry."""

from __future__ import annotations

from datetime import date
from random import Random

import pytest

from bot.identity.cccd import Cccd, parse_cccd
from bot.ingest.synthetic.clock import (
    add_years,
    instant,
    next_working_day,
    stamp_of,
    weekday,
    years_between,
)
from bot.ingest.synthetic.facilities import Department, FacilityKind, build_registry
from bot.ingest.synthetic.geography import DISTRICTS, lower_unit_word
from bot.ingest.synthetic.identifiers import (
    NumberFactory,
    Permutation,
    ResourceIds,
    numbered_id,
)
from bot.ingest.synthetic.weighted import WeightedTable, poisson


@pytest.mark.parametrize("size", [1, 2, 7, 100, 1000, 4097])
def test_permutation_is_a_bijection(size: int) -> None:
    permute = Permutation(size, key=99)
    assert sorted(permute(i) for i in range(size)) == list(range(size))


def test_permutation_depends_on_its_key_and_refuses_values_outside_its_range() -> None:
    first, second = Permutation(1000, 1), Permutation(1000, 2)
    assert [first(i) for i in range(20)] != [second(i) for i in range(20)]
    with pytest.raises(ValueError):
        first(1000)


def test_numbers_are_unique_and_well_formed() -> None:
    numbers = NumberFactory(seed=5)
    ids = {numbers.national_id(i, "096", i % 2 == 1, 1950 + i % 70) for i in range(20000)}
    assert len(ids) == 20000
    for i in (0, 1, 19999):
        parsed = parse_cccd(numbers.national_id(i, "095", True, 2003), date(2025, 1, 1))
        assert isinstance(parsed, Cccd)
        assert parsed.sex.value == "female" and parsed.birth_year == 2003
    assert numbers.national_id(3, "096", False, 1999)[3:6] == "099"
    assert numbers.national_id(3, "096", True, 2010)[3:6] == "310"
    phones = {numbers.mobile_phone(i, "91") for i in range(20000)}
    assert len(phones) == 20000 and all(len(p) == 12 for p in phones)
    insurance = numbers.social_insurance_number(42, "95")
    assert len(insurance) == 10 and insurance.startswith("95")


def test_resource_ids_are_stable_uuids_per_citizen() -> None:
    prefix = ResourceIds(seed=1).citizen_prefix(7)
    assert prefix == ResourceIds(seed=1).citizen_prefix(7)
    assert prefix != ResourceIds(seed=2).citizen_prefix(7)
    assert numbered_id(prefix, 255).endswith("000000ff") and len(numbered_id(prefix, 0)) == 36


def test_local_times_are_written_with_the_vietnam_offset() -> None:
    day = date(2025, 3, 14).toordinal()
    assert instant(stamp_of(day, 8, 30)) == "2025-03-14T08:30:00+07:00"
    assert instant(stamp_of(day, 13, 95)) == "2025-03-14T14:35:00+07:00"
    assert weekday(day) == 4
    assert next_working_day(day + 1) == day + 3 and next_working_day(day) == day
    born = date(2000, 2, 29).toordinal()
    assert add_years(born, 1) == date(2001, 2, 28).toordinal()
    assert years_between(born, date(2025, 2, 28).toordinal()) == 24


def test_weighted_table_draws_by_weight_and_refuses_bad_weights() -> None:
    table = WeightedTable({"a": 1.0, "b": 3.0, "never": 0.0})
    rng = Random(1)
    draws = [table.pick(rng) for _ in range(4000)]
    assert "never" not in draws and 2700 < draws.count("b") < 3300
    for weights in ({}, {"a": -1.0, "b": 2.0}, {"a": 0.0}):
        with pytest.raises(ValueError):
            WeightedTable(weights)


def test_poisson_has_the_requested_mean() -> None:
    rng = Random(3)
    for mean in (0.5, 4.0, 45.0):
        draws = [poisson(rng, mean) for _ in range(3000)]
        assert abs(sum(draws) / len(draws) - mean) < 0.1 * mean + 0.05
    assert poisson(rng, 0) == 0


def test_registry_has_a_station_per_commune_and_staff_everywhere() -> None:
    registry = build_registry()
    assert len(registry.commune_station) == sum(len(d.communes) for d in DISTRICTS)
    assert set(registry.district_centre) == {d.name for d in DISTRICTS}
    for facility in registry.facilities:
        assert facility.has(Department.OUTPATIENT)
        assert (
            facility.doctor(Random(1), Department.CARDIOLOGY)
            .reference["reference"]
            .startswith("Practitioner/")
        )
        if facility.kind is FacilityKind.COMMUNE_STATION:
            assert facility.name.startswith("Trạm Y tế ")
    assert lower_unit_word("Huyện Đầm Dơi") == "huyện Đầm Dơi"
    assert lower_unit_word("Phường 5") == "Phường 5"
    assert build_registry().by_code().keys() == registry.by_code().keys()
