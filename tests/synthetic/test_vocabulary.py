"""The generator writes exactly the URLs and systems the FHIR importer reads."""

from __future__ import annotations

import pytest

from bot.ingest.fhir import vocabulary
from bot.ingest.synthetic import constants

SHARED = [
    "HEALTHBOT_FHIR_BASE",
    "EXT_BENEFIT_LEVEL",
    "EXT_BENEFIT_PERCENT",
    "EXT_PRIMARY_CARE",
    "EXT_FIVE_YEARS",
    "EXT_COPAY_EXEMPT",
    "EXT_RESIDENCE_AREA",
    "EXT_ETHNICITY",
    "EXT_ADDRESS_COMMUNE",
    "EXT_VISIT_TOTAL_COST",
    "EXT_VISIT_INSURANCE_PAID",
    "EXT_VISIT_PATIENT_COPAY",
    "EXT_VISIT_PATIENT_PAID",
    "PRACTISING_CERTIFICATE_SYSTEM",
    "BLOOD_TYPE_LOINC",
    "LOINC_SYSTEM",
    "SNOMED_SYSTEM",
    "V3_ROLE_CODE",
    "COVERAGE_CLASS",
]


@pytest.mark.parametrize("name", SHARED)
def test_constant_matches_the_importer(name: str) -> None:
    assert getattr(constants, name) == getattr(vocabulary, name)


def test_identifier_systems_are_understood_by_the_importer() -> None:
    assert constants.NATIONAL_ID_SYSTEM in vocabulary.NATIONAL_ID_SYSTEMS
    assert constants.INSURANCE_NUMBER_SYSTEM in vocabulary.INSURANCE_NUMBER_SYSTEMS
    assert constants.FACILITY_CODE_SYSTEM in vocabulary.FACILITY_CODE_SYSTEMS
    assert constants.ICD10_SYSTEM in vocabulary.ICD10_SYSTEMS
