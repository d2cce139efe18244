"""Visit planning keeps every visit before the reference date, even around recent births."""

from __future__ import annotations

from random import Random

from bot.ingest.synthetic.clock import MINUTES_PER_DAY
from bot.ingest.synthetic.facilities import build_registry
from bot.ingest.synthetic.history import INPATIENT, VisitPlanner
from bot.ingest.synthetic.households import HouseholdFactory
from bot.ingest.synthetic.identifiers import NumberFactory, ResourceIds
from bot.ingest.synthetic.people import Person
from bot.ingest.synthetic.profile import clinical_profile
from tests.synthetic.support import REFERENCE_DATE

TODAY = REFERENCE_DATE.toordinal()


def _adult_woman(rng: Random, factory: HouseholdFactory) -> Person:
    for index in range(0, 10_000, 10):
        for person in factory.build(rng, index, 10):
            if person.female and 20 <= person.age <= 40:
                return person
    raise AssertionError("no woman of childbearing age in 1,000 households")


def test_a_delivery_days_ago_is_discharged_before_the_reference_date() -> None:
    registry = build_registry()
    factory = HouseholdFactory(NumberFactory(1), ResourceIds(1), registry, TODAY)
    planner = VisitPlanner(registry, TODAY, density=1.0)
    rng = Random(8)
    for days_ago in (1, 2, 3):
        mother = _adult_woman(rng, factory)
        mother.births = [TODAY - days_ago]
        profile = clinical_profile(rng, mother, TODAY)
        visits = planner.plan(rng, mother, profile, mother.home.station, employed=False)
        deliveries = [v for v in visits if v.diagnosis.code in ("O80", "O82")]
        assert len(deliveries) == 1 and deliveries[0].kind == INPATIENT
        assert deliveries[0].start // MINUTES_PER_DAY == TODAY - days_ago
        assert all(v.start < v.end and v.end // MINUTES_PER_DAY < TODAY for v in visits)
        assert sum(v.diagnosis.code == "Z34" for v in visits) >= 1


def test_visits_stay_inside_the_life_and_the_record_window() -> None:
    registry = build_registry()
    factory = HouseholdFactory(NumberFactory(2), ResourceIds(2), registry, TODAY)
    planner = VisitPlanner(registry, TODAY, density=2.0)
    rng = Random(3)
    for index in range(0, 600, 6):
        for person in factory.build(rng, index, 6):
            profile = clinical_profile(rng, person, TODAY)
            visits = planner.plan(rng, person, profile, person.home.station, employed=True)
            assert visits == sorted(visits, key=lambda v: v.start)
            for visit in visits:
                assert person.birth_day <= visit.start // MINUTES_PER_DAY
                assert visit.end // MINUTES_PER_DAY < TODAY
                assert TODAY - visit.start // MINUTES_PER_DAY <= 8 * 366
