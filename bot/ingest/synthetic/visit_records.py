"""Everything recorded at one visit: Encounter, diagnoses, vital signs, laboratory results,
prescriptions, and the appointment that a kept follow-up visit fulfilled."""

from __future__ import annotations

from random import Random
from typing import Final

from bot.ingest.synthetic import labs
from bot.ingest.synthetic.appointments import (
    BRING_PAPERS,
    INSTRUCTIONS,
    PlannedAppointment,
    appointment,
)
from bot.ingest.synthetic.clock import MINUTES_PER_DAY, instant
from bot.ingest.synthetic.costs import cost_extensions, visit_cost
from bot.ingest.synthetic.drugs import CHILD_FORMS
from bot.ingest.synthetic.encounters import diagnosis_condition, encounter, medication_request
from bot.ingest.synthetic.facilities import FacilityKind, StaffMember
from bot.ingest.synthetic.fhir import Json
from bot.ingest.synthetic.history import INPATIENT, PlannedVisit
from bot.ingest.synthetic.labs import LabOrder
from bot.ingest.synthetic.people import Person
from bot.ingest.synthetic.profile import ChronicCase, ClinicalProfile
from bot.ingest.synthetic.results import VisitResults
from bot.ingest.synthetic.xml130_export import CitizenExport

ADULT_AGE: Final = 16
CHILD_FORMS_AGE: Final = 12
"""Children younger than this get powders instead of tablets."""
BOOKED_FOLLOW_UPS_DAYS: Final = 365
"""Follow-up visits this recent were booked ahead, so they fulfil an Appointment."""
DENGUE: Final = frozenset({"A90", "A91", "A97"})


