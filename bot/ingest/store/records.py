"""The typed records every importer hands to the store, and the references between them.

A record describes one row as the source sees it. References to citizens, facilities and
visits are given by what the source knows (a source key, a national ID, a facility code, an
identifier); the store turns them into row ids, so importers never query the database.
Strings longer than their column are cut to fit by the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Self

NATIONAL_ID_SYSTEM: Final = "http://fhir.ehealth.gov.vn/core/sid/national_id"
"""The 12-digit citizen ID (CCCD), stored in `citizens.national_id`."""
INSURANCE_NUMBER_SYSTEM: Final = "http://fhir.ehealth.gov.vn/core/sid/insurance_number"
"""A health-insurance (BHYT) card code, stored in `citizen_identifiers`."""
PATIENT_INTERNAL_ID_SYSTEM: Final = "http://fhir.ehealth.gov.vn/core/sid/patient-internal-id"
"""A facility's own patient number (MA_BN)."""
FACILITY_CODE_SYSTEM: Final = "https://moh.gov.vn/fhir/sid/facility-code"
"""The 5-character insurance facility code (MA_CSKCB), stored in `facilities.code`."""
SOURCE_KEY_SYSTEM: Final = "urn:healthbot:source-key"
"""References by source key; a row's further source keys are kept as identifiers of this system."""

