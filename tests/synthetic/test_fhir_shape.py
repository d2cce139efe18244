"""Every generated resource looks like FHIR R4 and every reference resolves."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.ingest.synthetic.constants import (
    FACILITY_CODE_SYSTEM,
    ICD10_SYSTEM,
    LOINC_SYSTEM,
)
from tests.synthetic.support import (
    INSTANT,
    REFERENCE_DATE,
    UUID,
    Json,
    Population,
    dated_values,
    references,
)

CITIZEN_TYPES = {
    "Patient",
    "RelatedPerson",
    "Coverage",
    "Observation",
    "AllergyIntolerance",
    "Condition",
    "Encounter",
    "DiagnosticReport",
    "MedicationRequest",
    "Immunization",
    "Appointment",
}
REGISTRY_TYPES = {"Organization", "Location", "Practitioner", "PractitionerRole"}


def test_bundles_are_collections_of_identified_resources(population: Population) -> None:
    for _, bundle in population.bundles:
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
        assert INSTANT.match(bundle["timestamp"])
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert resource["resourceType"] in CITIZEN_TYPES
            assert UUID.match(resource["id"]), resource["id"]
            assert entry["fullUrl"] == "urn:uuid:" + resource["id"]
            assert INSTANT.match(resource["meta"]["lastUpdated"]), resource["meta"]


def test_registry_resources_are_identified(population: Population) -> None:
    bundle = population.facilities
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert resource["resourceType"] in REGISTRY_TYPES
        assert UUID.match(resource["id"])
        assert entry["fullUrl"].endswith(f"/{resource['resourceType']}/{resource['id']}")
        assert INSTANT.match(resource["meta"]["lastUpdated"])


def test_ids_are_unique_across_the_population(population: Population) -> None:
    ids = Counter(resource["id"] for resource in population.resources())
    ids.update(entry["resource"]["id"] for entry in population.facilities["entry"])
    assert ids.most_common(1)[0][1] == 1


def test_every_reference_resolves_in_its_bundle_or_the_registry(population: Population) -> None:
    registry = {
        f"{e['resource']['resourceType']}/{e['resource']['id']}"
        for e in population.facilities["entry"]
    }
    seen_kinds: Counter[str] = Counter()
    for _, bundle in population.bundles:
        local = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
        for entry in bundle["entry"]:
            for reference in references(entry["resource"]):
                if reference.startswith("urn:uuid:"):
                    assert reference in local, reference
                    seen_kinds["local"] += 1
                else:
                    assert reference in registry, reference
                    seen_kinds[reference.split("/")[0]] += 1
    assert {"local", "Organization", "Location", "Practitioner"} <= set(seen_kinds)
    for entry in population.facilities["entry"]:
        for reference in references(entry["resource"]):
            assert reference in registry


def test_references_point_at_the_expected_types(population: Population) -> None:
    for _, bundle in population.bundles:
        by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}

        def target(reference: str, by_url: dict[str, Json] = by_url) -> str:
            return str(by_url[reference]["resourceType"])

        for resource in (entry["resource"] for entry in bundle["entry"]):
            kind = resource["resourceType"]
            if kind == "Encounter":
                assert all(
                    target(d["condition"]["reference"]) == "Condition"
                    for d in resource["diagnosis"]
                )
                assert resource["serviceProvider"]["reference"].startswith("Organization/")
            elif kind == "DiagnosticReport":
                assert {target(r["reference"]) for r in resource["result"]} == {"Observation"}
            elif kind in ("Observation", "Condition", "MedicationRequest", "DiagnosticReport"):
                assert target(resource["subject"]["reference"]) == "Patient"
            elif kind == "RelatedPerson":
                assert target(resource["patient"]["reference"]) == "Patient"
            elif kind == "Coverage":
                assert target(resource["beneficiary"]["reference"]) == "Patient"


def test_nothing_but_appointments_and_card_validity_lies_after_the_reference_date(
    population: Population,
) -> None:
    future_paths: Counter[str] = Counter()
    for resource in population.resources():
        for path, value in dated_values(resource):
            if date.fromisoformat(value[:10]) > REFERENCE_DATE:
                future_paths[f"{resource['resourceType']}{path}"] += 1
    assert set(future_paths) <= {"Appointment.start", "Appointment.end", "Coverage.period.end"}
    assert future_paths["Appointment.start"] > 0


def test_conditions_are_icd10_with_vietnamese_names(population: Population) -> None:
    codes: Counter[str] = Counter()
    for condition in population.resources("Condition"):
        coding = condition["code"]["coding"][0]
        assert coding["system"] == ICD10_SYSTEM
        assert condition["code"]["text"] == coding["display"]
        codes[coding["code"][:3]] += 1
        category = condition["category"][0]["coding"][0]["code"]
        if category == "problem-list-item":
            assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
        else:
            assert condition["encounter"]["reference"].startswith("urn:uuid:")
    assert {"I10", "J06"} <= set(codes)
    vietnamese = sum(
        1 for c in population.resources("Condition") if not c["code"]["text"].isascii()
    )
    assert vietnamese > 0.8 * sum(codes.values())


def test_observations_flag_values_against_their_reference_ranges(population: Population) -> None:
    flagged: Counter[str] = Counter()
    for observation in population.resources("Observation"):
        assert observation["status"] == "final"
        assert observation["code"]["coding"][0]["system"] == LOINC_SYSTEM
        parts = observation.get("component", [observation])
        for part in parts:
            if "referenceRange" not in part:
                continue
            value = part["valueQuantity"]["value"]
            assert part["valueQuantity"]["system"] == "http://unitsofmeasure.org"
            bounds = part["referenceRange"][0] if part["referenceRange"] else {}
            low, high = bounds.get("low", {}).get("value"), bounds.get("high", {}).get("value")
            expected = (
                "H"
                if high is not None and value > high
                else "L"
                if low is not None and value < low
                else "N"
            )
            flag = part["interpretation"][0]["coding"][0]["code"]
            assert flag == expected, (part["code"]["text"], value, low, high, flag)
            flagged[flag] += 1
    assert flagged["N"] and flagged["H"] and flagged["L"]


def test_blood_pressure_panels_have_systolic_and_diastolic(population: Population) -> None:
    panels = [
        o
        for o in population.resources("Observation")
        if o["code"]["coding"][0]["code"] == "85354-9"
    ]
    assert panels
    for panel in panels:
        codes = [c["code"]["coding"][0]["code"] for c in panel["component"]]
        assert codes == ["8480-6", "8462-4"]
        systolic, diastolic = (c["valueQuantity"]["value"] for c in panel["component"])
        assert systolic > diastolic
        assert panel["component"][0]["valueQuantity"]["code"] == "mm[Hg]"


def test_platelets_fall_in_dengue(population: Population) -> None:
    dengue_encounters = {
        c["encounter"]["reference"]
        for c in population.resources("Condition")
        if c["code"]["coding"][0]["code"][:3] in ("A90", "A91", "A97")
    }
    platelets = [
        o["valueQuantity"]["value"]
        for o in population.resources("Observation")
        if o["code"]["coding"][0]["code"] == "777-3"
        and o["encounter"]["reference"] in dengue_encounters
    ]
    assert platelets, "no platelet count at a dengue visit"
    assert sum(platelets) / len(platelets) < 150


def test_reports_group_the_results_of_their_encounter(population: Population) -> None:
    for _, bundle in population.bundles:
        by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
        for report in (
            e["resource"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "DiagnosticReport"
        ):
            assert report["conclusion"]
            for result in report["result"]:
                assert by_url[result["reference"]]["encounter"] == report["encounter"]


def test_facility_codes_are_five_characters_of_the_two_provinces(population: Population) -> None:
    organizations = population.registry("Organization")
    codes = [
        i["value"]
        for o in organizations.values()
        for i in o.get("identifier", [])
        if i["system"] == FACILITY_CODE_SYSTEM
    ]
    assert len(codes) == len(set(codes)) == len(organizations) - 1  # the payor has no code
    assert all(len(code) == 5 and code[:2] in ("95", "96") and code.isdigit() for code in codes)
    names = {o["name"] for o in organizations.values()}
    assert {
        "Bệnh viện Đa khoa Cà Mau",
        "Bệnh viện Đa khoa Bạc Liêu",
        "Trung tâm Y tế huyện Đầm Dơi",
        "Trung tâm Y tế thị xã Giá Rai",
    } <= names
    locations = population.registry("Location")
    managed = {loc["managingOrganization"]["reference"] for loc in locations.values()}
    assert managed == {f"Organization/{i}" for i, o in organizations.items() if "identifier" in o}
    for practitioner in population.registry("Practitioner").values():
        assert practitioner["identifier"][0]["value"].endswith("-CCHN")