class VisitWriter:
    """Writes the resources of one citizen's visits."""

    def __init__(
        self,
        person: Person,
        profile: ClinicalProfile,
        subject: Json,
        problem_ids: dict[str, str],
        insured_percent: int | None,
        out: list[Json],
        today: int,
        export: CitizenExport | None = None,
    ) -> None:
        self._person = person
        self._export = export
        self._insured_percent = insured_percent
        self._profile = profile
        self._subject = subject
        self._problem_ids = problem_ids
        self._out = out
        self._today = today
        self.results = 0
        """Observations written so far."""

    def write(self, rng: Random, visit: PlannedVisit, last_follow_up: bool) -> None:
        """Write one visit; `last_follow_up` marks the follow-up whose prescriptions are current.

        A visit at an XML 130 facility is generated alike (the random stream does not change)
        but goes to the export; only the appointment it fulfilled stays in the Bundle.
        """
        if self._export is None or not self._export.takes(visit):
            self._write(rng, visit, last_follow_up)
            return
        bundle, self._out = self._out, []
        try:
            self._write(rng, visit, last_follow_up)
        finally:
            diverted, self._out = self._out, bundle
        bundle += (r for r in diverted if r["resourceType"] == "Appointment")
        self._export.add(visit, [r for r in diverted if r["resourceType"] != "Appointment"])

    def _write(self, rng: Random, visit: PlannedVisit, last_follow_up: bool) -> None:
        person, out = self._person, self._out
        day = visit.start // MINUTES_PER_DAY
        meta = {"lastUpdated": instant(visit.end)}
        doctor = visit.facility.doctor(rng, visit.department)
        cases = [case for case in self._profile.chronic if case.onset_day <= day]
        comorbidity_ids = [self._problem_ids[case.disease.diagnosis.category] for case in cases]
        encounter_id = person.new_id()
        if visit.follow_up:
            main_id = self._problem_ids[visit.diagnosis.category]
            condition_ids = [main_id, *(i for i in comorbidity_ids if i != main_id)]
        else:
            condition_ids = [person.new_id(), *comorbidity_ids[:2]]
        appointment_id = None
        if visit.follow_up and day >= self._today - BOOKED_FOLLOW_UPS_DAYS:
            appointment_id = self._kept_appointment(visit, doctor, condition_ids[0])
        costs: list[Json] = []
        out.append(
            encounter(
                encounter_id,
                visit,
                self._subject,
                doctor,
                rng.choice(visit.diagnosis.reasons),
                condition_ids,
                appointment_id,
                meta,
                costs,
            )
        )
        if not visit.follow_up:
            out.append(
                diagnosis_condition(
                    condition_ids[0], visit, self._subject, encounter_id, self._today, meta
                )
            )
        conditions = (visit.diagnosis.category, *self._profile.chronic_categories)
        if visit.diagnosis.fever:
            conditions += ("fever",)
        results = VisitResults(
            person.new_id,
            out,
            self._subject,
            {"reference": "urn:uuid:" + encounter_id},
            visit.facility.organization_reference,
            person.female,
        )
        self._vital_signs(rng, results, visit, conditions)
        for lab_order in self._lab_orders(rng, visit, cases):
            results.lab_order(rng, lab_order, conditions, visit.start + 20)
        if visit.kind == INPATIENT and visit.diagnosis.category in DENGUE:
            for extra_day in range(1, min(3, (visit.end - visit.start) // MINUTES_PER_DAY) + 1):
                results.lab_order(
                    rng, labs.order(labs.CBC), conditions, visit.start + extra_day * MINUTES_PER_DAY
                )
        self.results += results.observations
        medicines = self._prescribe(
            rng, visit, cases, condition_ids[0], doctor, encounter_id, meta, last_follow_up
        )
        costs += cost_extensions(
            visit_cost(visit, results.lab_tests, medicines), self._insured_percent
        )

    def _kept_appointment(self, visit: PlannedVisit, doctor: StaffMember, condition_id: str) -> str:
        appointment_id = self._person.new_id()
        category = visit.diagnosis.category
        plan = PlannedAppointment(
            "fulfilled",
            visit.start,
            15,
            visit.start - self._profile.follow_up_days * MINUTES_PER_DAY,
            visit.facility,
            visit.department,
            doctor,
            "Tái khám định kỳ",
            visit.diagnosis.reasons[0],
            INSTRUCTIONS.get(category, BRING_PAPERS),
            condition_id,
        )
        self._out.append(appointment(appointment_id, plan, self._subject))
        return appointment_id

    def _vital_signs(
        self, rng: Random, results: VisitResults, visit: PlannedVisit, conditions: tuple[str, ...]
    ) -> None:
        at = visit.start + 5
        age = (visit.start // MINUTES_PER_DAY - self._person.birth_day) / 365.25
        female = self._person.female
        if age >= ADULT_AGE:
            if rng.random() < (0.95 if "I10" in conditions else 0.5):
                results.blood_pressure(rng, conditions, at)
            if rng.random() < 0.2:
                value, flag = results.measure(rng, labs.HEART_RATE, conditions)
                results.observation(labs.HEART_RATE, value, flag, at, True)
            weigh, measure_height = rng.random() < 0.25, False
        else:
            weigh, measure_height = rng.random() < 0.8, rng.random() < 0.3
        if weigh:
            height, weight = self._profile.body_at(female, age)
            weight = round(weight * rng.gauss(1.0, 0.015), 1)
            results.observation(labs.WEIGHT, weight, None, at, True)
            if measure_height or rng.random() < 0.15:
                results.observation(labs.HEIGHT, round(height), None, at, True)
            if age >= ADULT_AGE:
                bmi = round(weight / (height / 100) ** 2, 1)
                results.observation(labs.BMI, bmi, results.flag(labs.BMI, bmi), at, True)
        if "fever" in conditions and rng.random() < 0.8:
            value, flag = results.measure(rng, labs.TEMPERATURE, conditions)
            results.observation(labs.TEMPERATURE, value, flag, at, True)

    def _lab_orders(
        self, rng: Random, visit: PlannedVisit, cases: list[ChronicCase]
    ) -> list[LabOrder]:
        if visit.follow_up:
            scale = self._profile.follow_up_days / 30
            orders = [
                lab_order
                for case in cases
                for chance, lab_order in case.disease.follow_up_labs
                if rng.random() < chance * scale
            ]
            return list(dict.fromkeys(orders))
        at_station = visit.facility.kind is FacilityKind.COMMUNE_STATION
        if visit.diagnosis.labs and rng.random() < (0.3 if at_station else 0.85):
            return list(visit.diagnosis.labs)
        return []

    def _prescribe(
        self,
        rng: Random,
        visit: PlannedVisit,
        cases: list[ChronicCase],
        reason_id: str,
        doctor: StaffMember,
        encounter_id: str,
        meta: Json,
        last_follow_up: bool,
    ) -> int:
        """Write the prescriptions; returns their cost in VND."""
        person, profile = self._person, self._profile
        end_day = visit.end // MINUTES_PER_DAY
        child = (end_day - person.birth_day) < CHILD_FORMS_AGE * 365.25
        if visit.follow_up:
            prescriptions = [
                (drug, self._problem_ids[case.disease.diagnosis.category])
                for case in cases
                for drug in case.regimen
            ]
            days, active = profile.follow_up_days, last_follow_up
        else:
            prescriptions = [
                (drug, reason_id)
                for n, drug in enumerate(visit.diagnosis.drugs)
                if n == 0 or rng.random() < 0.8
            ]
            days, active = 0, False
        seen, cost = set(), 0
        for drug, reason in prescriptions:
            if child:
                drug = CHILD_FORMS.get(drug, drug)
            allowed = profile.prescribable(drug)
            if allowed is None or allowed in seen:
                continue
            seen.add(allowed)
            supply = days or allowed.course_days
            still_taking = active or end_day + supply >= self._today
            self._out.append(
                medication_request(
                    person.new_id(),
                    allowed,
                    supply,
                    still_taking,
                    visit,
                    self._subject,
                    encounter_id,
                    doctor,
                    reason,
                    meta,
                )
            )
            cost += int(allowed.quantity_for(supply)) * allowed.price
        return cost
