"""A generated visit as an XML 130 HOSO instead of FHIR resources, and its spool line.

The visit is first generated as usual (so the random stream, and with it everything else in
the population, is the same as without the export); its Encounter, diagnosis Condition,
Observations, DiagnosticReports and MedicationRequests are then turned into the XML1, XML2,
XML3 and XML4 records a facility would have submitted. A visit travels to the end of the run
as one JSON line of element texts (`encode_visit`/`decode_visit`), the same texts the
submission writer puts in the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from bot.ingest.synthetic import drugs
from bot.ingest.synthetic.constants import (
    EXT_VISIT_INSURANCE_PAID,
    EXT_VISIT_PATIENT_COPAY,
    EXT_VISIT_PATIENT_PAID,
    EXT_VISIT_TOTAL_COST,
)
from bot.ingest.synthetic.diagnoses import Diagnosis
from bot.ingest.synthetic.fhir import Json
from bot.ingest.synthetic.history import INPATIENT, PlannedVisit
from bot.ingest.synthetic.insurance import Card
from bot.ingest.synthetic.people import Person
from bot.ingest.xml130.dates import BirthDate
from bot.ingest.xml130.records import (
    DrugLine,
    InsuranceCard,
    ResultLine,
    ServiceLine,
    VisitSummary,
    Xml130Visit,
)
from bot.ingest.xml130.tables import read_cards, read_fields
from bot.ingest.xml130.writer import record_values

OUTPATIENT_VISIT: Final = "01"
INPATIENT_VISIT: Final = "03"
IMPROVED: Final = 2
"""KET_QUA_DTRI of a discharged inpatient (Đỡ)."""
_COSTS: Final = {
    EXT_VISIT_TOTAL_COST: "total_cost",
    EXT_VISIT_INSURANCE_PAID: "insurance_paid",
    EXT_VISIT_PATIENT_COPAY: "patient_copay",
    EXT_VISIT_PATIENT_PAID: "patient_paid",
}
_PRICES: Final = {
    value.name: value.price for value in vars(drugs).values() if isinstance(value, drugs.Drug)
}
_LINE_TABLES: Final = (("XML2", DrugLine), ("XML3", ServiceLine), ("XML4", ResultLine))


@dataclass(frozen=True, slots=True)
class XmlPatient:
    """Who the citizen is in an XML1: the same CCCD, card and birth date as the FHIR Patient."""

    full_name: str
    national_id: str
    birth_date: date
    female: bool
    phone: str | None
    address: str | None
    card: Card | None


def xml_patient(person: Person, card: Card | None) -> XmlPatient:
    """The patient columns of a citizen's XML1 records."""
    return XmlPatient(
        person.name.text,
        person.national_id,
        date.fromordinal(person.birth_day),
        person.female,
        person.phone,
        person.home.address.get("text"),
        card,
    )


def xml_visit(
    patient: XmlPatient,
    visit: PlannedVisit,
    resources: list[Json],
    problems: Mapping[str, Diagnosis],
) -> Xml130Visit:
    """One visit's FHIR resources as a HOSO; `problems` names problem-list Conditions by id."""
    encounter = next(r for r in resources if r["resourceType"] == "Encounter")
    diagnoses = [
        _diagnosis(reference["condition"]["reference"][9:], resources, problems)
        for reference in encounter["diagnosis"]
    ]
    costs = {
        _COSTS[extension["url"]]: Decimal(extension["valueMoney"]["value"])
        for extension in encounter["extension"]
    }
    period = encounter["period"]
    summary = VisitSummary(
        ma_lk=encounter["id"],
        facility_code=visit.facility.code,
        full_name=patient.full_name,
        national_id=patient.national_id,
        birth_date=BirthDate(patient.birth_date),
        sex_code=2 if patient.female else 1,
        address=patient.address,
        phone=patient.phone,
        cards=_cards(patient.card, visit),
        primary_care_code=patient.card.primary_care.code if patient.card else None,
        residence_area=patient.card.residence_area if patient.card else None,
        reason=encounter["reasonCode"][0]["text"],
        diagnosis_text="; ".join(name for _, name in diagnoses),
        main_diagnosis=diagnoses[0][0],
        other_diagnoses=tuple(code for code, _ in diagnoses[1:]),
        admitted=datetime.fromisoformat(period["start"]),
        discharged=datetime.fromisoformat(period["end"]),
        outcome_code=IMPROVED if visit.kind == INPATIENT else None,
        visit_type=INPATIENT_VISIT if visit.kind == INPATIENT else OUTPATIENT_VISIT,
        department=visit.department.value,
        **costs,
    )
    return Xml130Visit(
        summary=summary,
        drugs=[_drug(r) for r in resources if r["resourceType"] == "MedicationRequest"],
        services=[_service(r) for r in resources if r["resourceType"] == "DiagnosticReport"],
        results=[
            line
            for r in resources
            if r["resourceType"] == "Observation"
            for line in _results(r)
        ],
    )


