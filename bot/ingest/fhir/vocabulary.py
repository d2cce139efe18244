"""FHIR systems, extension URLs and code maps the importer understands.

Systems published by the Ministry of Health's VN Core implementation guide are used as
published. Extensions that the guide lacks (insurance card details, visit costs) are
canonical here, under this project's namespace `HEALTHBOT_FHIR_BASE`; the synthetic data
generator (`bot.ingest.synthetic.constants`) writes the same URLs, and a test keeps the two
files in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.ingest.store import FACILITY_CODE_SYSTEM, INSURANCE_NUMBER_SYSTEM, NATIONAL_ID_SYSTEM

HEALTHBOT_FHIR_BASE: Final = "https://healthbot.vn/fhir"
_EXTENSION: Final = HEALTHBOT_FHIR_BASE + "/StructureDefinition/"
VN_CORE_SID: Final = "http://fhir.ehealth.gov.vn/core/sid/"
VN_CORE_EXTENSION: Final = "http://fhir.ehealth.gov.vn/core/StructureDefinition/"

# Identifiers.
NATIONAL_ID_SYSTEMS: Final = frozenset({NATIONAL_ID_SYSTEM})
INSURANCE_NUMBER_SYSTEMS: Final = frozenset({INSURANCE_NUMBER_SYSTEM})
FACILITY_CODE_SYSTEMS: Final = frozenset(
    {
        FACILITY_CODE_SYSTEM,
        VN_CORE_SID + "provider-code",
        # The IG's SID-Provider-Code declares this URI (shared with the licence number by
        # mistake); its values are taken as facility codes only when shaped like one.
        VN_CORE_SID + "provider-medical-license-number",
    }
)
PRACTISING_CERTIFICATE_SYSTEM: Final = "https://moh.gov.vn/fhir/sid/practising-certificate"
OLD_ID_CARD_SYSTEM: Final = VN_CORE_SID + "citizen_id"
"""The 9-digit identity card (CMND) that the CCCD replaced."""
V2_IDENTIFIER_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"
NATIONAL_ID_TYPE: Final = "NI"
INSURANCE_NUMBER_TYPE: Final = "SB"

# Extensions on Coverage (insurance card details).
EXT_BENEFIT_LEVEL: Final = _EXTENSION + "bhyt-benefit-level"
"""valueInteger 1-5 (or valueCode/valueString holding the digit)."""
EXT_BENEFIT_PERCENT: Final = _EXTENSION + "bhyt-benefit-percent"
"""valueInteger or valueDecimal: percent of costs paid by the fund."""
EXT_PRIMARY_CARE: Final = _EXTENSION + "bhyt-primary-care-facility"
"""valueReference to the Organization, valueIdentifier, or valueCode/valueString (the code)."""
EXT_FIVE_YEARS: Final = _EXTENSION + "bhyt-five-years-continuous"
"""valueDate: five continuous years of cover reached."""
EXT_COPAY_EXEMPT: Final = _EXTENSION + "bhyt-copay-exempt-from"
"""valueDate: co-payments waived from this day."""
EXT_RESIDENCE_AREA: Final = _EXTENSION + "bhyt-residence-area"
"""valueCode or valueString: K1, K2 or K3."""

# Extensions on Encounter (costs in VND; valueMoney, valueDecimal or valueInteger).
EXT_VISIT_TOTAL_COST: Final = _EXTENSION + "visit-total-cost"
EXT_VISIT_INSURANCE_PAID: Final = _EXTENSION + "visit-insurance-paid"
EXT_VISIT_PATIENT_COPAY: Final = _EXTENSION + "visit-patient-copay"
EXT_VISIT_PATIENT_PAID: Final = _EXTENSION + "visit-patient-paid"
EXT_VISIT_FOLLOW_UP: Final = _EXTENSION + "visit-follow-up-date"
"""valueDate or valueDateTime: the re-examination day (NGAY_TAI_KHAM)."""

# Extensions on Patient.
EXT_ETHNICITY: Final = _EXTENSION + "ethnicity"
EXT_ADDRESS_COMMUNE: Final = _EXTENSION + "address-commune"
VN_EXT_RACE: Final = VN_CORE_EXTENSION + "extension-race"
VN_EXT_ADMINISTRATIVE_ADDRESS: Final = VN_CORE_EXTENSION + "extension-administrative-address"

# Code systems.
ICD10_SYSTEMS: Final = frozenset(
    {
        "http://hl7.org/fhir/sid/icd-10",
        "http://hl7.org/fhir/sid/icd-10-vn",
        "http://terminology.hl7.org/CodeSystem/icd10",
    }
)
SNOMED_SYSTEM: Final = "http://snomed.info/sct"
MEDICATION_ROUTE_SYSTEM: Final = "http://fhir.hl7.org.vn/core/CodeSystem/vn-medication-route-cs"
"""The Ministry's drug route codes (XML 130 DUONG_DUNG); stored as the code, named on display."""
LOINC_SYSTEM: Final = "http://loinc.org"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
V3_ROLE_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
COVERAGE_CLASS: Final = "http://terminology.hl7.org/CodeSystem/coverage-class"
BLOOD_TYPE_LOINC: Final = "882-1"

GUARDIAN_ROLES: Final = frozenset({"GUARD", "MTH", "FTH", "PRN"})
"""RelatedPerson relationships that make a guardian (v3-RoleCode)."""

# v3-ActCode encounter classes -> the store's visit types (shared with the XML 130 importer).
VISIT_TYPES: Final[Mapping[str, str]] = {
    "AMB": "outpatient_visit",
    "OBSENC": "outpatient_visit",
    "PRENC": "outpatient_visit",
    "IMP": "inpatient",
    "ACUTE": "inpatient",
    "NONAC": "inpatient",
    "SS": "inpatient_short_stay",
    "EMER": "emergency",
    "HH": "home_visit",
    "VR": "virtual",
    "FLD": "other",
}

# Benefit level -> percent of costs the fund pays (vietnam-ids.md).
BENEFIT_PERCENT: Final[Mapping[int, int]] = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}

SUPPORTED_TYPES: Final = (
    "Organization",
    "Location",
    "Practitioner",
    "Patient",
    "RelatedPerson",
    "Coverage",
    "Encounter",
    "Condition",
    "AllergyIntolerance",
    "Immunization",
    "MedicationRequest",
    "MedicationStatement",
    "Observation",
    "DiagnosticReport",
    "Appointment",
)
"""Imported resource types, in the order their rows are written (referenced ones first)."""
