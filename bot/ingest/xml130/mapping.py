"""Turn the typed tables of one HOSO into the store's records.

Source keys: the visit is `xml130:<MA_CSKCB>:<MA_LK>`; its medicines, results and
re-examination papers extend that key (`:drug:<n>`, `:result:<n>`, `:reexam#<SO_GIAYHEN_KL>`);
a card period is `xml130:coverage:<card>:<GT_THE_TU>`; a facility first seen in a file is
`xml130:facility:<MA_CSKCB>`; a citizen first seen in a file is `xml130:citizen:<CCCD>`.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from bot.ingest.store.records import (
    CODE_SYSTEM_ICD10,
    AppointmentRecord,
    CitizenRecord,
    CitizenRef,
    CoverageRecord,
    DiagnosisRecord,
    FacilityRecord,
    FacilityRef,
    MedicationRecord,
    ObservationRecord,
    VisitRecord,
    VisitServiceRecord,
)
from bot.ingest.xml130.codes import OUTCOMES, SEXES, blood_group, visit_type
from bot.ingest.xml130.dates import local_datetime
from bot.ingest.xml130.hoso import result_code, service_name
from bot.ingest.xml130.patient import PatientKeys
from bot.ingest.xml130.records import (
    DrugLine,
    ReexamAppointment,
    ResultLine,
    ServiceLine,
    VisitSummary,
    Xml130Visit,
)

SOURCE_PREFIX = "xml130"
LABORATORY = "laboratory"
MEDICATION_STATUS = "completed"
APPOINTMENT_STATUS = "booked"
DATE_ONLY_APPOINTMENT_TIME = time(7, 30)
"""A re-examination paper giving only a day (8 characters) is booked for 07:30 local time,
when facilities open their morning session; the paper asks the patient to come that morning."""
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def visit_key(summary: VisitSummary) -> str:
    """The visit's source key: `xml130:<MA_CSKCB>:<MA_LK>`."""
    return f"{SOURCE_PREFIX}:{summary.facility_code}:{summary.ma_lk}"


def facility_record(code: str) -> FacilityRecord:
    """A facility known only by its code; named by the code until a FHIR Organization names it."""
    return FacilityRecord(source_key=f"{SOURCE_PREFIX}:facility:{code}", name=code, code=code)


def new_citizen_key(national_id: str) -> str:
    """The source key of a citizen first seen in an XML 130 file."""
    return f"{SOURCE_PREFIX}:citizen:{national_id}"