def encode_visit(visit: Xml130Visit) -> str:
    """The visit as one JSON line of element texts (no newline)."""
    document: dict[str, Any] = {"XML1": record_values(visit.summary)}
    if visit.summary.cards:
        card = visit.summary.cards[0]
        document["cards"] = [card.number, _day(card.valid_from), _day(card.valid_to)]
    for table, lines in (("XML2", visit.drugs), ("XML3", visit.services), ("XML4", visit.results)):
        document[table] = [record_values(line) for line in lines]
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def decode_visit(line: str) -> Xml130Visit:
    """The visit of an `encode_visit` line."""
    document = json.loads(line)
    summary_fields = read_fields(VisitSummary, document["XML1"], "XML1", None)
    if "cards" in document:
        number, valid_from, valid_to = document["cards"]
        card_texts = {"MA_THE_BHYT": number, "GT_THE_TU": valid_from, "GT_THE_DEN": valid_to}
        summary_fields["cards"] = read_cards(card_texts)
    lines = {
        table: [read_fields(kind, values, table, None) for values in document[table]]
        for table, kind in _LINE_TABLES
    }
    return Xml130Visit(
        summary=VisitSummary(**summary_fields),
        drugs=[DrugLine(**fields) for fields in lines["XML2"]],
        services=[ServiceLine(**fields) for fields in lines["XML3"]],
        results=[ResultLine(**fields) for fields in lines["XML4"]],
    )


def _day(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _cards(card: Card | None, visit: PlannedVisit) -> tuple[InsuranceCard, ...]:
    """The card period valid on the visit's day (the current or the previous one)."""
    if card is None:
        return ()
    day = visit.start // (24 * 60)
    if card.start <= day <= card.end:
        start, end = card.start, card.end
    elif card.previous_start is not None and card.previous_start <= day < card.start:
        start, end = card.previous_start, card.start - 1
    else:
        return (InsuranceCard(card.code),)
    return (InsuranceCard(card.code, date.fromordinal(start), date.fromordinal(end)),)


def _diagnosis(
    condition_id: str, resources: list[Json], problems: Mapping[str, Diagnosis]
) -> tuple[str, str]:
    if condition_id in problems:
        return problems[condition_id].code, problems[condition_id].display
    condition = next(r for r in resources if r.get("id") == condition_id)
    coding = condition["code"]["coding"][0]
    return coding["code"], condition["code"].get("text") or coding.get("display", "")


def _drug(request: Json) -> DrugLine:
    medicine = request["medicationCodeableConcept"]
    amount = request["dispenseRequest"]["quantity"]
    quantity = Decimal(str(amount["value"]))
    price = _PRICES.get(medicine.get("text", ""))
    dosage = request["dosageInstruction"][0]
    return DrugLine(
        code=medicine["coding"][0]["code"],
        name=medicine.get("text") or medicine["coding"][0].get("display", ""),
        unit=amount["unit"],
        route=dosage["route"]["text"],
        instructions=dosage["text"],
        quantity=quantity,
        unit_price=Decimal(price) if price is not None else None,
        total=Decimal(int(quantity) * price) if price is not None else None,
        ordered_at=datetime.fromisoformat(request["authoredOn"]),
    )


def _service(report: Json) -> ServiceLine:
    codings = report["code"].get("coding") or [{}]
    return ServiceLine(
        service_code=codings[0].get("code"),
        service_name=report["code"].get("text") or codings[0].get("display"),
        quantity=Decimal(1),
        ordered_at=datetime.fromisoformat(report["effectiveDateTime"]),
        result_at=datetime.fromisoformat(report["issued"]),
    )


def _results(observation: Json) -> list[ResultLine]:
    reported = datetime.fromisoformat(observation["effectiveDateTime"])
    parts = observation.get("component") or [observation]
    return [
        ResultLine(
            code=part["code"]["coding"][0]["code"],
            name=part["code"].get("text") or part["code"]["coding"][0].get("display"),
            value=format(Decimal(str(part["valueQuantity"]["value"])), "f"),
            unit=part["valueQuantity"].get("unit"),
            reported_at=reported,
        )
        for part in parts
        if "valueQuantity" in part
    ]
