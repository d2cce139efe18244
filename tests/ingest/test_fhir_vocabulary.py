"""The importer and the synthetic data generator agree on every URL they share."""

from __future__ import annotations

import pytest

from bot.ingest.fhir import vocabulary
from bot.ingest.store import FACILITY_CODE_SYSTEM, INSURANCE_NUMBER_SYSTEM, NATIONAL_ID_SYSTEM

synthetic = pytest.importorskip("bot.ingest.synthetic.constants")

SHARED = [
    "HEALTHBOT_FHIR_BASE",
    "EXT_BENEFIT_LEVEL",
    "EXT_BENEFIT_PERCENT",
    "EXT_PRIMARY_CARE",
    "EXT_FIVE_YEARS",
    "EXT_COPAY_EXEMPT",
    "EXT_RESIDENCE_AREA",
    "EXT_VISIT_TOTAL_COST",
    "EXT_VISIT_INSURANCE_PAID",
    "EXT_VISIT_PATIENT_COPAY",
    "EXT_VISIT_PATIENT_PAID",
    "EXT_ETHNICITY",
    "EXT_ADDRESS_COMMUNE",
    "PRACTISING_CERTIFICATE_SYSTEM",
    "BLOOD_TYPE_LOINC",
    "LOINC_SYSTEM",
    "SNOMED_SYSTEM",
    "OBSERVATION_CATEGORY",
    "V3_ROLE_CODE",
    "COVERAGE_CLASS",
]


@pytest.mark.parametrize("name", SHARED)
def test_shared_constants_are_equal(name: str) -> None:
    assert getattr(vocabulary, name) == getattr(synthetic, name)


def test_identifier_systems_written_by_the_generator_are_understood() -> None:
    assert synthetic.NATIONAL_ID_SYSTEM == NATIONAL_ID_SYSTEM
    assert synthetic.INSURANCE_NUMBER_SYSTEM == INSURANCE_NUMBER_SYSTEM
    assert synthetic.FACILITY_CODE_SYSTEM == FACILITY_CODE_SYSTEM
    assert synthetic.ICD10_SYSTEM in vocabulary.ICD10_SYSTEMS
