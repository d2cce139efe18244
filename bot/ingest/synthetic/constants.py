"""Identifier systems, extension URLs and code systems written by the synthetic generator.

The FHIR importer reads the same constants, so a value changed here changes both sides.
Systems published by the Vietnamese Ministry of Health's VN Core implementation guide are used
as published; the rest live under `HEALTHBOT_FHIR_BASE`, a namespace owned by this project.
"""

from __future__ import annotations

from typing import Final

FHIR_VERSION: Final = "4.0.1"
HEALTHBOT_FHIR_BASE: Final = "https://healthbot.vn/fhir"
_EXTENSION_BASE: Final = HEALTHBOT_FHIR_BASE + "/StructureDefinition/"

# Identifier systems (VN Core IG for people; Ministry of Health codes for facilities and staff).
NATIONAL_ID_SYSTEM: Final = "http://fhir.ehealth.gov.vn/core/sid/national_id"
INSURANCE_NUMBER_SYSTEM: Final = "http://fhir.ehealth.gov.vn/core/sid/insurance_number"
FACILITY_CODE_SYSTEM: Final = "https://moh.gov.vn/fhir/sid/facility-code"
"""The 5-character insurance facility code (MA_CSKCB / MA_DKBD), first two digits the province."""
PRACTISING_CERTIFICATE_SYSTEM: Final = "https://moh.gov.vn/fhir/sid/practising-certificate"
"""The number of a practitioner's practising certificate (chứng chỉ hành nghề, MA_BAC_SI)."""

# Extensions. Coverage: benefit level 1-5 (valueInteger), percent paid by the fund
# (valueInteger), registered primary-care facility (valueReference to Organization/<id> with
# the facility-code identifier), the date five continuous years of cover were reached
# (valueDate), co-payment exemption start (valueDate), residence area K1/K2/K3 (valueString).
EXT_BENEFIT_LEVEL: Final = _EXTENSION_BASE + "bhyt-benefit-level"
EXT_BENEFIT_PERCENT: Final = _EXTENSION_BASE + "bhyt-benefit-percent"
EXT_PRIMARY_CARE: Final = _EXTENSION_BASE + "bhyt-primary-care-facility"
EXT_FIVE_YEARS: Final = _EXTENSION_BASE + "bhyt-five-years-continuous"
EXT_COPAY_EXEMPT: Final = _EXTENSION_BASE + "bhyt-copay-exempt-from"
EXT_RESIDENCE_AREA: Final = _EXTENSION_BASE + "bhyt-residence-area"
# Encounter: costs in VND (valueMoney): the visit's total, the part the fund paid, the
# patient's co-payment and what the patient paid in all.
EXT_VISIT_TOTAL_COST: Final = _EXTENSION_BASE + "visit-total-cost"
EXT_VISIT_INSURANCE_PAID: Final = _EXTENSION_BASE + "visit-insurance-paid"
EXT_VISIT_PATIENT_COPAY: Final = _EXTENSION_BASE + "visit-patient-copay"
EXT_VISIT_PATIENT_PAID: Final = _EXTENSION_BASE + "visit-patient-paid"
# Patient: ethnic group (valueCoding in ETHNICITY_SYSTEM). Address: commune or ward (valueString,
# also written to Address.city).
EXT_ETHNICITY: Final = _EXTENSION_BASE + "ethnicity"
EXT_ADDRESS_COMMUNE: Final = _EXTENSION_BASE + "address-commune"

# Code systems.
ETHNICITY_SYSTEM: Final = HEALTHBOT_FHIR_BASE + "/CodeSystem/vn-ethnic-group"
"""The General Statistics Office list of ethnic groups (01 Kinh, 04 Hoa, 05 Khmer, ...)."""
BENEFICIARY_GROUP_SYSTEM: Final = HEALTHBOT_FHIR_BASE + "/CodeSystem/bhyt-beneficiary-group"
"""The two-letter beneficiary group printed on insurance cards (DN, HC, HT, TE, ...)."""
ICD10_SYSTEM: Final = "http://hl7.org/fhir/sid/icd-10"
LOINC_SYSTEM: Final = "http://loinc.org"
SNOMED_SYSTEM: Final = "http://snomed.info/sct"
CVX_SYSTEM: Final = "http://hl7.org/fhir/sid/cvx"
ATC_SYSTEM: Final = "http://www.whocc.no/atc"
UCUM_SYSTEM: Final = "http://unitsofmeasure.org"
V2_IDENTIFIER_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"
V2_DIAGNOSTIC_SERVICE: Final = "http://terminology.hl7.org/CodeSystem/v2-0074"
V3_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ROLE_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
V3_PARTICIPATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
V3_INTERPRETATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ALLERGY_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION: Final = (
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
)
DIAGNOSIS_ROLE: Final = "http://terminology.hl7.org/CodeSystem/diagnosis-role"
DISCHARGE_DISPOSITION: Final = "http://terminology.hl7.org/CodeSystem/discharge-disposition"
MEDICATION_REQUEST_CATEGORY: Final = (
    "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
)
COVERAGE_CLASS: Final = "http://terminology.hl7.org/CodeSystem/coverage-class"
COVERAGE_COPAY_TYPE: Final = "http://terminology.hl7.org/CodeSystem/coverage-copay-type"
SUBSCRIBER_RELATIONSHIP: Final = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
ORGANIZATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/organization-type"
PRACTITIONER_ROLE: Final = "http://terminology.hl7.org/CodeSystem/practitioner-role"
LOCATION_PHYSICAL_TYPE: Final = "http://terminology.hl7.org/CodeSystem/location-physical-type"

BLOOD_TYPE_LOINC: Final = "882-1"
"""Observation code for "ABO and Rh group [Type] in Blood", valueCodeableConcept (SNOMED CT)."""

PROVINCE: Final = "Cà Mau"
"""Address.state of every citizen and facility: the province as merged on 1 July 2025."""
