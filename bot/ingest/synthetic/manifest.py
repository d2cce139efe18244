"""File names and `manifest.json`: what was generated, with which options, and whom to try.

The manifest holds no timings, so regenerating with the same options gives the same bytes.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Final

from bot.ingest.synthetic import constants

if TYPE_CHECKING:
    from bot.ingest.synthetic.generator import ChunkResult, Options

MANIFEST_FILE: Final = "manifest.json"
FACILITIES_FILE: Final = "facilities.json"
GENERATOR: Final = "healthbot synthetic province generator 1"


def chunk_name(number: int) -> str:
    """`citizens-00001.ndjson` for chunk 1."""
    return f"citizens-{number:05d}.ndjson"


def manifest(
    options: Options,
    facilities: dict[str, Any],
    chunks: list[ChunkResult],
    demo: list[dict[str, Any]],
) -> dict[str, Any]:
    """The manifest document."""
    resources: Counter[str] = Counter()
    for chunk in chunks:
        resources.update(chunk.resources)
    registry: Counter[str] = Counter(e["resource"]["resourceType"] for e in facilities["entry"])
    citizens = options.citizens
    return {
        "generator": GENERATOR,
        "fhirVersion": constants.FHIR_VERSION,
        "layout": "facilities.json is a FHIR collection Bundle of Organization, Location, "
        "Practitioner and PractitionerRole resources; each citizens-NNNNN.ndjson line "
        "is a collection Bundle holding one household, referring to the registry as "
        "Organization/<id>, Location/<id> and Practitioner/<id>.",
        "seed": options.seed,
        "referenceDate": options.today.isoformat(),
        "density": options.density,
        "chunkSize": options.chunk_size,
        "citizens": citizens,
        "households": sum(chunk.households for chunk in chunks),
        "facilities": {"file": FACILITIES_FILE, "resources": dict(sorted(registry.items()))},
        "files": [
            {
                "name": chunk.name,
                "citizens": chunk.citizens,
                "households": chunk.households,
                "bytes": chunk.bytes,
            }
            for chunk in chunks
        ],
        "resources": dict(sorted(resources.items())),
        "perCitizen": {
            "visits": round(sum(c.visits for c in chunks) / citizens, 2),
            "results": round(sum(c.results for c in chunks) / citizens, 2),
            "immunizations": round(sum(c.immunizations for c in chunks) / citizens, 2),
        },
        "identifierSystems": {
            "nationalId": constants.NATIONAL_ID_SYSTEM,
            "insuranceNumber": constants.INSURANCE_NUMBER_SYSTEM,
            "facilityCode": constants.FACILITY_CODE_SYSTEM,
            "practisingCertificate": constants.PRACTISING_CERTIFICATE_SYSTEM,
        },
        "extensions": {
            "benefitLevel": constants.EXT_BENEFIT_LEVEL,
            "benefitPercent": constants.EXT_BENEFIT_PERCENT,
            "primaryCareFacility": constants.EXT_PRIMARY_CARE,
            "fiveYearsContinuous": constants.EXT_FIVE_YEARS,
            "copayExemptFrom": constants.EXT_COPAY_EXEMPT,
            "residenceArea": constants.EXT_RESIDENCE_AREA,
            "ethnicity": constants.EXT_ETHNICITY,
            "addressCommune": constants.EXT_ADDRESS_COMMUNE,
        },
        "demoCitizens": demo,
    }
