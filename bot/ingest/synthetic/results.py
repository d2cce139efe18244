"""Vital signs and laboratory results of a visit: Observations and DiagnosticReports.

Each value gets `interpretation` N, H or L against its reference range; a report's conclusion
lists what was out of range, in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from random import Random
from typing import Final

from bot.ingest.synthetic import labs
from bot.ingest.synthetic.clock import instant
from bot.ingest.synthetic.constants import (
    OBSERVATION_CATEGORY,
    UCUM_SYSTEM,
    V2_DIAGNOSTIC_SERVICE,
    V3_INTERPRETATION,
)
from bot.ingest.synthetic.fhir import Json, concept
from bot.ingest.synthetic.labs import LabOrder, LabTest

VITAL_SIGNS: Final = [concept(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")]
LABORATORY: Final = [concept(OBSERVATION_CATEGORY, "laboratory", "Laboratory")]
LAB_SERVICE: Final = [concept(V2_DIAGNOSTIC_SERVICE, "LAB", "Laboratory")]
INTERPRETATIONS: Final = {
    "N": [concept(V3_INTERPRETATION, "N", "Normal", "Bình thường")],
    "H": [concept(V3_INTERPRETATION, "H", "High", "Cao")],
    "L": [concept(V3_INTERPRETATION, "L", "Low", "Thấp")],
}
WORDS: Final = {"H": "tăng", "L": "giảm"}
NORMAL_CONCLUSION: Final = "Các chỉ số trong giới hạn bình thường."

NewId = Callable[[], str]


class VisitResults:
    """Writes the results of one visit into a list of resources."""

    __slots__ = (
        "_encounter",
        "_female",
        "_new_id",
        "_out",
        "_performer",
        "_subject",
        "lab_tests",
        "observations",
    )

    def __init__(
        self,
        new_id: NewId,
        out: list[Json],
        subject: Json,
        encounter: Json,
        performer: Json,
        female: bool,
    ) -> None:
        self._new_id = new_id
        self._out = out
        self._subject = subject
        self._encounter = encounter
        self._performer = [performer]
        self._female = female
        self.observations = 0
        """Observations written so far."""
        self.lab_tests = 0
        """Laboratory tests among them (each is billed)."""

    def measure(self, rng: Random, test: LabTest, conditions: Sequence[str]) -> tuple[float, str]:
        """Draw a value of `test` for someone with `conditions`; returns (value, flag).

        The first of `conditions` (an ordered sequence, so that the output never depends on
        hash order) that shifts the test's distribution wins.
        """
        mean, spread = test.female_normal if self._female else test.male_normal
        for condition in conditions:
            shifted = test.shifted.get(condition)
            if shifted is not None:
                mean, spread = shifted
                break
        value = round(max(rng.gauss(mean, spread), mean * 0.2), test.decimals)
        return (int(value) if test.decimals == 0 else value), self.flag(test, value)

    def flag(self, test: LabTest, value: float) -> str:
        """N, H or L: the value against the test's reference range for this person's sex."""
        low, high = test.bounds(self._female)
        if high is not None and value > high:
            return "H"
        if low is not None and value < low:
            return "L"
        return "N"

    def observation(
        self, test: LabTest, value: float, flag: str | None, at: int, vital: bool
    ) -> str:
        """Add one Observation; returns its id."""
        when = instant(at)
        resource: Json = {
            "resourceType": "Observation",
            "id": self._new_id(),
            "meta": {"lastUpdated": when},
            "status": "final",
            "category": VITAL_SIGNS if vital else LABORATORY,
            "code": test.code,
            "subject": self._subject,
            "encounter": self._encounter,
            "effectiveDateTime": when,
            "issued": when,
            "performer": self._performer,
            "valueQuantity": {
                "value": value,
                "unit": test.unit,
                "system": UCUM_SYSTEM,
                "code": test.ucum,
            },
        }
        if flag is not None:
            resource["interpretation"] = INTERPRETATIONS[flag]
            resource["referenceRange"] = test.reference_ranges[self._female]
        self._out.append(resource)
        self.observations += 1
        return str(resource["id"])

    def blood_pressure(self, rng: Random, conditions: Sequence[str], at: int) -> None:
        """A blood-pressure panel with systolic and diastolic components."""
        when = instant(at)
        components = []
        for test in (labs.SYSTOLIC, labs.DIASTOLIC):
            value, flag = self.measure(rng, test, conditions)
            components.append(
                {
                    "code": test.code,
                    "valueQuantity": {
                        "value": value,
                        "unit": test.unit,
                        "system": UCUM_SYSTEM,
                        "code": test.ucum,
                    },
                    "interpretation": INTERPRETATIONS[flag],
                    "referenceRange": test.reference_ranges[self._female],
                }
            )
        self._out.append(
            {
                "resourceType": "Observation",
                "id": self._new_id(),
                "meta": {"lastUpdated": when},
                "status": "final",
                "category": VITAL_SIGNS,
                "code": labs.BLOOD_PRESSURE_CODE,
                "subject": self._subject,
                "encounter": self._encounter,
                "effectiveDateTime": when,
                "issued": when,
                "performer": self._performer,
                "component": components,
            }
        )
        self.observations += 1

    def lab_order(
        self, rng: Random, lab_order: LabOrder, conditions: Sequence[str], at: int
    ) -> None:
        """The results of one order and the DiagnosticReport grouping them."""
        issued = at + 90
        result_refs, findings = [], []
        for test in lab_order.tests:
            value, flag = self.measure(rng, test, conditions)
            result_refs.append(
                {"reference": "urn:uuid:" + self.observation(test, value, flag, issued, False)}
            )
            if flag != "N":
                findings.append(f"{test.text} {WORDS[flag]} ({_number(value)} {test.unit})")
        self.lab_tests += len(lab_order.tests)
        conclusion = "; ".join(findings) + "." if findings else NORMAL_CONCLUSION
        when = instant(issued)
        self._out.append(
            {
                "resourceType": "DiagnosticReport",
                "id": self._new_id(),
                "meta": {"lastUpdated": when},
                "status": "final",
                "category": LAB_SERVICE,
                "code": lab_order.panel.code,
                "subject": self._subject,
                "encounter": self._encounter,
                "effectiveDateTime": instant(at),
                "issued": when,
                "performer": self._performer,
                "result": result_refs,
                "conclusion": conclusion,
            }
        )


def _number(value: float) -> str:
    """A value as Vietnamese write it, with a decimal comma."""
    return str(value).replace(".", ",")
