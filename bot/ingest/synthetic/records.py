"""A household's records as one FHIR collection Bundle, and a digest of each citizen."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from bot.ingest.synthetic import person_resources as pr
from bot.ingest.synthetic.appointments import (
    BRING_PAPERS,
    INSTRUCTIONS,
    PlannedAppointment,
    appointment,
    office_slot,
    upcoming_slot,
)
from bot.ingest.synthetic.clock import (
    DAYS_PER_YEAR,
    MINUTES_PER_DAY,
    day_iso,
    instant,
    stamp_of,
)
from bot.ingest.synthetic.facilities import Department, FacilityRegistry
from bot.ingest.synthetic.fhir import Json, entry
from bot.ingest.synthetic.history import HISTORY_YEARS, INPATIENT, PlannedVisit, VisitPlanner
from bot.ingest.synthetic.identifiers import NumberFactory, numbered_id
from bot.ingest.synthetic.immunizations import immunization, plan_doses, vaccination_site
from bot.ingest.synthetic.insurance import EMPLOYED_GROUPS, issue_card
from bot.ingest.synthetic.people import Person
from bot.ingest.synthetic.profile import ClinicalProfile, clinical_profile
from bot.ingest.synthetic.vaccines import PlannedDose
from bot.ingest.synthetic.visit_records import VisitWriter
from bot.ingest.synthetic.xml130_export import ChunkSpool, CitizenExport
from bot.ingest.synthetic.xml130_visits import xml_patient

BLOOD_GROUP_KNOWN = 0.85


@dataclass(frozen=True, slots=True)
class CitizenDigest:
    """What the manifest needs to know about a citizen to suggest them for the demo."""

    full_name: str
    national_id: str
    phone: str | None
    birth_date: str
    age: int
    ethnicity: str
    wards: int
    visits: int
    results: int
    immunizations: int
    next_appointment: str | None
    card_status: str | None
    card_valid_to: str | None
    chronic: tuple[str, ...]


class HouseholdRecords:
    """Turns households into Bundles for one population."""

    def __init__(
        self, registry: FacilityRegistry, numbers: NumberFactory, today: int, density: float
    ) -> None:
        self._registry = registry
        self._numbers = numbers
        self._today = today
        self._planner = VisitPlanner(registry, today, density)
        self._as_of = instant(stamp_of(today, 0))

    def bundle(
        self, rng: Random, people: list[Person], spool: ChunkSpool | None = None
    ) -> tuple[Json, list[CitizenDigest]]:
        """The household's Bundle and a digest per member; visits at the spool's facilities go
        to the spool instead of the Bundle."""
        links: dict[int, list[str]] = {}
        related: dict[int, list[tuple[str, Person, str]]] = {}
        for child in people:
            for guardian in child.guardians:
                resource_id = child.new_id()
                related.setdefault(child.index, []).append(
                    (resource_id, guardian.person, guardian.relationship)
                )
                links.setdefault(guardian.person.index, []).append(resource_id)
        resources: list[Json] = []
        digests = [
            self._citizen(
                rng,
                person,
                resources,
                links.get(person.index, []),
                related.get(person.index, []),
                spool,
            )
            for person in people
        ]
        bundle = {
            "resourceType": "Bundle",
            "id": numbered_id(people[0].id_prefix, 0xFFFFFFFF),
            "meta": {"lastUpdated": self._as_of},
            "type": "collection",
            "timestamp": self._as_of,
            "entry": [entry(resource) for resource in resources],
        }
        return bundle, digests

    def _citizen(
        self,
        rng: Random,
        person: Person,
        out: list[Json],
        links: list[str],
        related: list[tuple[str, Person, str]],
        spool: ChunkSpool | None,
    ) -> CitizenDigest:
        meta = {"lastUpdated": self._as_of}
        subject = {"reference": "urn:uuid:" + person.patient_id}
        card = issue_card(rng, person, self._numbers, self._registry, self._today)
        profile = clinical_profile(rng, person, self._today)
        out.append(pr.patient(person, card, meta, links))
        for resource_id, guardian, relationship in related:
            out.append(pr.related_person(resource_id, person, guardian, relationship, meta))
        if card is not None:
            out.append(pr.coverage(person.new_id(), card, subject, meta, card.start, card.end))
            if card.previous_start is not None:
                out.append(
                    pr.coverage(
                        person.new_id(), card, subject, meta, card.previous_start, card.start - 1
                    )
                )
        window_start = max(person.birth_day, self._today - int(HISTORY_YEARS * DAYS_PER_YEAR))
        if rng.random() < BLOOD_GROUP_KNOWN:
            tested = instant(stamp_of(rng.randint(window_start, self._today - 1), 9))
            out.append(pr.blood_group(person.new_id(), person, subject, tested, meta))
        if profile.allergy is not None:
            recorded = day_iso(rng.randint(window_start, self._today - 1))
            out.append(pr.allergy(person.new_id(), profile.allergy, subject, recorded, meta))
        problem_ids = {}
        for case in profile.chronic:
            problem_ids[case.disease.diagnosis.category] = person.new_id()
            out.append(
                pr.problem(problem_ids[case.disease.diagnosis.category], case, subject, meta)
            )
        primary_care = card.primary_care if card is not None else person.home.station
        employed = card is not None and card.group in EMPLOYED_GROUPS
        visits = self._planner.plan(rng, person, profile, primary_care, employed)
        insured_percent = card.percent if card is not None else None
        export = None
        if spool is not None:
            problems = {
                problem_ids[case.disease.diagnosis.category]: case.disease.diagnosis
                for case in profile.chronic
            }
            export = CitizenExport(spool, xml_patient(person, card), problems)
        writer = VisitWriter(
            person, profile, subject, problem_ids, insured_percent, out, self._today, export
        )
        follow_ups = [visit for visit in visits if visit.follow_up]
        for visit in visits:
            writer.write(rng, visit, bool(follow_ups) and visit is follow_ups[-1])
        doses, next_due = plan_doses(rng, person, self._today, HISTORY_YEARS)
        for dose in doses:
            site = vaccination_site(person, dose, self._registry)
            out.append(immunization(rng, person.new_id(), dose, subject, site))
        upcoming = self._appointments(rng, person, profile, visits, problem_ids, next_due)
        for plan in upcoming:
            out.append(appointment(person.new_id(), plan, subject))
        booked = sorted(plan.start for plan in upcoming if plan.status == "booked")
        return CitizenDigest(
            full_name=person.name.text,
            national_id=person.national_id,
            phone=person.phone,
            birth_date=day_iso(person.birth_day),
            age=person.age,
            ethnicity=person.ethnicity.label,
            wards=len(person.wards),
            visits=len(visits),
            results=writer.results,
            immunizations=len(doses),
            next_appointment=instant(booked[0]) if booked else None,
            card_status=card.status(self._today) if card is not None else None,
            card_valid_to=day_iso(card.end) if card is not None else None,
            chronic=tuple(case.disease.diagnosis.code for case in profile.chronic),
        )

    def _appointments(
        self,
        rng: Random,
        person: Person,
        profile: ClinicalProfile,
        visits: list[PlannedVisit],
        problem_ids: dict[str, str],
        next_due: PlannedDose | None,
    ) -> list[PlannedAppointment]:
        """Missed, re-examination and upcoming appointments (kept follow-ups are written with
        their visit)."""
        today, plans = self._today, []
        follow_ups = [visit for visit in visits if visit.follow_up]
        if follow_ups and rng.random() < 0.85:
            last = follow_ups[-1]
            category = last.diagnosis.category
            due = last.start // MINUTES_PER_DAY + profile.follow_up_days
            start = office_slot(rng, due) if due > today else upcoming_slot(rng, today, 14)
            plans.append(
                self._plan(
                    rng,
                    "booked",
                    start,
                    last.end,
                    last,
                    "Tái khám định kỳ",
                    last.diagnosis.reasons[0],
                    INSTRUCTIONS.get(category, BRING_PAPERS),
                    problem_ids.get(category),
                )
            )
            if rng.random() < 0.15:
                missed = office_slot(rng, today - rng.randint(20, 180))
                if missed // MINUTES_PER_DAY < today:
                    status = "noshow" if rng.random() < 0.7 else "cancelled"
                    plans.append(
                        self._plan(
                            rng,
                            status,
                            missed,
                            missed - 30 * MINUTES_PER_DAY,
                            last,
                            "Tái khám định kỳ",
                            last.diagnosis.reasons[0],
                            BRING_PAPERS,
                            problem_ids.get(category),
                        )
                    )
        for visit in visits:
            if visit.kind != INPATIENT:
                continue
            start = office_slot(rng, visit.end // MINUTES_PER_DAY + rng.randint(7, 14))
            status = "booked" if start // MINUTES_PER_DAY > today else "fulfilled"
            if status == "booked" or visit.end // MINUTES_PER_DAY >= today - 365:
                plans.append(
                    self._plan(
                        rng,
                        status,
                        start,
                        visit.end,
                        visit,
                        "Tái khám sau ra viện",
                        visit.diagnosis.display,
                        INSTRUCTIONS["discharge"],
                        None,
                    )
                )
        if next_due is not None:
            station = person.home.station
            start = office_slot(rng, max(next_due.day, today + 1))
            created = max(person.birth_day, today - rng.randint(1, 20)) * MINUTES_PER_DAY + 600
            plans.append(
                PlannedAppointment(
                    "booked",
                    start,
                    15,
                    created,
                    station,
                    Department.IMMUNIZATION,
                    station.doctor(rng, Department.IMMUNIZATION),
                    "Tiêm chủng mở rộng",
                    f"Tiêm {next_due.vaccine.text} mũi {next_due.dose}",
                    INSTRUCTIONS["vaccination"],
                )
            )
        return plans

    def _plan(
        self,
        rng: Random,
        status: str,
        start: int,
        created: int,
        visit: PlannedVisit,
        service: str,
        description: str,
        instructions: str,
        condition_id: str | None,
    ) -> PlannedAppointment:
        facility, department = visit.facility, visit.department
        if department is Department.EMERGENCY:
            department = Department.OUTPATIENT
        return PlannedAppointment(
            status,
            start,
            rng.choice((15, 30)),
            created,
            facility,
            department,
            facility.doctor(rng, department),
            service,
            description,
            instructions,
            condition_id,
        )