# Values of `code_system` columns.
CODE_SYSTEM_ICD10: Final = "icd10"
CODE_SYSTEM_SNOMED: Final = "snomed"
CODE_SYSTEM_LOINC: Final = "loinc"


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier of a citizen or facility: a namespace URI and a value."""

    system: str
    value: str


@dataclass(frozen=True, slots=True)
class CitizenRef:
    """How a record names its citizen: by source key, national ID or another identifier."""

    system: str
    value: str

    @classmethod
    def by_key(cls, source_key: str) -> Self:
        """The citizen imported under `source_key` (or holding it as a further key)."""
        return cls(SOURCE_KEY_SYSTEM, source_key)

    @classmethod
    def by_national_id(cls, national_id: str) -> Self:
        """The citizen with this CCCD."""
        return cls(NATIONAL_ID_SYSTEM, national_id)


@dataclass(frozen=True, slots=True)
class FacilityRef:
    """How a record names a facility: by source key, insurance facility code or identifier."""

    system: str
    value: str

    @classmethod
    def by_key(cls, source_key: str) -> Self:
        """The facility imported under `source_key`."""
        return cls(SOURCE_KEY_SYSTEM, source_key)

    @classmethod
    def by_code(cls, code: str) -> Self:
        """The facility with this 5-character insurance code."""
        return cls(FACILITY_CODE_SYSTEM, code)


@dataclass(slots=True, kw_only=True)
class FacilityRecord:
    """A facility; matched by code, then source key, then identifiers."""

    source_key: str
    name: str
    code: str | None = None
    kind: str | None = None
    address: str | None = None
    district: str | None = None
    phone: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class PractitionerRecord:
    """A health worker named on records; `code` is the practising-certificate number."""

    source_key: str
    name: str
    code: str | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class CitizenRecord:
    """A person; matched by national ID, then source key, then identifiers.

    Raw `phones` are normalised to E.164 (read in `phone_region` when they have no country
    code) and added; phones and identifiers are never removed by an import. A newer record
    overwrites the fields it has; an older one only fills empty fields. A record that is not
    `authoritative` (say, a guardian named on a child's record) only ever fills empty fields.
    """

    source_key: str
    full_name: str
    national_id: str | None = None
    birth_date: date | None = None
    sex: str = "unknown"
    blood_type: str | None = None
    address_line: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    ethnicity: str | None = None
    deceased_at: datetime | None = None
    identifiers: tuple[Identifier, ...] = ()
    phones: tuple[str, ...] = ()
    phone_region: str = "VN"
    authoritative: bool = True
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class GuardianshipRecord:
    """A guardian of a child (relationship GUARD, MTH, FTH or PRN); inactive ones are removed."""

    source_key: str
    guardian: CitizenRef
    child: CitizenRef
    relationship_code: str
    active: bool = True


@dataclass(slots=True, kw_only=True)
class DiagnosisRecord:
    """A diagnosis of a visit; rank 0 is the main one."""

    name: str | None
    code: str | None = None
    code_system: str | None = None
    rank: int = 0


@dataclass(slots=True, kw_only=True)
class VisitServiceRecord:
    """A service or supply billed on a visit; money in whole VND."""

    name: str
    code: str | None = None
    quantity: float | None = None
    unit_price: int | None = None
    total: int | None = None
    insurance_paid: int | None = None
    performed_at: datetime | None = None


@dataclass(slots=True, kw_only=True)
class MedicationRecord:
    """A prescribed or taken medicine."""

    source_key: str
    citizen: CitizenRef
    name: str
    facility: FacilityRef | None = None
    visit_key: str | None = None
    code: str | None = None
    strength: str | None = None
    route: str | None = None
    dosage: str | None = None
    quantity: float | None = None
    unit: str | None = None
    unit_price: int | None = None
    total: int | None = None
    insurance_paid: int | None = None
    status: str | None = None
    active: bool = False
    authored: datetime | None = None
    prescriber: str | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class ObservationRecord:
    """A measurement or lab result."""

    source_key: str
    citizen: CitizenRef
    code: str
    name: str
    facility: FacilityRef | None = None
    visit_key: str | None = None
    category: str | None = None
    code_system: str | None = None
    value_number: float | None = None
    value_text: str | None = None
    unit: str | None = None
    reference_low: float | None = None
    reference_high: float | None = None
    reference_text: str | None = None
    interpretation: str | None = None
    conclusion: str | None = None
    effective: datetime | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class VisitRecord:
    """A visit. Its children, when given (not None), replace the stored ones wholesale
    whenever the visit is inserted or replaced; None leaves them alone. `facility_name` is
    kept only when the facility is unknown: a known facility's own name is stored.
    """

    source_key: str
    citizen: CitizenRef
    facility: FacilityRef | None = None
    facility_name: str | None = None
    visit_type: str | None = None
    department: str | None = None
    practitioner_name: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    reason: str | None = None
    outcome: str | None = None
    main_diagnosis_code: str | None = None
    main_diagnosis_name: str | None = None
    total_cost: int | None = None
    insurance_paid: int | None = None
    patient_copay: int | None = None
    patient_paid: int | None = None
    follow_up_date: date | None = None
    source_updated: datetime | None = None
    diagnoses: tuple[DiagnosisRecord, ...] | None = None
    services: tuple[VisitServiceRecord, ...] | None = None
    medications: tuple[MedicationRecord, ...] | None = None
    observations: tuple[ObservationRecord, ...] | None = None


@dataclass(slots=True, kw_only=True)
class ConditionRecord:
    """A condition; `category` is problem-list-item, encounter-diagnosis or health-concern."""

    source_key: str
    citizen: CitizenRef
    facility: FacilityRef | None = None
    visit_key: str | None = None
    code: str | None = None
    code_system: str | None = None
    name: str | None = None
    category: str | None = None
    clinical_status: str | None = None
    onset: datetime | None = None
    abated: datetime | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class AllergyRecord:
    """An allergy or intolerance."""

    source_key: str
    citizen: CitizenRef
    substance: str
    facility: FacilityRef | None = None
    category: str | None = None
    criticality: str | None = None
    severity: str | None = None
    reaction: str | None = None
    clinical_status: str | None = None
    recorded: datetime | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class ImmunizationRecord:
    """A vaccination."""

    source_key: str
    citizen: CitizenRef
    vaccine_name: str
    facility: FacilityRef | None = None
    vaccine_code: str | None = None
    target_disease: str | None = None
    dose_number: str | None = None
    lot_number: str | None = None
    status: str | None = None
    occurred: datetime | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class DiagnosticReportRecord:
    """A report grouping results."""

    source_key: str
    citizen: CitizenRef
    name: str
    facility: FacilityRef | None = None
    visit_key: str | None = None
    code: str | None = None
    conclusion: str | None = None
    issued: datetime | None = None
    result_count: int | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class AppointmentRecord:
    """An appointment; the bot's own cancellation columns are never written by imports."""

    source_key: str
    citizen: CitizenRef
    status: str
    start: datetime
    facility: FacilityRef | None = None
    end: datetime | None = None
    department: str | None = None
    practitioner_name: str | None = None
    reason: str | None = None
    instructions: str | None = None
    source_updated: datetime | None = None


@dataclass(slots=True, kw_only=True)
class CoverageRecord:
    """A health-insurance card period."""

    source_key: str
    citizen: CitizenRef
    card_number: str
    beneficiary_group: str | None = None
    benefit_level: int | None = None
    benefit_percent: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    primary_care_code: str | None = None
    primary_care_name: str | None = None
    five_years_date: date | None = None
    copay_exempt_from: date | None = None
    residence_area: str | None = None
    source_updated: datetime | None = None