def money(value: Decimal | None) -> int | None:
    """Whole VND, half rounded up."""
    return None if value is None else int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _quantity(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def visit_time(summary: VisitSummary) -> datetime | None:
    """When the facts of the XML1 were true: discharge, else admission."""
    return summary.discharged or summary.admitted


def citizen_record(
    summary: VisitSummary, keys: PatientKeys, source_key: str, *, keep_birth_date: bool
) -> CitizenRecord:
    """The patient as of the visit; `keep_birth_date` leaves a stored birth date alone."""
    birth = summary.birth_date
    return CitizenRecord(
        source_key=source_key,
        full_name=summary.full_name,
        national_id=keys.national_id,
        birth_date=None if birth is None or keep_birth_date else birth.value,
        sex=SEXES[summary.sex_code] if summary.sex_code is not None else "unknown",
        blood_type=blood_group(summary.blood_group) if summary.blood_group else None,
        address_line=summary.address,
        identifiers=keys.identifiers(),
        phones=(summary.phone,) if summary.phone else (),
        source_updated=visit_time(summary),
    )


def coverage_records(
    summary: VisitSummary, keys: PatientKeys, citizen: CitizenRef
) -> list[CoverageRecord]:
    """One card period per card of MA_THE_BHYT."""
    records = []
    for card, code in zip(summary.cards, keys.cards, strict=True):
        start = card.valid_from.isoformat() if card.valid_from else ""
        records.append(
            CoverageRecord(
                source_key=f"{SOURCE_PREFIX}:coverage:{card.number}:{start}",
                citizen=citizen,
                card_number=card.number,
                beneficiary_group=code.beneficiary_group,
                benefit_level=code.benefit_level,
                benefit_percent=code.benefit_percent,
                valid_from=card.valid_from,
                valid_to=card.valid_to,
                primary_care_code=summary.primary_care_code,
                five_years_date=summary.five_years_date,
                copay_exempt_from=summary.copay_exempt_from,
                residence_area=summary.residence_area,
                source_updated=visit_time(summary),
            )
        )
    return records


def diagnosis_records(summary: VisitSummary) -> tuple[DiagnosisRecord, ...]:
    """Main (rank 0) and secondary diagnoses; CHAN_DOAN_RV names each code when it lists them."""
    main = summary.main_diagnosis.strip().upper() if summary.main_diagnosis else None
    codes = [main] + [code.upper() for code in summary.other_diagnoses]
    text = summary.diagnosis_text
    names: list[str | None] = [None] * len(codes)
    parts = [part.strip() for part in text.split(";")] if text else []
    if len(parts) == len(codes) and len(parts) > 1 and main is not None:
        names = list(parts)
    else:
        names[0] = text
    return tuple(
        DiagnosisRecord(
            name=name, code=code, code_system=CODE_SYSTEM_ICD10 if code else None, rank=rank
        )
        for rank, (code, name) in enumerate(zip(codes, names, strict=True))
        if code is not None or name is not None
    )


def _dosage(line: DrugLine) -> str | None:
    parts = [part for part in (line.dose, line.instructions) if part]
    return "; ".join(parts) or None


def medication_record(
    line: DrugLine, number: int, key: str, citizen: CitizenRef, facility: FacilityRef
) -> MedicationRecord:
    """One XML2 line."""
    return MedicationRecord(
        source_key=f"{key}:drug:{number}",
        citizen=citizen,
        facility=facility,
        visit_key=key,
        name=line.name,
        code=line.code,
        strength=line.strength,
        route=line.route,
        dosage=_dosage(line),
        quantity=_quantity(line.quantity),
        unit=line.unit,
        unit_price=money(line.unit_price),
        total=money(line.total),
        insurance_paid=money(line.insurance_paid),
        status=MEDICATION_STATUS,
        authored=line.ordered_at,
        prescriber=line.prescriber,
    )


def service_record(line: ServiceLine, number: int) -> VisitServiceRecord:
    """One XML3 line: a service, or a supply when it has no service name."""
    return VisitServiceRecord(
        name=service_name(line, number),
        code=line.service_code or line.supply_code,
        quantity=_quantity(line.quantity),
        unit_price=money(line.unit_price),
        total=money(line.total),
        insurance_paid=money(line.insurance_paid),
        performed_at=line.performed_at or line.ordered_at,
    )


def result_value(text: str | None) -> tuple[float | None, str | None]:
    """GIA_TRI as a number when it is one (`7,8` and `7.8` alike), else as text."""
    if not text:
        return None, None
    if _NUMBER.match(text):
        return float(text.replace(",", ".")), None
    return None, text


def observation_record(
    line: ResultLine, number: int, key: str, citizen: CitizenRef, facility: FacilityRef
) -> ObservationRecord:
    """One XML4 line; MO_TA is the value of a result without GIA_TRI (imaging findings)."""
    code = result_code(line, number)
    number_value, text_value = result_value(line.value)
    conclusion = line.conclusion
    if line.value is None:
        text_value = line.description
    elif line.description:
        conclusion = "\n".join(part for part in (line.description, conclusion) if part)
    return ObservationRecord(
        source_key=f"{key}:result:{number}",
        citizen=citizen,
        facility=facility,
        visit_key=key,
        category=LABORATORY,
        code=code,
        name=line.name or code,
        value_number=number_value,
        value_text=text_value,
        unit=line.unit,
        conclusion=conclusion,
        effective=line.reported_at,
    )


def visit_record(visit: Xml130Visit, citizen: CitizenRef, stamp: datetime) -> VisitRecord:
    """The visit with its diagnoses, services, medicines and results (which it replaces)."""
    summary = visit.summary
    key = visit_key(summary)
    facility = FacilityRef.by_code(summary.facility_code)
    diagnoses = diagnosis_records(summary)
    main = diagnoses[0] if diagnoses and diagnoses[0].rank == 0 else None
    return VisitRecord(
        source_key=key,
        citizen=citizen,
        facility=facility,
        visit_type=visit_type(summary.visit_type) if summary.visit_type else None,
        department=summary.department,
        start=summary.admitted,
        end=summary.discharged,
        reason=summary.reason,
        outcome=OUTCOMES[summary.outcome_code] if summary.outcome_code is not None else None,
        main_diagnosis_code=main.code if main else None,
        main_diagnosis_name=main.name if main else None,
        total_cost=money(summary.total_cost),
        insurance_paid=money(summary.insurance_paid),
        patient_copay=money(summary.patient_copay),
        patient_paid=money(summary.patient_paid),
        follow_up_date=summary.follow_up_date,
        source_updated=stamp,
        diagnoses=diagnoses,
        services=tuple(service_record(line, n) for n, line in enumerate(visit.services, 1)),
        medications=tuple(
            medication_record(line, n, key, citizen, facility)
            for n, line in enumerate(visit.drugs, 1)
        ),
        observations=tuple(
            observation_record(line, n, key, citizen, facility)
            for n, line in enumerate(visit.results, 1)
        ),
    )


def appointment_family(summary: VisitSummary) -> str:
    """The key prefix of a visit's re-examination appointments (`<visit key>:reexam`)."""
    return f"{visit_key(summary)}:reexam"


def appointment_record(
    paper: ReexamAppointment,
    number: int,
    summary: VisitSummary,
    citizen: CitizenRef,
    stamp: datetime,
) -> AppointmentRecord:
    """One XML14 paper as a booked appointment, keyed `<visit key>:reexam#<SO_GIAYHEN_KL>`."""
    moment = paper.return_on
    return AppointmentRecord(
        source_key=f"{appointment_family(summary)}#{paper.number or number}",
        citizen=citizen,
        status=APPOINTMENT_STATUS,
        start=local_datetime(moment.day, moment.clock or DATE_ONLY_APPOINTMENT_TIME),
        facility=FacilityRef.by_code(paper.facility_code or summary.facility_code),
        practitioner_name=paper.doctor,
        reason=paper.diagnosis_text,
        source_updated=stamp,
    )
